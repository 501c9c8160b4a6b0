// Throughput and efficiency of a MAC configuration: a clock frequency
// estimated from the synthesized logic depth, and operations per second per
// unit of area and of energy. Frequencies and pJ are estimates at 45 nm and
// are labelled so wherever they are shown; the depth and the gate counts are
// what was measured.
#pragma once

namespace qmac::cost {

// A gate level of the generic library, loaded, at 45 nm (estimate: an FO4
// inverter is about 15-20 ps there; a 2-input gate with wiring about 30 ps).
inline constexpr double kGateDelayPs = 30;
// Clock-to-q and setup of the flip-flops bounding the path, in gate levels.
inline constexpr int kRegisterOverheadLevels = 3;
// The footprint of a NAND2 in a 45 nm standard-cell library, for areas in
// square microns (an estimate: placement and wiring overhead not included).
inline constexpr double kSquareMicronsPerNand2 = 0.8;

// The clock a path of `depth` gate levels between flip-flops allows, in GHz.
double frequency_ghz(int depth);

struct Efficiency {
  double macs_per_cycle = 0;  // useful MACs per clock, all PEs together
  double frequency_ghz = 0;   // estimate
  double tops = 0;            // 2 operations per MAC
  double tops_per_mnand2 = 0; // per million NAND2-equivalent gates
  double tops_per_watt = 0;   // from the pJ estimate (operations per pJ); 0 if unknown
};

// area_nand2: of everything that does the MACs (one PE times the PEs);
// energy_pj_per_mac <= 0 when no energy figure is known.
Efficiency efficiency(double macs_per_cycle, double frequency_ghz, double area_nand2,
                      double energy_pj_per_mac);

} // namespace qmac::cost
