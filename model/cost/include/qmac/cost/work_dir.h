// Files and scratch directories for the cost flows' tool runs (Yosys, the
// toggle simulator) and the mutation runs that drive Yosys too.
#pragma once

#include <filesystem>
#include <string>

namespace qmac::cost {

// The whole file; ToolError if it cannot be read.
std::string read_file(const std::filesystem::path& path);

// Writes the file; ToolError if it cannot.
void write_file(const std::filesystem::path& path, const std::string& text);

// A fresh directory `parent/prefix-XXXXXX`, removed when this goes out of
// scope unless it was moved into place with commit().
class WorkDir {
public:
  WorkDir(const std::filesystem::path& parent, const std::string& prefix);
  ~WorkDir();
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  // Renames the directory to `target` (same file system). If another process
  // got there first, its directory stands and this one is removed. Returns
  // false if `target` does not exist afterwards.
  bool commit(const std::filesystem::path& target);

private:
  std::filesystem::path path_;
};

} // namespace qmac::cost
