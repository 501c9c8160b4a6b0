#include "qmac/array/dot_array.h"

#include "qmac/dot/presets.h"

namespace qmac::array {

DotArrayConfig dot_array_config(const std::string& unit_text, const dot::DotInput& a,
                                const dot::DotInput& b, const AccumulatorSpec& out, uint32_t rows,
                                uint32_t cols, int pipeline) {
  DotArrayConfig c;
  c.rows = rows;
  c.cols = cols;
  c.pipeline = pipeline;
  c.a = a;
  c.b = b;
  c.out = out;
  c.unit_text = unit_text;
  c.unit = dot::resolve_unit(unit_text, a, b, out);
  validate(c);
  return c;
}

void validate(const DotArrayConfig& c) {
  if (c.rows < 1 || c.cols < 1 || c.rows > kMaxArraySide || c.cols > kMaxArraySide ||
      c.pes() > kMaxArrayPes)
    throw InputError("a dot array of " + std::to_string(c.rows) + "x" + std::to_string(c.cols) +
                     " is outside 1x1 to " + std::to_string(kMaxArraySide) + "x" +
                     std::to_string(kMaxArraySide));
  if (c.pipeline < 0 || c.pipeline > 3)
    throw InputError("a dot PE's pipeline depth is 0 to 3, not " + std::to_string(c.pipeline));
  if (c.unit.whole())
    throw InputError("unit '" + c.unit_text +
                     "' sums the whole dot product (n = all): an array issues a fixed block of "
                     "n products per cycle");
  if (c.unit.n > 64)
    throw InputError("a dot array's PEs take at most 64 products per cycle, not n=" +
                     std::to_string(c.unit.n));
  for (const dot::DotInput* in : {&c.a, &c.b})
    dot::require_whole_blocks(*in, c.unit.n);
  if (c.out.register_bits() > 64)
    throw InputError("a dot array's results are at most 64 bits; " + c.out.name + " has " +
                     std::to_string(c.out.register_bits()));
}

DotSchedule dot_schedule(const DotArrayConfig& c, const Gemm& g) {
  validate(g);
  DotSchedule s;
  s.m_tiles = ceil_div(g.M, c.rows);
  s.n_tiles = ceil_div(g.N, c.cols);
  s.tiles = s.m_tiles * s.n_tiles;
  s.blocks = ceil_div(g.K, uint64_t(c.unit.n));
  s.groups = ceil_div(s.tiles, c.lanes());
  s.beats = s.groups * c.lanes() * s.blocks;
  return s;
}

ArrayRun analytic_dot_run(const DotArrayConfig& c, const Gemm& g) {
  validate(c);
  const DotSchedule s = dot_schedule(c, g);
  const uint64_t L = c.lanes();
  ArrayRun run;
  run.cycles = (s.groups - 1) * L * s.blocks + (s.blocks - 1) * L + (s.tiles - 1) % L + 1 +
               uint64_t(c.pipeline);
  run.macs = g.macs();
  run.tiles = s.tiles;
  // Every tile reads its rows of A and columns of B over the whole K once.
  run.traffic.a_reads = g.M * s.n_tiles * g.K;
  run.traffic.b_reads = g.N * s.m_tiles * g.K;
  run.traffic.acc_writes = g.M * g.N;
  return run;
}

} // namespace qmac::array
