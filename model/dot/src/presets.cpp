#include "qmac/dot/presets.h"

#include <algorithm>

namespace qmac::dot {
namespace {

const char* kNvidia = "Khattak and Mikaitis, Accurate Models of NVIDIA Tensor Cores (arXiv "
                      "2512.07004): block-FMA parameters validated against the part's outputs";

// The FP8 formats NVIDIA calls E4M3 and E5M2 are qmac's e4m3fn and e5m2 (OCP OFP8).
const std::vector<std::string> kFp8 = {"e4m3fn", "e5m2"};
const std::vector<std::string> kHalf = {"fp16", "bf16"};

std::vector<Preset> make_presets() {
  std::vector<Preset> p;
  // NVIDIA: products per block (fma), aligned width 24 + neab, RZ into fp32
  // (RNE into fp16), minimum alignment exponent (min_exp_limit) per output.
  p.push_back({"v100",
               "NVIDIA V100 (Volta) tensor core",
               kNvidia,
               {{{"fp16"}, {"fp32"}, "n=4,bits=24,round=rz"},
                {{"fp16"}, {"fp16"}, "n=4,bits=24,round=rne,min-exp=-19"}}});
  for (const char* name : {"a100", "ada"}) {
    Preset a{name,
             std::string(name) == "a100" ? "NVIDIA A100 (Ampere) tensor core"
                                         : "NVIDIA Ada Lovelace (L40S) tensor core",
             kNvidia,
             {{kHalf, {"fp32"}, "n=8,bits=25,round=rz,min-exp=-132"},
              {{"fp16"}, {"fp16"}, "n=8,bits=25,round=rne,min-exp=-20"}}};
    if (std::string(name) == "ada")
      a.modes.push_back({kFp8, {"fp32"}, "n=16,bits=14,round=rz,min-exp=-132"});
    p.push_back(a);
  }
  p.push_back({"h100",
               "NVIDIA H100/H200 (Hopper) tensor core, WGMMA",
               kNvidia,
               {{kHalf, {"fp32"}, "n=16,bits=26,round=rz,min-exp=-133"},
                {{"fp16"}, {"fp16"}, "n=16,bits=26,round=rne,min-exp=-21"},
                {kFp8, {"fp32"}, "n=32,bits=14,round=rz,min-exp=-133"}}});
  p.push_back({"b200",
               "NVIDIA B200 (Blackwell) tensor core",
               std::string(kNvidia) +
                   "; FP8: the 32 products' sum is rounded RZ to fp32, then c is added with one "
                   "RNE rounding (late c), the rule that matches the B200 outputs published with "
                   "the paper",
               {{kHalf, {"fp32"}, "n=16,bits=26,round=rz,min-exp=-133"},
                {{"fp16"}, {"fp16"}, "n=16,bits=26,round=rne,min-exp=-21"},
                {kFp8, {"fp32"}, "n=32,bits=26,round=rz,late-c=rne,min-exp=-133"}}});
  const char* arm = "Arm A-profile architecture, FEAT_FP8DOT4 / FEAT_FP8DOT2 (FDOT): the "
                    "products summed with no intermediate rounding, one rounding";
  p.push_back({"arm-fdot4",
               "Arm FP8 FDOT, 4 products (FEAT_FP8DOT4)",
               arm,
               {{kFp8, {"fp32", "fp16"}, "n=4,bits=exact,round=rne"}}});
  p.push_back({"arm-fdot2",
               "Arm FP8 FDOT, 2 products (FEAT_FP8DOT2)",
               arm,
               {{kFp8, {"fp32", "fp16"}, "n=2,bits=exact,round=rne"}}});
  // Block-scaled units (OCP MX v1.0, NVFP4): the standard leaves the dot
  // product's internal precision to the implementer; exact, as MXDOTP.
  const std::vector<std::string> mx = {"mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e3m2",
                                       "mxfp6_e2m3", "mxfp4",      "mxint8"};
  p.push_back(
      {"mx",
       "a block-scaled dot unit: one block of the format (32 elements; NVFP4 16) with "
       "its two scales, summed exactly with c and rounded once; bits= narrows the window",
       "OCP Microscaling Formats (MX) v1.0 (internal precision implementation-defined) "
       "and NVIDIA's NVFP4; exact, as MXDOTP (arXiv 2505.13159)",
       {{mx, {}, "n=32,bits=exact,round=rne"}, {{"nvfp4"}, {}, "n=16,bits=exact,round=rne"}}});
  p.push_back({"mxdotp",
               "MXDOTP, the MXFP8 dot-product-accumulate unit of a Snitch RISC-V core",
               "Islamoglu et al., MXDOTP: A RISC-V ISA Extension for Enabling Microscaling (MX) "
               "Floating-Point Dot Products (arXiv 2505.13159): 8 MXFP8 products and the FP32 "
               "accumulator summed in a 95-bit fixed-point register, one rounding",
               {{{"mxfp8_e4m3", "mxfp8_e5m2"}, {"fp32"}, "n=8,bits=exact,round=rne"}}});
  p.push_back({"exact",
               "one block over the whole dot product: the exact sum rounded once",
               "the definition (a Kulisch-style unit)",
               {{{}, {}, "n=all,bits=exact,round=rne"}}});
  return p;
}

bool takes(const std::vector<std::string>& names, const DotInput& in) {
  if (names.empty()) return true;
  if (in.block) // block formats by name only: an element format's name never takes them
    return std::find(names.begin(), names.end(), in.block->name) != names.end();
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) {
    return !find_block_format(n) && parse_format(n) == in.element;
  });
}

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names)
    s += (s.empty() ? "" : ", ") + n;
  return s;
}

} // namespace

const std::vector<Preset>& presets() {
  static const std::vector<Preset> table = make_presets();
  return table;
}

DotUnit resolve_unit(std::string_view text, const DotInput& a, const DotInput& b,
                     const AccumulatorSpec& out) {
  const size_t comma = text.find(',');
  const std::string_view head = text.substr(0, comma);
  DotUnit unit;
  if (head.find('=') != std::string_view::npos) { // keys alone
    apply_keys(unit, text);
    return unit;
  }
  const auto& table = presets();
  auto preset =
      std::find_if(table.begin(), table.end(), [&](const Preset& p) { return p.name == head; });
  if (preset == table.end()) {
    std::string names;
    for (const auto& p : table)
      names += (names.empty() ? "" : ", ") + p.name;
    throw InputError("unknown dot unit '" + std::string(head) + "' (presets: " + names +
                     "; or keys such as n=32,bits=14,round=rz)");
  }
  const std::string out_name = out.kind == AccKind::Float ? out.format.name : out.name;
  for (const PresetMode& m : preset->modes) {
    if (!takes(m.inputs, a) || !takes(m.inputs, b)) continue;
    if (!m.outputs.empty() && (out.kind != AccKind::Float || !takes(m.outputs, out.format)))
      continue;
    apply_keys(unit, m.keys);
    if (comma != std::string_view::npos) apply_keys(unit, text.substr(comma + 1));
    return unit;
  }
  std::string offers;
  for (const PresetMode& m : preset->modes)
    offers += (offers.empty() ? "" : "; ") + joined(m.inputs) + " -> " + joined(m.outputs);
  throw InputError("dot unit " + preset->name + " does not take " + a.name() + " x " + b.name() +
                   " -> " + out_name + " (it takes " + offers + ")");
}

} // namespace qmac::dot
