// The files of a sweep directory, and the lock that gives one sweep at a time
// the right to write them:
//
//   DIR/manifest.csv     the configuration's digest, columns and point ids
//   DIR/rows/ID.csv      one finished point: the header line and its row,
//                        written atomically, so a killed sweep loses nothing
//                        it finished and a re-run skips it
//   DIR/results.csv      every finished row, in the configuration's order
//   DIR/results.json     the same as a JSON array of objects
//   DIR/.lock            flock()ed while a sweep or a merge writes DIR
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sweep_config.h"

namespace qmac::cli {

struct Manifest {
  std::string digest;
  std::vector<std::string> columns;
  std::vector<std::string> ids; // every point of the configuration, in order
};

Manifest manifest_of(const SweepConfig& config);
Manifest read_manifest(const std::string& dir); // InputError if it is not one

// One row of a sweep, read by column name (a row file of another
// configuration, whose columns differ, is never taken for one).
class SweepRow {
public:
  SweepRow(const std::vector<std::string>& columns, std::vector<std::string> values);
  // The value of a column of the manifest; std::logic_error for any other name.
  const std::string& operator[](std::string_view column) const;
  const std::vector<std::string>& values() const { return values_; }
  bool ok() const { return (*this)["status"] == "ok"; }

private:
  const std::vector<std::string>* columns_;
  std::vector<std::string> values_;
};

// A finished point's row, or nothing if absent or not a whole row of these columns.
std::optional<SweepRow> read_row(const std::string& dir, const std::string& id,
                                 const std::vector<std::string>& columns);
void write_row(const std::string& dir, const std::vector<std::string>& columns,
               const std::vector<std::string>& values); // values[0] is the id
void remove_row(const std::string& dir, const std::string& id);

// Rows of every point of the manifest found in any of `dirs` (the first
// directory that has it), in manifest order; ids without a row go to `missing`.
std::vector<SweepRow> collect_rows(const std::vector<std::string>& dirs, const Manifest& m,
                                   std::vector<std::string>* missing);
// results.csv and results.json from these rows, atomically.
void write_results(const std::string& dir, const Manifest& m, const std::vector<SweepRow>& rows);

class DirLock;
// Makes DIR (and DIR/rows) ready for the sweep `m` and locks it: refuses a
// directory of another configuration, writes the manifest of a new one, and
// removes the temporary files of writes a kill cut short. The directory is
// written by nobody else while the returned lock lives.
std::unique_ptr<DirLock> prepare_dir(const std::string& dir, const Manifest& m);

class DirLock {
public:
  explicit DirLock(const std::string& dir);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

private:
  int fd_ = -1;
};

} // namespace qmac::cli
