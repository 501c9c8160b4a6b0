// Format parameters as the RTL sees them, and the widths they imply.
//
// Included inside a module body. Every operand port of the qmac RTL carries a
// format described by the same eight parameters as qmac::Format
// (model/numerics/include/qmac/numerics/format.h):
//   KIND     QMAC_INT, QMAC_FLOAT or QMAC_FLINT
//   BITS     code width
//   SIGNED   two's complement (int) or a sign bit (float, flint)
//   LSB      int only: value = integer * 2^LSB
//   EXP_BITS, MAN_BITS, BIAS, SPECIALS   float only
// A decoded operand is (sign, integer significand, exponent): value =
// (-1)^sign * sig * 2^exp. The functions below give the significand width and
// the exponent range of that triple, so a parent can size the wires it passes.

// verilator lint_off UNUSEDPARAM
localparam integer QMAC_INT = 0, QMAC_FLOAT = 1, QMAC_FLINT = 2;
localparam integer QMAC_IEEE = 0, QMAC_FN = 1, QMAC_FNUZ = 2, QMAC_FIN = 3;
localparam integer QMAC_ACC_INT = 0, QMAC_ACC_FLOAT = 1, QMAC_ACC_FIXED = 2;
// verilator lint_on UNUSEDPARAM

// Bits that carry the magnitude of a sign-magnitude code.
function integer qmac_mag_bits(input integer kind, input integer bits, input integer sgn);
  qmac_mag_bits = (sgn != 0 && kind != QMAC_INT) ? bits - 1 : bits;
endfunction

function integer qmac_sig_width(input integer kind, input integer bits, input integer sgn,
                                input integer man);
  if (kind == QMAC_FLOAT) qmac_sig_width = man + 1;
  else if (kind == QMAC_FLINT) qmac_sig_width = qmac_mag_bits(kind, bits, sgn) - 1;
  else qmac_sig_width = bits;  // |-2^(bits-1)| needs all `bits` bits
endfunction

// Largest finite binade's field: the top field holds finite values unless the
// format reserves it for Inf/NaN (IEEE style).
function integer qmac_top_field(input integer ebits, input integer specials);
  qmac_top_field = (specials == QMAC_IEEE) ? (1 << ebits) - 2 : (1 << ebits) - 1;
endfunction

function integer qmac_exp_lo(input integer kind, input integer lsb, input integer man,
                             input integer bias);
  if (kind == QMAC_FLOAT) qmac_exp_lo = 1 - bias - man;
  else if (kind == QMAC_FLINT) qmac_exp_lo = 0;
  else qmac_exp_lo = lsb;
endfunction

function integer qmac_exp_hi(input integer kind, input integer bits, input integer sgn,
                             input integer lsb, input integer ebits, input integer man,
                             input integer bias, input integer specials);
  if (kind == QMAC_FLOAT) qmac_exp_hi = qmac_top_field(ebits, specials) - bias - man;
  else if (kind == QMAC_FLINT) qmac_exp_hi = 2 * (qmac_mag_bits(kind, bits, sgn) - 1);
  else qmac_exp_hi = lsb;
endfunction

// Bits of a two's complement number holding every integer in [lo, hi] (at least 2).
function integer qmac_signed_width(input integer lo, input integer hi);
  integer w;
  begin
    w = 2;
    while (lo < -(1 << (w - 1)) || hi > (1 << (w - 1)) - 1) w = w + 1;
    qmac_signed_width = w;
  end
endfunction

function integer qmac_max(input integer x, input integer y);
  qmac_max = x > y ? x : y;
endfunction

function integer qmac_clog2(input integer v);
  integer n;
  begin
    n = 0;
    while ((1 << n) < v) n = n + 1;
    qmac_clog2 = n;
  end
endfunction
