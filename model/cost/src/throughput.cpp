#include "qmac/cost/throughput.h"

namespace qmac::cost {

double frequency_ghz(int depth) {
  const double period_ps = (depth + kRegisterOverheadLevels) * kGateDelayPs;
  return 1000.0 / period_ps;
}

Efficiency efficiency(double macs_per_cycle, double f_ghz, double area_nand2,
                      double energy_pj_per_mac) {
  Efficiency e;
  e.macs_per_cycle = macs_per_cycle;
  e.frequency_ghz = f_ghz;
  e.tops = 2 * macs_per_cycle * f_ghz / 1000;
  e.tops_per_mnand2 = area_nand2 > 0 ? e.tops / (area_nand2 / 1e6) : 0;
  // Operations per pJ are tera-operations per joule, i.e. TOPS per watt.
  e.tops_per_watt = energy_pj_per_mac > 0 ? 2 / energy_pj_per_mac : 0;
  return e;
}

} // namespace qmac::cost
