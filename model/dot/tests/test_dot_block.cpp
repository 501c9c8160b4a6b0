// Block-scaled dot units (OCP MX v1.0, NVFP4) against the tests' exact model
// of the definition (dot_reference.cpp, reading SCALE:ELEMENT operands with
// its own decoders: value = scale * element, aligned by the sum of their
// exponents), on dot products from several distributions: real data
// quantized by each scale rule, any codes under random scales, the scale
// extremes (2^-127 and 2^127; NVFP4's smallest and largest E4M3), NaN and
// signed scales, zero blocks, largest-magnitude elements, and blocks that
// cancel exactly. Each dot product runs through DotEngine::dot (whose exact
// chains run on doubles) and its first block through DotEngine::block.
#include <catch2/catch.hpp>

#include "dot_test_util.h"
#include "qmac/dot/dot_engine.h"
#include "qmac/dot/presets.h"
#include "qmac/numerics/accumulator.h"
#include "qmac/numerics/block.h"
#include "test_util.h"

using namespace qmac_test;

namespace {

enum class BlockDist {
  Quantized,     // Gaussian or heavy-tailed reals, quantize_block by a random scale rule
  AnyCodes,      // every element code (NaN elements too) under random finite scales
  ScaleExtremes, // the smallest and largest scales
  Specials,      // a NaN (or, for E4M3, signed) scale in one block
  ZeroBlocks,    // whole blocks of +-0
  MaxMagnitude,  // elements at the format's largest magnitude
  Cancelling,    // the second half of the products negates the first
  kCount
};

const char* block_dist_name(BlockDist d) {
  static const char* names[] = {"quantized",   "any codes",     "scale extremes", "specials",
                                "zero blocks", "max magnitude", "cancelling"};
  return names[int(d)];
}

// Dot-product operands of one block format, packed SCALE:ELEMENT (the
// generators use the library's quantize_block; expected results never come
// from the library).
class BlockSource {
public:
  explicit BlockSource(const qmac::BlockFormat& f) : f_(f), in_(f) {
    for (uint64_t c = 0; c <= f.element.code_mask(); ++c) {
      const qmac::Value v = qmac::decode(f.element, c);
      if (v.is_finite()) finite_.push_back(c);
    }
    max_pos_ = f.element.max_finite_code();
    max_neg_ = qmac::encode(f.element, qmac::Value::finite(true, 0, 0)) == 0
                   ? max_pos_
                   : qmac::encode(f.element, [&] {
                       qmac::Value v = qmac::decode(f.element, max_pos_);
                       v.negative = true;
                       return v;
                     }());
  }

  const qmac::dot::DotInput& input() const { return in_; }

  // A finite scale code: E8M0 within 2^-20..2^20, E4M3 positive.
  uint64_t scale(std::mt19937_64& rng) const {
    if (f_.power_of_two_scale) return uint64_t(127 + int(rng() % 41) - 20);
    return 1 + rng() % 0x7e;
  }

  std::vector<uint64_t> draw(std::mt19937_64& rng, BlockDist d, size_t k) const {
    std::vector<uint64_t> codes(k);
    std::normal_distribution<double> gauss(0.0, 1.0);
    const size_t size = size_t(f_.block_size);
    const size_t special_block = rng() % ((k + size - 1) / size);
    for (size_t start = 0; start < k; start += size) {
      const size_t end = std::min(k, start + size);
      uint64_t s = scale(rng);
      std::vector<uint64_t> e(end - start);
      switch (d) {
      case BlockDist::Quantized: {
        const double spread = std::ldexp(1.0, int(rng() % 81) - 40);
        const bool heavy = rng() & 1;
        std::vector<qmac::Value> values;
        for (size_t i = 0; i < e.size(); ++i) {
          const double x = gauss(rng) * spread * (heavy ? std::exp(2 * gauss(rng)) : 1.0);
          values.push_back(value_of((long double)x)); // exact
        }
        const qmac::ScaleRounding rule = qmac::ScaleRounding(rng() % 3);
        const qmac::Block b = qmac::quantize_block(f_, values, rule);
        s = b.scale;
        e = b.elements;
        break;
      }
      case BlockDist::ScaleExtremes:
        if (f_.power_of_two_scale)
          s = (rng() & 1) ? 0x00 : 0xfe;
        else
          s = (rng() & 1) ? 0x01 : 0x7e;
        for (auto& c : e)
          c = finite_[rng() % finite_.size()];
        break;
      case BlockDist::ZeroBlocks:
        for (auto& c : e)
          c = (rng() & 1) && f_.element.is_signed ? f_.element.sign_bit() : 0;
        if (f_.element.kind == qmac::Kind::Integer) std::fill(e.begin(), e.end(), 0);
        break;
      case BlockDist::MaxMagnitude:
        for (auto& c : e)
          c = (rng() % 4) ? ((rng() & 1) ? max_pos_ : max_neg_) : finite_[rng() % finite_.size()];
        break;
      default: // AnyCodes, Specials, Cancelling: any codes (Cancelling fixes them up below)
        for (auto& c : e)
          c = d == BlockDist::AnyCodes ? rng() & f_.element.code_mask()
                                       : finite_[rng() % finite_.size()];
        break;
      }
      if (d == BlockDist::Specials && start / size == special_block)
        s = f_.power_of_two_scale ? 0xff : ((rng() & 1) ? 0x7f : 0x80 | scale(rng));
      for (size_t i = 0; i < e.size(); ++i)
        codes[start + i] = in_.pack(s, e[i]);
    }
    return codes;
  }

  // The same operand with the element's sign flipped (integers: negated,
  // -min staying min).
  uint64_t negated(uint64_t code) const {
    const uint64_t s = in_.scale_of(code), e = in_.element_of(code);
    const qmac::Value v = qmac::decode(f_.element, e);
    qmac::Value n = v;
    n.negative = !v.negative;
    qmac::RoundingOptions sat;
    sat.saturate = true;
    return in_.pack(s, v.is_finite() ? qmac::encode(f_.element, n, sat) : e);
  }

private:
  qmac::BlockFormat f_;
  qmac::dot::DotInput in_;
  std::vector<uint64_t> finite_;
  uint64_t max_pos_ = 0, max_neg_ = 0;
};

RefInput ref_input(const qmac::BlockFormat& f) {
  RefFormat element = ref_format(f.element.kind == qmac::Kind::Integer ? "int8" : f.element.name);
  element.lsb = f.element.lsb_exp; // mxint8: int8 with an implicit 2^-6
  return RefInput(element, ref_format(f.scale.name));
}

struct Config {
  const char* unit;
  const char* a;
  const char* b;
  const char* out;
  int promote = 0;
};

void check_random(const Config& cfg, long dots, uint64_t seed) {
  const qmac::BlockFormat fa = *qmac::find_block_format(cfg.a),
                          fb = *qmac::find_block_format(cfg.b);
  const qmac::AccumulatorSpec spec = qmac::parse_accumulator(cfg.out, fa.element, fb.element);
  const qmac::dot::DotUnit unit = qmac::dot::resolve_unit(cfg.unit, fa, fb, spec);
  qmac::dot::DotEngine engine(fa, fb, spec, unit);
  std::optional<qmac::dot::PromotedDot> promoted;
  if (cfg.promote) promoted.emplace(engine, cfg.promote);
  const RefUnit ref = ref_unit(unit);
  const RefInput ra = ref_input(fa), rb = ref_input(fb);
  const RefFormat ro = ref_format(cfg.out);
  const BlockSource sa(fa), sb(fb);
  std::mt19937_64 rng(seed);
  const size_t n = unit.whole() ? 64 : size_t(unit.n);
  Failures failures;
  long per_dist[int(BlockDist::kCount)] = {}, finite_results = 0, blocks = 0;
  for (long i = 0; i < dots; ++i) {
    const BlockDist d = BlockDist(i % int(BlockDist::kCount));
    const size_t k = cfg.promote ? size_t(cfg.promote) * (1 + rng() % 3) - rng() % 8
                                 : n * (rng() % 3) + 1 + rng() % n;
    std::vector<uint64_t> a = sa.draw(rng, d, k), b = sb.draw(rng, d, k);
    if (d == BlockDist::Cancelling) // second half: -a_i * b_i of the first half
      for (size_t j = 0; j + k / 2 < k && j < k / 2; ++j) {
        a[k / 2 + j] = sa.negated(a[j]);
        b[k / 2 + j] = b[j];
      }
    const uint64_t c = rng() % 3 ? draw_c(rng, spec.format, 1.0) : 0;
    const std::string what = std::string(block_dist_name(d)) + ": c " + hex(c) + ", a " +
                             codes_text(a) + ", b " + codes_text(b);
    qmac::Accumulator acc(spec);
    acc.load(c);
    uint64_t want;
    if (promoted) {
      promoted->dot(acc, a.data(), b.data(), k);
      want = ref_promoted_dot(ref, cfg.promote, ra, rb, ro, a, b, c);
    } else {
      engine.dot(acc, a.data(), b.data(), k);
      want = ref_dot(ref, ra, rb, ro, a, b, c);
    }
    blocks += long((k + n - 1) / n);
    ++per_dist[int(d)];
    finite_results += qmac::decode(spec.format, want).is_finite();
    if (acc.code() != want) failures.add(what + ": got " + hex(acc.code()) + ", want " + hex(want));
    const size_t first = std::min(k, n);
    const std::vector<uint64_t> a1(a.begin(), a.begin() + long(first)),
        b1(b.begin(), b.begin() + long(first));
    const uint64_t got_block = engine.block(c, a1.data(), b1.data(), first);
    const uint64_t want_block = ref_block(ref, ra, rb, ro, a1, b1, c);
    if (got_block != want_block)
      failures.add(what + ": first block got " + hex(got_block) + ", want " + hex(want_block));
  }
  for (int d = 0; d < int(BlockDist::kCount); ++d)
    CHECK(per_dist[d] >= dots / int(BlockDist::kCount));
  CHECK(finite_results > dots / 2);
  failures.report(std::string(cfg.unit) + " " + cfg.a + " x " + cfg.b + " -> " + cfg.out + " (" +
                      qmac::dot::describe(unit) + ", " + std::to_string(blocks) + " unit blocks)",
                  dots);
}

void check_all(std::initializer_list<Config> configs, uint64_t seed) {
  for (const Config& c : configs) {
    INFO(c.unit << " " << c.a << " x " << c.b << " -> " << c.out);
    check_random(c, scaled(40000), seed++);
  }
}

} // namespace

TEST_CASE("block-scaled units vs the exact reference: mx, one format block per unit block") {
  check_all({{"mx", "mxfp8_e4m3", "mxfp8_e4m3", "fp32"},
             {"mx", "mxfp8_e5m2", "mxfp8_e5m2", "fp32"},
             {"mx", "mxfp6_e3m2", "mxfp6_e3m2", "fp32"},
             {"mx", "mxfp6_e2m3", "mxfp6_e2m3", "fp32"},
             {"mx", "mxfp4", "mxfp4", "fp32"},
             {"mx", "mxint8", "mxint8", "fp32"},
             {"mx", "nvfp4", "nvfp4", "fp32"},
             {"mx", "mxfp8_e4m3", "mxfp4", "fp32"}},
            101);
}

TEST_CASE("block-scaled units vs the exact reference: MXDOTP, narrowed windows, other keys") {
  check_all({{"mxdotp", "mxfp8_e4m3", "mxfp8_e4m3", "fp32"},
             {"mxdotp", "mxfp8_e5m2", "mxfp8_e4m3", "fp32"},
             {"mx,bits=24,round=rz", "mxfp8_e4m3", "mxfp8_e4m3", "fp32"},
             {"mx,bits=14,round=rz", "nvfp4", "nvfp4", "fp32"},
             // NVFP4's E4M3 scales make a term up to 2^(emax + 4): 2^33 grid
             // units of a 30-bit window, past the fast path's int32 truncation.
             {"mx,bits=30,round=rz", "nvfp4", "nvfp4", "fp32"},
             {"mx,bits=29,round=rne,sticky=yes", "nvfp4", "nvfp4", "fp32"},
             {"mx,n=16,bits=20,sticky=yes", "mxfp6_e2m3", "mxfp6_e2m3", "fp32"},
             {"mx,n=all", "mxfp4", "mxfp4", "bf16"},
             {"mx,late-c=rne,round=rz", "mxint8", "mxint8", "fp32"},
             {"mx,n=8", "mxfp8_e4m3", "mxfp8_e4m3", "fp32", 64}},
            201);
}

TEST_CASE("block-scaled units: the presets and the refusals") {
  const auto mx8 = *qmac::find_block_format("mxfp8_e4m3"), nv = *qmac::find_block_format("nvfp4");
  const auto fp32 = qmac::parse_accumulator("fp32", mx8.element, mx8.element);
  CHECK(qmac::dot::resolve_unit("mx", mx8, mx8, fp32).n == 32);
  CHECK(qmac::dot::resolve_unit("mx", nv, nv, fp32).n == 16);
  CHECK(qmac::dot::resolve_unit("mx", mx8, mx8, fp32).exact());
  CHECK(qmac::dot::resolve_unit("mxdotp", mx8, mx8, fp32).n == 8);
  CHECK(qmac::dot::resolve_unit("exact", mx8, nv, fp32).whole());
  // NVIDIA's FP8 modes take e4m3fn elements, not MX blocks of them.
  CHECK_THROWS_AS(qmac::dot::resolve_unit("h100", mx8, mx8, fp32), qmac::InputError);
  CHECK_THROWS_AS(qmac::dot::resolve_unit("mx", mx8, nv, fp32), qmac::InputError);
  CHECK_THROWS_AS(qmac::dot::resolve_unit("mx", qmac::parse_format("e4m3fn"),
                                          qmac::parse_format("e4m3fn"), fp32),
                  qmac::InputError);
  const auto fx = qmac::parse_accumulator("fx+12", mx8.element, mx8.element);
  CHECK_THROWS_AS(qmac::dot::DotEngine(mx8, mx8, fx, qmac::dot::DotUnit{}), qmac::InputError);
  // Hardware reading one scale per beat: n divides the block (32, 16).
  CHECK_NOTHROW(qmac::dot::require_whole_blocks(mx8, 8));
  CHECK_NOTHROW(qmac::dot::require_whole_blocks(nv, 16));
  CHECK_NOTHROW(qmac::dot::require_whole_blocks(qmac::parse_format("e4m3fn"), 12));
  CHECK_THROWS_WITH(qmac::dot::require_whole_blocks(nv, 32),
                    Catch::Contains("n = 32 does not divide nvfp4's block of 16"));
  CHECK_THROWS_AS(qmac::dot::require_whole_blocks(mx8, 12), qmac::InputError);
}
