#include "sweep_store.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

#include "qmac/files/atomic_file.h"
#include "qmac/numerics/format.h"
#include "sweep_row.h"
#include "table_io.h"

namespace qmac::cli {
namespace {

namespace fs = std::filesystem;

std::string manifest_text(const Manifest& m) {
  std::string s = csv_line({"digest", m.digest}) + "\n" + csv_line(m.columns) + "\n";
  for (const std::string& id : m.ids)
    s += id + "\n";
  return s;
}

std::string row_path(const std::string& dir, const std::string& id) {
  return (fs::path(dir) / "rows" / (id + ".csv")).string();
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// A value of a numeric column as JSON: the number, null when not measured,
// and "inf"/"nan" as strings (JSON has no such numbers; an exact SQNR is inf).
std::string json_number(const std::string& v) {
  if (v.empty()) return "null";
  if (v == "inf" || v == "-inf" || v == "nan") return json_string(v);
  return v;
}

} // namespace

Manifest manifest_of(const SweepConfig& config) {
  Manifest m;
  m.digest = config.digest();
  m.columns = sweep_columns(config);
  for (const SweepPoint& p : config.points)
    m.ids.push_back(p.id());
  return m;
}

Manifest read_manifest(const std::string& dir) {
  const std::string path = (fs::path(dir) / "manifest.csv").string();
  std::istringstream in(read_file(path));
  Manifest m;
  std::string line;
  if (!std::getline(in, line)) throw InputError(path + ": empty");
  const auto head = parse_csv_line(line);
  if (head.size() != 2 || head[0] != "digest") throw InputError(path + ": line 1: not a manifest");
  m.digest = head[1];
  if (!std::getline(in, line)) throw InputError(path + ": line 2: no columns");
  m.columns = parse_csv_line(line);
  while (std::getline(in, line))
    if (!line.empty()) m.ids.push_back(line);
  return m;
}

SweepRow::SweepRow(const std::vector<std::string>& columns, std::vector<std::string> values)
    : columns_(&columns), values_(std::move(values)) {}

const std::string& SweepRow::operator[](std::string_view column) const {
  for (size_t c = 0; c < columns_->size(); ++c)
    if ((*columns_)[c] == column) return values_[c];
  throw std::logic_error("sweep row: no column '" + std::string(column) + "'");
}

std::optional<SweepRow> read_row(const std::string& dir, const std::string& id,
                                 const std::vector<std::string>& columns) {
  std::error_code ec;
  const std::string path = row_path(dir, id);
  if (!fs::exists(path, ec)) return std::nullopt;
  std::istringstream in(read_file(path));
  std::string header, values;
  if (!std::getline(in, header) || !std::getline(in, values)) return std::nullopt;
  if (parse_csv_line(header) != columns) return std::nullopt;
  auto row = parse_csv_line(values);
  if (row.size() != columns.size()) return std::nullopt;
  return SweepRow(columns, std::move(row));
}

void write_row(const std::string& dir, const std::vector<std::string>& columns,
               const std::vector<std::string>& values) {
  write_atomically(row_path(dir, values.at(0)), csv_line(columns) + "\n" + csv_line(values) + "\n");
}

void remove_row(const std::string& dir, const std::string& id) {
  std::error_code ec;
  fs::remove(row_path(dir, id), ec);
}

std::vector<SweepRow> collect_rows(const std::vector<std::string>& dirs, const Manifest& m,
                                   std::vector<std::string>* missing) {
  std::vector<SweepRow> rows;
  for (const std::string& id : m.ids) {
    bool found = false;
    for (const std::string& dir : dirs)
      if (auto row = read_row(dir, id, m.columns)) {
        rows.push_back(std::move(*row));
        found = true;
        break;
      }
    if (!found && missing) missing->push_back(id);
  }
  return rows;
}

void write_results(const std::string& dir, const Manifest& m, const std::vector<SweepRow>& rows) {
  std::string csv = csv_line(m.columns) + "\n", json = "[\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    const std::vector<std::string>& values = rows[r].values();
    csv += csv_line(values) + "\n";
    json += "  {";
    for (size_t c = 0; c < m.columns.size(); ++c) {
      json += (c ? ", " : "") + json_string(m.columns[c]) + ": ";
      json += is_text_column(m.columns[c]) ? json_string(values[c]) : json_number(values[c]);
    }
    json += r + 1 < rows.size() ? "},\n" : "}\n";
  }
  json += "]\n";
  write_atomically((fs::path(dir) / "results.csv").string(), csv);
  write_atomically((fs::path(dir) / "results.json").string(), json);
}

// The lock goes with the process and its workers however they end; a sweep
// killed a moment ago may still have workers dying, so a busy lock is waited
// for, a few seconds, before it is refused.
DirLock::DirLock(const std::string& dir) {
  const std::string path = (fs::path(dir) / ".lock").string();
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) throw InputError("cannot write '" + path + "': " + std::strerror(errno));
  constexpr int kWaitSeconds = 10;
  for (int tries = 0; flock(fd_, LOCK_EX | LOCK_NB) != 0; ++tries) {
    if (tries == kWaitSeconds * 10) {
      close(fd_);
      throw InputError("'" + dir + "' is in use by another qmac sweep (waited " +
                       std::to_string(kWaitSeconds) +
                       " s): wait for it to end, or use another -o directory");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

DirLock::~DirLock() {
  close(fd_);
}

std::unique_ptr<DirLock> prepare_dir(const std::string& dir, const Manifest& m) {
  make_output_dir((fs::path(dir) / "rows").string());
  auto lock = std::make_unique<DirLock>(dir);
  std::error_code ec;
  // No other sweep is writing here while the lock is held.
  for (const fs::path& sub : {fs::path(dir), fs::path(dir) / "rows"})
    for (const auto& entry : fs::directory_iterator(sub, ec))
      if (files::is_temporary(entry.path())) fs::remove(entry.path(), ec);
  if (fs::exists(fs::path(dir) / "manifest.csv")) {
    if (read_manifest(dir).digest != m.digest)
      throw InputError("'" + dir +
                       "' holds results of another sweep configuration: use another -o "
                       "directory or remove it");
    return lock;
  }
  write_atomically((fs::path(dir) / "manifest.csv").string(), manifest_text(m));
  return lock;
}

} // namespace qmac::cli
