// qmac bench --dot: products per second of the golden dot-product units, next
// to a plain fp32 dot-product loop over the same values and an exact rational
// sum (Boost.Multiprecision cpp_rational), all in the same run.
#include <boost/multiprecision/cpp_int.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "bench_data.h"
#include "cli.h"
#include "commands.h"
#include "qmac/dot/dot_engine.h"
#include "qmac/dot/presets.h"
#include "qmac/numerics/block.h"
#include "qmac/numerics/tensor.h"

namespace qmac::cli {
namespace {

using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;

// The configurations of the RTL list, every FP8 preset, an exact
// unit, and the block-scaled units (MX, NVFP4).
const char* kDefaultConfigs = "h100:e4m3fn:e4m3fn:fp32;h100:e5m2:e5m2:fp32;b200:e4m3fn:e4m3fn:fp32;"
                              "ada:e4m3fn:e4m3fn:fp32;arm-fdot4:e4m3fn:e4m3fn:fp32;"
                              "arm-fdot4:e4m3fn:e4m3fn:fp16;arm-fdot4:e5m2:e5m2:fp32;"
                              "arm-fdot2:e4m3fn:e4m3fn:fp32;exact:e4m3fn:e4m3fn:fp32;"
                              "n=32:int8:int8:int32;n=16,bits=26,round=rz:flint8:flint8:fp32;"
                              "mx:mxfp8_e4m3:mxfp8_e4m3:fp32;mx:mxfp4:mxfp4:fp32;"
                              "mx:nvfp4:nvfp4:fp32;mxdotp:mxfp8_e4m3:mxfp8_e4m3:fp32";

constexpr int kRounds = 5; // turns of baseline and unit; the best of each counts

struct Config {
  std::string unit, a, b, acc;
};

std::vector<Config> parse_configs(const std::string& text) {
  std::vector<Config> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(';', start), text.size());
    const std::string item = text.substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    std::vector<std::string> f;
    for (size_t p = 0;;) {
      const size_t q = item.find(':', p);
      f.push_back(item.substr(p, q == std::string::npos ? q : q - p));
      if (q == std::string::npos) break;
      p = q + 1;
    }
    if (f.size() != 4)
      throw InputError("--configs item '" + printable(item) + "' is not UNIT:A:B:ACC");
    out.push_back({f[0], f[1], f[2], f[3]});
  }
  if (out.empty()) throw InputError("--configs names no configuration");
  return out;
}

cpp_rational rational_of(const Value& v) {
  cpp_rational r = v.exponent >= 0
                       ? cpp_rational(cpp_int(v.significand) << v.exponent)
                       : cpp_rational(cpp_int(v.significand), cpp_int(1) << -v.exponent);
  return v.negative ? cpp_rational(-r) : r;
}

// n Gaussian operands of `in`: element codes (bench_data.h's calibration,
// capped at max_sigma), or a block format's SCALE:ELEMENT codes quantized
// in blocks (the scales follow the data).
std::vector<uint64_t> operand_codes(const dot::DotInput& in, size_t n, std::mt19937_64& rng,
                                    double max_sigma) {
  if (!in.block) return gaussian_codes<uint64_t>(in.element, n, rng, max_sigma);
  const auto codes = quantized_block_tensor(*in.block, n, Distribution::Gaussian, rng);
  return std::vector<uint64_t>(codes.begin(), codes.end());
}

Value operand_value(const dot::DotInput& in, uint64_t code) {
  if (!in.block) return decode(in.element, code);
  return block_element_value(*in.block, in.scale_of(code), in.element_of(code));
}

} // namespace

int bench_dot(const Args& args) {
  const size_t products = size_t(args.integer("--macs", 20000000, 1000, 100000000000LL));
  const size_t k = size_t(args.integer("--k", 256, 1, 1 << 20));
  std::mt19937_64 rng(uint64_t(args.integer("--seed", 1, 0, INT64_MAX)));
  const std::vector<Config> configs =
      parse_configs(args.get("--configs").value_or(kDefaultConfigs));

  // Every configuration is checked before the first line is printed.
  struct Prepared {
    Config c;
    dot::DotInput fa, fb;
    AccumulatorSpec spec;
    dot::DotUnit unit;
  };
  std::vector<Prepared> prepared;
  for (const Config& c : configs) {
    const dot::DotInput fa = dot::DotInput::parse(c.a), fb = dot::DotInput::parse(c.b);
    const AccumulatorSpec spec = parse_accumulator(c.acc, fa.element, fb.element);
    const dot::DotUnit unit = dot::resolve_unit(c.unit, fa, fb, spec);
    dot::DotEngine check(fa, fb, spec, unit); // refusals surface here
    prepared.push_back({c, fa, fb, spec, unit});
  }

  // Two operands of pool + K 8-byte codes: 20 KiB at the default K = 256,
  // in the 32 KiB first-level cache, so the run measures arithmetic (2048
  // codes each, 36 KiB, did not fit).
  const size_t pool = 1 << 10;
  const size_t dots = std::max<size_t>(1, products / k / kRounds);
  const size_t rational_dots = std::max<size_t>(1, dots / 200);
  std::printf("%-28s %-11s %-11s %-6s %12s %14s %7s %14s\n", "unit", "a", "b", "acc", "products/s",
              "plain fp32/s", "ratio", "exact ratnl/s");
  for (const Prepared& p : prepared) {
    // Operands calibrated per tensor, but small enough that a K-long dot
    // product (about sigma^2 sqrt(K)) stays 2^10 below the output's largest
    // value: a result overflowing to Inf would time the special-value path.
    const double out_largest =
        p.spec.kind == AccKind::Float ? largest_magnitude(p.spec.format).to_double() : HUGE_VAL;
    const double max_sigma = std::sqrt(out_largest / 1024 / std::sqrt(double(k)));
    const auto a = operand_codes(p.fa, pool + k, rng, max_sigma);
    const auto b = operand_codes(p.fb, pool + k, rng, max_sigma);
    std::vector<float> fa(a.size()), fb(b.size());
    std::vector<cpp_rational> ra(a.size()), rb(b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      const Value va = operand_value(p.fa, a[i]), vb = operand_value(p.fb, b[i]);
      fa[i] = float(va.to_double());
      fb[i] = float(vb.to_double());
      ra[i] = rational_of(va);
      rb[i] = rational_of(vb);
    }
    // The baseline, a plain fp32 dot-product loop over the same values, and
    // the unit, measured in turns: each rate is the best of kRounds, so that
    // a slow moment of a shared machine does not decide the ratio.
    dot::DotEngine engine(p.fa, p.fb, p.spec, p.unit);
    Accumulator acc(p.spec);
    volatile float sink = 0;
    uint64_t check = 0;
    double plain = 0, rate = 0;
    for (int round = 0; round < kRounds; ++round) {
      auto t0 = std::chrono::steady_clock::now();
      for (size_t d = 0; d < dots; ++d) {
        const size_t off = (d * 4099) % pool;
        float sum = 0;
        for (size_t i = 0; i < k; ++i)
          sum += fa[off + i] * fb[off + i];
        sink = sink + sum;
      }
      plain = std::max(plain, double(dots * k) / seconds_since(t0));
      t0 = std::chrono::steady_clock::now();
      for (size_t d = 0; d < dots; ++d) {
        const size_t off = (d * 4099) % pool;
        acc.clear();
        engine.dot(acc, &a[off], &b[off], k);
        check += acc.code();
      }
      rate = std::max(rate, double(dots * k) / seconds_since(t0));
    }

    // The exact sum of the same products as rationals.
    cpp_rational total = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (size_t d = 0; d < rational_dots; ++d) {
      const size_t off = (d * 4099) % pool;
      cpp_rational s = 0;
      for (size_t i = 0; i < k; ++i)
        s += ra[off + i] * rb[off + i];
      total += s;
    }
    const double rational = double(rational_dots * k) / seconds_since(t0);
    sink = sink + float(check & 1) + float(total != 0);

    std::printf("%-28s %-11s %-11s %-6s %12.3g %14.3g %7.2f %14.3g\n", p.c.unit.c_str(),
                p.c.a.c_str(), p.c.b.c_str(), p.c.acc.c_str(), rate, plain, rate / plain, rational);
  }
  return 0;
}

} // namespace qmac::cli
