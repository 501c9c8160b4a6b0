#include "sweep_runner.h"

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "qmac/numerics/format.h"
#include "sweep_progress.h"
#include "sweep_row.h"
#include "sweep_store.h"
#include "sweep_workers.h"

namespace qmac::cli {
namespace {

void check_shard(const SweepOptions& o) {
  if (o.shards < 1 || o.shard < 1 || o.shard > o.shards)
    throw InputError("bad shard " + std::to_string(o.shard) + "/" + std::to_string(o.shards));
}

// The points of this shard that have no finished row (failed points are
// tried again); counts the shard's points and those finished before.
std::vector<const SweepPoint*> pending_points(const SweepConfig& config, const SweepOptions& o,
                                              const Manifest& m, SweepSummary& summary) {
  std::vector<const SweepPoint*> todo;
  for (size_t i = 0; i < config.points.size(); ++i) {
    if (int(i % size_t(o.shards)) != o.shard - 1) continue;
    ++summary.points;
    const auto row = read_row(o.out_dir, config.points[i].id(), m.columns);
    if (row && row->ok())
      ++summary.skipped;
    else
      todo.push_back(&config.points[i]);
  }
  return todo;
}

// The points that share a MAC unit (formats, accumulator, pipeline), in
// the order the config lists them, one group each: a worker takes a whole
// group, so the unit is synthesized and simulated once and its other points
// hit the cache. A dot-product unit's points (its promotion intervals) form
// a group of their own.
std::vector<std::vector<size_t>> group_by_unit(const std::vector<const SweepPoint*>& todo) {
  std::map<std::string, size_t> index;
  std::vector<std::vector<size_t>> groups;
  for (size_t j = 0; j < todo.size(); ++j) {
    const SweepPoint* p = todo[j];
    const std::string unit = p->a + ":" + p->b + ":" + p->acc + ":" +
                             (p->is_unit() ? p->unit : std::to_string(p->pipeline));
    const auto [it, added] = index.emplace(unit, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(j);
  }
  return groups;
}

// Watches the rows of `todo` appear while the workers run; returns how many
// did. Counts them as ok or failed.
size_t watch_rows(const SweepOptions& o, const Manifest& m,
                  const std::vector<const SweepPoint*>& todo, SweepWorkers& workers,
                  SweepSummary& summary) {
  SweepProgress progress(todo.size(), o.progress_bar);
  std::set<size_t> seen;
  while (seen.size() < todo.size()) {
    for (size_t j = 0; j < todo.size(); ++j) {
      if (seen.count(j)) continue;
      if (const auto row = read_row(o.out_dir, todo[j]->id(), m.columns)) {
        seen.insert(j);
        ++(row->ok() ? summary.ok : summary.failed);
        progress.done(todo[j]->key(), row->ok() ? "ok" : "error: " + (*row)["error"]);
      }
    }
    if (workers.running() == 0) break;
    if (!workers.reap_one()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return seen.size();
}

// Rebuilds the results from whatever rows exist (even when a point failed to
// write: they then list the points that did finish), then reports a worker's
// failure or a results file that could not be written.
void finish(const std::string& dir, const Manifest& m, size_t unfinished, size_t pending,
            const std::string& worker_failure) {
  std::string results_failure;
  try {
    write_results(dir, m, collect_rows({dir}, m, nullptr));
  } catch (const InputError& e) {
    results_failure = e.what();
  }
  if (!worker_failure.empty() && unfinished > 0)
    throw InputError(worker_failure + "; " + std::to_string(unfinished) + " of " +
                     std::to_string(pending) + " points unfinished in '" + dir +
                     "' (finished rows are kept: run again to resume)");
  if (!results_failure.empty())
    throw InputError(results_failure + "; every point's row is kept in '" + dir +
                     "/rows': run again to write the results");
}

} // namespace

SweepSummary run_sweep(const SweepConfig& config, const SweepOptions& o) {
  check_shard(o);
  const Manifest m = manifest_of(config);
  const auto lock = prepare_dir(o.out_dir, m);
  SweepSummary summary;
  const std::vector<const SweepPoint*> todo = pending_points(config, o, m, summary);
  // A failed point's old row goes: the progress watches rows appear.
  for (const SweepPoint* p : todo)
    remove_row(o.out_dir, p->id());
  SweepWorkers workers(group_by_unit(todo), size_t(std::max(1, o.jobs)), [&](size_t j) {
    write_row(o.out_dir, m.columns, evaluate_point(config, *todo[j]));
  });
  const size_t finished = watch_rows(o, m, todo, workers, summary);
  finish(o.out_dir, m, todo.size() - finished, todo.size(), workers.failure());
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
  const std::vector<SweepRow> rows = collect_rows(dirs, m, &missing);
  for (const SweepRow& row : rows)
    write_row(out_dir, m.columns, row.values());
  write_results(out_dir, m, rows);
  if (!missing.empty())
    throw InputError("merged " + std::to_string(rows.size()) + " of " +
                     std::to_string(m.ids.size()) + " points: " + std::to_string(missing.size()) +
                     " missing (first: " + missing[0] +
                     "); run the missing shards and merge again");
  return rows.size();
}

} // namespace qmac::cli
