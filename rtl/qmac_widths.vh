// The widths a format vector (qmac_format.vh) implies, as constant functions
// for sizing wires. Included inside a module body.
//
// A decoded operand is (sign, integer significand, exponent): value =
// (-1)^sign * sig * 2^exp. qmac_sig_width gives the significand's bits, and
// qmac_exp_lo/qmac_exp_hi the range of its exponent, so that a parent can
// size the wires it passes to qmac_decode and qmac_multiplier.

// Each function reads the fields it needs of a whole vector.
// verilator lint_off UNUSEDSIGNAL

// Bits that carry the magnitude of a sign-magnitude code.
function integer qmac_mag_bits(input [63:0] f);
  qmac_mag_bits = (`QMAC_SIGNED(f) != 0 && `QMAC_KIND(f) != `QMAC_INT) ? `QMAC_BITS(f) - 1
                                                                      : `QMAC_BITS(f);
endfunction

function integer qmac_sig_width(input [63:0] f);
  if (`QMAC_KIND(f) == `QMAC_FLOAT) qmac_sig_width = `QMAC_MAN_BITS(f) + 1;
  else if (`QMAC_KIND(f) == `QMAC_FLINT) qmac_sig_width = qmac_mag_bits(f) - 1;
  else qmac_sig_width = `QMAC_BITS(f);  // |-2^(bits-1)| needs all `bits` bits
endfunction

// Largest finite binade's exponent field: the top field holds finite values
// unless the format reserves it for Inf/NaN (IEEE style).
function integer qmac_top_field(input [63:0] f);
  qmac_top_field = (`QMAC_SPECIALS(f) == `QMAC_IEEE) ? (1 << `QMAC_EXP_BITS(f)) - 2
                                                     : (1 << `QMAC_EXP_BITS(f)) - 1;
endfunction

// The smallest and largest exponent of a decoded operand.
function integer qmac_exp_lo(input [63:0] f);
  if (`QMAC_KIND(f) == `QMAC_FLOAT) qmac_exp_lo = 1 - `QMAC_BIAS(f) - `QMAC_MAN_BITS(f);
  else if (`QMAC_KIND(f) == `QMAC_FLINT) qmac_exp_lo = 0;
  else qmac_exp_lo = `QMAC_LSB(f);
endfunction

function integer qmac_exp_hi(input [63:0] f);
  if (`QMAC_KIND(f) == `QMAC_FLOAT)
    qmac_exp_hi = qmac_top_field(f) - `QMAC_BIAS(f) - `QMAC_MAN_BITS(f);
  else if (`QMAC_KIND(f) == `QMAC_FLINT) qmac_exp_hi = 2 * (qmac_mag_bits(f) - 1);
  else qmac_exp_hi = `QMAC_LSB(f);
endfunction

// verilator lint_on UNUSEDSIGNAL

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
