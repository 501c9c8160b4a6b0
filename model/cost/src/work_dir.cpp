#include "qmac/cost/work_dir.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "qmac/cost/tool_error.h"

namespace qmac::cost {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw ToolError("cannot read " + path.string());
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw ToolError("cannot write " + path.string());
}

WorkDir::WorkDir(const fs::path& parent, const std::string& prefix) {
  std::error_code ec;
  fs::create_directories(parent, ec);
  std::string pattern = (parent / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data()))
    throw ToolError("cannot create a work directory in " + parent.string());
  path_ = pattern;
}

WorkDir::~WorkDir() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

bool WorkDir::commit(const fs::path& target) {
  std::error_code ec;
  fs::rename(path_, target, ec); // fails if target exists and is not empty
  if (!ec) {
    path_.clear();
    return true;
  }
  return fs::is_directory(target, ec);
}

} // namespace qmac::cost
