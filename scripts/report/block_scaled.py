"""The report's block-scaled section: what MX and NVFP4 dot units (model/dot's
`mx` units on OCP MX and NVFP4 operands) cost per product against INT8 and
FP8 units, how accurate they are, and what the block scale's rounding rule
does to their quantization.

A format's accuracy here is its total error in bits at the reference K:
-log2 of the mean normwise error of K-long dot products against the
unquantized reals (quantization and arithmetic together), which is what a
format choice changes; the arithmetic's own bits are in the dot-unit section.
"""

import math

import dot_units
from document import Figure, Paragraph, Table

# The element formats the block formats are compared with, and the block
# formats themselves (their family names as the sweep writes them).
ELEMENT_FORMATS = ("int8", "e4m3fn", "e5m2", "flint8")
BLOCK_PREFIXES = ("mx", "nvfp4")


# The scale rules in the order the report lists them.
RULE_ORDER = ("floor", "ceil", "even")


def is_block(fmt):
    return fmt.startswith(BLOCK_PREFIXES)


def standard_rule(fmt):
    """A block format's published scale rule: OCP MX floors the exponent,
    NVIDIA's NVFP4 recipe rounds amax / 6 to the nearest E4M3 value."""
    return "even" if fmt.startswith("nvfp4") else "floor"


def standard_rule_name(fmt):
    return ("NVIDIA's round-to-nearest rule (even)" if standard_rule(fmt) == "even"
            else "the OCP floor rule")


def cheapest(results, dist, k):
    """Per format (a x a units without promotion): the unit point
    (dot_units.UnitPoint at `dist`, K = k) of least area per product."""
    best = {}
    for p in dot_units.points(results, dist, k):
        if p.promote or p.row.a != p.row.b or p.area is None:
            continue
        fmt = p.row.a
        if not (is_block(fmt) or fmt in ELEMENT_FORMATS):
            continue
        # Scale rules share a unit's cost: among equal areas the format's
        # standard rule stands for it.
        rank = (p.area, p.row.scale_rounding != standard_rule(fmt))
        if fmt not in best or rank < (best[fmt].area,
                                      best[fmt].row.scale_rounding != standard_rule(fmt)):
            best[fmt] = p
    return best


def total_bits(point, dist, k):
    """A point's total bits (quantization and arithmetic) on another
    distribution at the same K."""
    return dot_units.bits(point.row.get("unit_err_total_%s_k%d" % (dist, k)))


def other_distributions(results, dist, k):
    """The distributions other than `dist` with unit errors at K = k."""
    return sorted({d for d, kk in dot_units.lengths(results) if kk == k and d != dist})


def kind(fmt):
    if is_block(fmt):
        return "block"
    if fmt.startswith("int"):
        return "int"
    return "flint" if fmt.startswith("flint") else "float"


def scale_rules(results, dist):
    """{block format: {rule: SQNR in dB}} from every point that quantizes a
    block format (MAC and unit points alike), when more than one rule is
    measured for it."""
    column = "sqnr_a_%s" % dist
    found = {}
    for r in results.ok_rows + results.dot_unit_rows:
        v = r.get(column)
        if v is None or not is_block(r.a) or not r.scale_rounding:
            continue
        found.setdefault(r.a, {})[r.scale_rounding] = v
    return {f: rules for f, rules in found.items() if len(rules) > 1}


def section(doc, results, out_dir=None, plots=None):
    ref = dot_units.reference_length(results)
    best = cheapest(results, *ref) if ref else {}
    rules = scale_rules(results, ref[0] if ref else "gaussian")
    if not any(is_block(f) for f in best) and not rules:
        return  # no block-scaled units in these results
    dist, k = ref
    others = other_distributions(results, dist, k)
    s = doc.section("block-scaled", "Block-scaled units: MX and NVFP4 against INT8 and FP8")
    s.add(Paragraph(
        "Each format's cheapest unit in area per product (a x a, no promotion): a block "
        "format's elements share one scale per 32 (NVFP4: 16), applied inside the unit "
        "(docs/dot-units.md). Total bits: -log2 of the mean normwise error of K = %d dot "
        "products against the unquantized reals, quantization included, on %s data (and "
        "on each other distribution measured); unit bits: the arithmetic's alone."
        % (k, dist.replace("_", "-"))))
    rows = []
    for fmt in sorted(best, key=lambda f: best[f].area):
        p = best[fmt]
        rows.append([fmt, p.row.dot_unit, "-" if p.n is None else "%d" % p.n,
                     p.row.scale_rounding or "-", "%.0f" % p.area,
                     "-" if p.energy is None else "%.0f" % p.energy,
                     dot_units.fmt_bits(p.total_bits)] +
                    [dot_units.fmt_bits(total_bits(p, d, k)) for d in others] +
                    [dot_units.fmt_bits(p.bits)])
    s.add(Table(["format", "unit", "N", "scale rule", "area/product", "energy/product",
                 "total bits, %s" % dist.replace("_", "-")] +
                ["total bits, %s" % d.replace("_", "-") for d in others] + ["unit bits"], rows,
                "Block-scaled and element formats: cost per product (NAND2 eq.; toggle units) "
                "and accuracy at K = %d" % k))
    if plots is not None and out_dir is not None:
        drawn = [(fmt, p) for fmt, p in best.items() if p.total_bits is not None]
        if drawn:
            made = plots.format_costs(
                [(fmt, p.area, p.energy, min(p.total_bits, 40.0), kind(fmt))
                 for fmt, p in sorted(drawn)],
                "total bits at K = %d (%s)" % (k, dist.replace("_", "-")), out_dir,
                "block_scaled_costs.png")
            s.add(Figure(made, "Each format's cheapest unit: total bits at K = %d against area "
                         "and energy per product (block formats purple)" % k))
    if rules:
        found = {r for v in rules.values() for r in v}
        names = [r for r in RULE_ORDER if r in found] + sorted(found - set(RULE_ORDER))
        s.add(Table(["format"] + ["SQNR, %s (dB)" % r for r in names],
                    [[f] + ["%.2f" % rules[f][r] if r in rules[f] else "-" for r in names]
                     for f in sorted(rules)],
                    "The block scale's rounding rule: quantization SQNR on %s data (floor: the "
                    "OCP rule; ceil: no element saturates; even: the nearest power of two)"
                    % dist.replace("_", "-")))


def cost_sentence(best, fmt, ref, others=(), k=None, dist=None):
    """How a block format's area, energy and total bits compare with `ref`'s
    (total bits on the reference distribution, then on each of `others` at
    the same K)."""
    a, b = best[fmt], best[ref]
    area = a.area / b.area
    energy = a.energy / b.energy if a.energy and b.energy else None
    text = "Per product, %s (%s, N = %d) costs %.2fx %s's area" % (
        fmt, a.row.dot_unit, a.n, area, ref)
    if energy is not None:
        text += " and %.2fx its energy" % energy

    def finite(*bits):
        return all(x is not None and not math.isinf(x) for x in bits)

    x, y = a.total_bits, b.total_bits
    if finite(x, y):
        where = "at K = %d on %s data" % (k, dist.replace("_", "-")) if dist else \
            "at the reference K"
        text += ", and keeps %.1f bits %s than %s %s (%.1f against %.1f)" % (
            abs(x - y), "more" if x > y else "fewer", ref, where, x, y)
    for d in others:
        x, y = total_bits(a, d, k), total_bits(b, d, k)
        if finite(x, y):
            text += "; on %s data %.1f bits %s (%.1f against %.1f)" % (
                d.replace("_", "-"), abs(x - y), "more" if x > y else "fewer", x, y)
    return text + "."


def rule_sentence(fmt, rules):
    """Which scale rule quantizes `fmt` best, against its standard rule (OCP
    MX: floor; NVFP4: even)."""
    best = max(rules, key=lambda r: rules[r])
    standard = standard_rule(fmt)
    if standard not in rules or best == standard:
        return ("For %s %s gives the best quantization SQNR of the rules measured (%s)."
                % (fmt, standard_rule_name(fmt),
                   ", ".join("%s %.2f dB" % (r, rules[r])
                             for r in sorted(rules, key=lambda r: -rules[r]))))
    return ("For %s the %s scale rule beats %s by %.2f dB of quantization SQNR (%.2f against "
            "%.2f dB)." % (fmt, best, standard_rule_name(fmt), rules[best] - rules[standard],
                           rules[best], rules[standard]))


def sentences(results):
    """The conclusion's sentences about block-scaled units, from the numbers."""
    ref = dot_units.reference_length(results)
    out = []
    if ref is not None:
        best = cheapest(results, *ref)
        others = other_distributions(results, *ref)
        for fmt in sorted(f for f in best if is_block(f)):
            for element in ("int8", "e4m3fn"):
                if element in best:
                    out.append(cost_sentence(best, fmt, element, others, ref[1], ref[0]))
                    break
    rules = scale_rules(results, ref[0] if ref else "gaussian")
    for fmt in sorted(rules):
        out.append(rule_sentence(fmt, rules[fmt]))
    return out
