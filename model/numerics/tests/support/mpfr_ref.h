// MPFR as the independent reference for every float rounding (tests only).
//
// Two recipes, checked against each other and against RefTable::round in
// test_reference.cpp:
//  A (mpfr_round_double, mpfr_round_string): precision M+1, emin set so that the
//    smallest positive MPFR number is the format's smallest subnormal, the default
//    (huge) emax, then mpfr_check_range + mpfr_subnormalize.
//  B (mpfr_round_grid): an exact MPFR value scaled to the format's quantum at its
//    binade (unbounded exponent, subnormal quantum below 2^emin) and rounded to an
//    integer with mpfr_rint / mpfr_round.
// Ties of a format with one significand bit (M = 0: e5m0, e8m0fnu) go to the even
// *code*, as ml_dtypes rounds the bit pattern; MPFR's precision-1 RNDN would
// instead always pick the even significand 10b (the larger power of two).
#pragma once

#include <cstdint>

#include <mpfr.h>

#include "ref_format.h"

namespace qmac_test {

// An mpfr_t that cleans up after itself.
class Mp {
public:
  explicit Mp(mpfr_prec_t prec = 64) { mpfr_init2(v_, prec); }
  ~Mp() { mpfr_clear(v_); }
  Mp(const Mp&) = delete;
  Mp& operator=(const Mp&) = delete;
  operator mpfr_ptr() { return v_; }
  operator mpfr_srcptr() const { return v_; }
  mpfr_ptr get() { return v_; }

private:
  mpfr_t v_;
};

mpfr_rnd_t mpfr_mode(Mode m); // RNE -> RNDN, RTZ -> RNDZ, RNA -> RNDA (directed, for recipe A only)

// Recipe A. out must have precision M+1. rnd: MPFR_RNDN, MPFR_RNDZ or MPFR_RNDA.
void mpfr_round_double(mpfr_ptr out, double d, const RefFormat& f, mpfr_rnd_t rnd);
// Recipe A from text (mpfr_strtofr, base 0: decimal, or 0x... hex-float with p exponent).
// Returns false when MPFR does not read the whole text.
bool mpfr_round_string(mpfr_ptr out, const char* text, const RefFormat& f, mpfr_rnd_t rnd);

// Recipe B: out (precision >= M+2) = x rounded on f's grid by mode.
void mpfr_round_grid(mpfr_ptr out, mpfr_srcptr x, const RefFormat& f, Mode mode);

// Code of a rounded result r (unbounded exponent) by the spec's rules: beyond the
// largest finite value the overflow rule; -0 only where the format has it;
// NaN the canonical NaN. table may be null (wide formats use ref_encode_float).
uint64_t ref_overflow_code(const RefFormat& f, bool neg, Mode mode, bool saturate);
uint64_t code_of_rounded(const RefFormat& f, const RefTable* table, mpfr_srcptr r, Mode mode,
                         bool saturate);

// Quantization of doubles by recipe A, in every deterministic mode at once.
class MpfrQuantizer {
public:
  explicit MpfrQuantizer(const RefFormat& f);
  const RefTable& table() const { return table_; }
  // codes[int(Mode)][saturate]; RefTable::kThrows for NaN into a format without NaN.
  void quantize(double d, uint64_t codes[3][2]);
  // The same for a decimal or hex-float text (false when MPFR cannot read it).
  bool quantize_string(const char* text, uint64_t codes[3][2]);

private:
  // Codes by mode from the RNDZ, RNDA (and RNDN) results of recipe A, given how
  // the exact input compares in magnitude with the midpoint of z and a.
  void resolve(mpfr_srcptr z, mpfr_srcptr a, mpfr_srcptr n, int cmp_to_mid, uint64_t codes[3][2]);

  RefFormat f_;
  RefTable table_;
  Mp z_, a_, n_, sum_, twice_;
};

// One floating accumulation step by MPFR: round(acc + product) once, in format f
// (precision M+1, subnormals, unbounded exponent, IEEE overflow and Inf/NaN).
// flush: a subnormal result becomes a zero of its sign.
uint64_t mpfr_accumulate(const RefFormat& f, uint64_t acc_code, const RefVal& product, Mode mode,
                         bool saturate, bool flush);

} // namespace qmac_test
