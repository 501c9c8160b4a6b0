#include "sweep_runner.h"

#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <signal.h>
#include <sstream>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "qmac/files/atomic_file.h"
#include "qmac/numerics/format.h"
#include "sweep_row.h"
#include "table_io.h"

namespace qmac::cli {
namespace {

namespace fs = std::filesystem;

struct Manifest {
  std::string digest;
  std::vector<std::string> columns;
  std::vector<std::string> ids; // every point of the configuration, in order
};

std::string manifest_text(const Manifest& m) {
  std::string s = csv_line({"digest", m.digest}) + "\n" + csv_line(m.columns) + "\n";
  for (const std::string& id : m.ids)
    s += id + "\n";
  return s;
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

std::string row_path(const std::string& dir, const std::string& id) {
  return (fs::path(dir) / "rows" / (id + ".csv")).string();
}

// A finished row: its values, or nothing if absent or not a whole row of
// these columns (a row of another configuration is never taken).
std::optional<std::vector<std::string>> read_row(const std::string& dir, const std::string& id,
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
  return row;
}

void write_row(const std::string& dir, const std::vector<std::string>& columns,
               const std::vector<std::string>& row) {
  write_atomically(row_path(dir, row[0]), csv_line(columns) + "\n" + csv_line(row) + "\n");
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

// results.csv and results.json from the rows present, in manifest order.
size_t write_results(const std::string& dir, const Manifest& m,
                     const std::vector<std::vector<std::string>>& rows) {
  std::string csv = csv_line(m.columns) + "\n", json = "[\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    csv += csv_line(rows[r]) + "\n";
    json += "  {";
    for (size_t c = 0; c < m.columns.size(); ++c) {
      json += (c ? ", " : "") + json_string(m.columns[c]) + ": ";
      json += is_text_column(m.columns[c]) ? json_string(rows[r][c]) : json_number(rows[r][c]);
    }
    json += r + 1 < rows.size() ? "},\n" : "}\n";
  }
  json += "]\n";
  write_atomically((fs::path(dir) / "results.csv").string(), csv);
  write_atomically((fs::path(dir) / "results.json").string(), json);
  return rows.size();
}

// Rows of every point of the manifest found in any of `dirs`, in order.
std::vector<std::vector<std::string>> collect_rows(const std::vector<std::string>& dirs,
                                                   const Manifest& m,
                                                   std::vector<std::string>* missing) {
  std::vector<std::vector<std::string>> rows;
  for (const std::string& id : m.ids) {
    bool found = false;
    for (const std::string& dir : dirs)
      if (auto row = read_row(dir, id, m.columns)) {
        rows.push_back(*row);
        found = true;
        break;
      }
    if (!found && missing) missing->push_back(id);
  }
  return rows;
}

// Holds DIR/.lock (flock) while a sweep or a merge writes to DIR: a second
// qmac on the same directory is refused instead of racing the first. The
// lock goes with the process and its workers however they end; a sweep
// killed a moment ago may still have workers dying, so a busy lock is
// waited for, a few seconds, before it is refused.
class DirLock {
public:
  explicit DirLock(const std::string& dir) {
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
  ~DirLock() { close(fd_); }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

private:
  int fd_ = -1;
};

// Makes DIR ready for the sweep `m` and locks it: refuses a directory of
// another configuration, and removes the temporary files of writes that a
// kill cut short (no other sweep is writing there while the lock is held).
std::unique_ptr<DirLock> prepare_dir(const std::string& dir, const Manifest& m) {
  make_output_dir((fs::path(dir) / "rows").string());
  auto lock = std::make_unique<DirLock>(dir);
  std::error_code ec;
  for (const fs::path& sub : {fs::path(dir), fs::path(dir) / "rows"})
    for (const auto& entry : fs::directory_iterator(sub, ec))
      if (files::is_temporary(entry.path())) fs::remove(entry.path(), ec);
  if (fs::exists(fs::path(dir) / "manifest.csv")) {
    const Manifest old = read_manifest(dir);
    if (old.digest != m.digest)
      throw InputError("'" + dir +
                       "' holds results of another sweep configuration: use another -o "
                       "directory or remove it");
    return lock;
  }
  write_atomically((fs::path(dir) / "manifest.csv").string(), manifest_text(m));
  return lock;
}

std::string duration(double seconds) {
  const long s = long(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, s / 60 % 60);
  else
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  return buf;
}

// Watches the workers' rows appear; a bar on a terminal, a line per point otherwise.
class Progress {
public:
  Progress(size_t total, bool bar) : total_(total), bar_(bar), t0_(clock::now()) {}
  void done(const SweepPoint& p, const std::string& status) {
    ++done_;
    const double spent = std::chrono::duration<double>(clock::now() - t0_).count();
    const double eta = spent / double(done_) * double(total_ - done_);
    if (bar_) {
      const int width = 30, filled = int(width * done_ / std::max<size_t>(total_, 1));
      std::fprintf(stderr, "\r[%s%s] %zu/%zu points, %s elapsed, ETA %s ",
                   std::string(filled, '=').c_str(), std::string(width - filled, ' ').c_str(),
                   done_, total_, duration(spent).c_str(), duration(eta).c_str());
      if (done_ == total_) std::fputc('\n', stderr);
    } else {
      std::fprintf(stderr, "sweep: %zu/%zu %s: %s (ETA %s)\n", done_, total_, p.key().c_str(),
                   status.c_str(), duration(eta).c_str());
    }
    std::fflush(stderr);
  }

private:
  using clock = std::chrono::steady_clock;
  size_t total_, done_ = 0;
  bool bar_;
  clock::time_point t0_;
};

} // namespace

SweepSummary run_sweep(const SweepConfig& config, const SweepOptions& o) {
  if (o.shards < 1 || o.shard < 1 || o.shard > o.shards)
    throw InputError("bad shard " + std::to_string(o.shard) + "/" + std::to_string(o.shards));
  Manifest m;
  m.digest = config.digest();
  m.columns = sweep_columns(config);
  for (const SweepPoint& p : config.points)
    m.ids.push_back(p.id());
  const auto lock = prepare_dir(o.out_dir, m);

  SweepSummary summary;
  std::vector<const SweepPoint*> todo;
  for (size_t i = 0; i < config.points.size(); ++i) {
    if (int(i % size_t(o.shards)) != o.shard - 1) continue;
    ++summary.points;
    auto row = read_row(o.out_dir, config.points[i].id(), m.columns);
    if (row && row->at(8) == "ok")
      ++summary.skipped; // finished before (failed points are tried again)
    else
      todo.push_back(&config.points[i]);
  }

  // A failed point's old row goes: the progress below watches rows appear.
  for (const SweepPoint* p : todo) {
    std::error_code ec;
    fs::remove(row_path(o.out_dir, p->id()), ec);
  }

  // Workers take whole groups of points that share a MAC unit (formats,
  // accumulator, pipeline), group g going to worker g % jobs: the unit is
  // synthesized and simulated once, and its other points hit the cache. They
  // die with this process, so a killed sweep leaves no orphan writing rows.
  std::map<std::string, size_t> groups;
  std::vector<size_t> group_of;
  for (const SweepPoint* p : todo) {
    const std::string unit = p->a + ":" + p->b + ":" + p->acc + ":" + std::to_string(p->pipeline);
    group_of.push_back(groups.emplace(unit, groups.size()).first->second);
  }
  const int jobs = std::max(1, std::min<int>(o.jobs, int(groups.size())));
  // A worker that cannot write a row (a full disk) stops and tells why on
  // this pipe, in one write (atomic below PIPE_BUF), so the sweep ends with
  // one line naming the file and the reason.
  // Close-on-exec: the tools a worker starts must not hold the pipe open.
  int failures[2];
  if (pipe2(failures, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<pid_t> workers;
  std::fflush(stdout);
  std::fflush(stderr);
  for (int w = 0; w < jobs && !todo.empty(); ++w) {
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      close(failures[0]);
      for (size_t j = 0; j < todo.size(); ++j) {
        if (group_of[j] % size_t(jobs) != size_t(w)) continue;
        try {
          write_row(o.out_dir, m.columns, evaluate_point(config, *todo[j]));
        } catch (const std::exception& e) {
          const std::string why = std::string(e.what()).substr(0, PIPE_BUF - 1) + "\n";
          (void)!write(failures[1], why.data(), why.size());
          _exit(2);
        }
      }
      _exit(0);
    }
    workers.push_back(pid);
  }
  close(failures[1]);

  Progress progress(todo.size(), o.progress_bar);
  std::set<size_t> seen;
  std::string worker_death;
  size_t running = workers.size();
  while (seen.size() < todo.size()) {
    for (size_t j = 0; j < todo.size(); ++j) {
      if (seen.count(j)) continue;
      if (auto row = read_row(o.out_dir, todo[j]->id(), m.columns)) {
        seen.insert(j);
        const bool ok = row->at(8) == "ok";
        ++(ok ? summary.ok : summary.failed);
        progress.done(*todo[j], ok ? "ok" : "error: " + row->at(9));
      }
    }
    if (running == 0) break;
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      --running;
      if (WIFSIGNALED(status))
        worker_death = "a worker died (signal " + std::to_string(WTERMSIG(status)) + ")";
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (; running > 0; --running)
    waitpid(-1, nullptr, 0);
  // Every worker has exited: the pipe holds all it will ever hold.
  std::string reported(PIPE_BUF, '\0');
  const ssize_t got = read(failures[0], reported.data(), reported.size());
  close(failures[0]);
  reported.resize(got > 0 ? size_t(got) : 0);
  std::string failure = reported.substr(0, reported.find('\n'));
  if (failure.empty()) failure = worker_death;

  // Whatever was written is kept; the results are rebuilt from it even when
  // a point failed to write (they then list the points that did finish).
  std::string results_failure;
  try {
    write_results(o.out_dir, m, collect_rows({o.out_dir}, m, nullptr));
  } catch (const InputError& e) {
    results_failure = e.what();
  }
  if (!failure.empty() && seen.size() < todo.size())
    throw InputError(failure + "; " + std::to_string(todo.size() - seen.size()) + " of " +
                     std::to_string(todo.size()) + " points unfinished in '" + o.out_dir +
                     "' (finished rows are kept: run again to resume)");
  if (!results_failure.empty())
    throw InputError(results_failure + "; every point's row is kept in '" + o.out_dir +
                     "/rows': run again to write the results");
  return summary;
}

size_t merge_sweeps(const std::vector<std::string>& dirs, const std::string& out_dir) {
  if (dirs.empty()) throw InputError("--merge needs the directories of the shards");
  const Manifest m = read_manifest(dirs[0]);
  for (const std::string& dir : dirs)
    if (read_manifest(dir).digest != m.digest)
      throw InputError("'" + dir + "' holds another sweep configuration than '" + dirs[0] + "'");
  const auto lock = prepare_dir(out_dir, m);
  std::vector<std::string> missing;
  const auto rows = collect_rows(dirs, m, &missing);
  for (const auto& row : rows)
    write_row(out_dir, m.columns, row);
  write_results(out_dir, m, rows);
  if (!missing.empty())
    throw InputError("merged " + std::to_string(rows.size()) + " of " +
                     std::to_string(m.ids.size()) + " points: " + std::to_string(missing.size()) +
                     " missing (first: " + missing[0] +
                     "); run the missing shards and merge again");
  return rows.size();
}

} // namespace qmac::cli
