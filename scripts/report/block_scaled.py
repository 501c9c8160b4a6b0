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
from document import Paragraph, Table

# The element formats the block formats are compared with, and the block
# formats themselves (their family names as the sweep writes them).
ELEMENT_FORMATS = ("int8", "e4m3fn", "e5m2", "flint8")
BLOCK_PREFIXES = ("mx", "nvfp4")


def is_block(fmt):
    return fmt.startswith(BLOCK_PREFIXES)


def cheapest(results, dist, k):
    """Per format (a x a units without promotion): the unit of least area per
    product, as (area, energy, total bits, unit bits, N, unit, scale rule)."""
    best = {}
    for p in dot_units.points(results, dist, k):
        if p.promote or p.row.a != p.row.b or p.area is None:
            continue
        fmt = p.row.a
        if not (is_block(fmt) or fmt in ELEMENT_FORMATS):
            continue
        if fmt not in best or p.area < best[fmt][0]:
            best[fmt] = (p.area, p.energy, p.total_bits, p.bits, p.n, p.row.dot_unit,
                         p.row.scale_rounding)
    return best


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


def section(doc, results):
    ref = dot_units.reference_length(results)
    best = cheapest(results, *ref) if ref else {}
    rules = scale_rules(results, ref[0] if ref else "gaussian")
    if not any(is_block(f) for f in best) and not rules:
        return  # no block-scaled units in these results
    dist, k = ref
    s = doc.section("block-scaled", "Block-scaled units: MX and NVFP4 against INT8 and FP8")
    s.add(Paragraph(
        "Each format's cheapest unit in area per product (a x a, no promotion): a block "
        "format's elements share one scale per 32 (NVFP4: 16), applied inside the unit "
        "(docs/dot-units.md). Total bits: -log2 of the mean normwise error of K = %d dot "
        "products on %s data against the unquantized reals, quantization included; unit "
        "bits: the arithmetic's alone." % (k, dist.replace("_", "-"))))
    rows = []
    for fmt in sorted(best, key=lambda f: best[f][0]):
        area, energy, total, unit_bits, n, unit, rule = best[fmt]
        rows.append([fmt, unit, "-" if n is None else "%d" % n, rule or "-", "%.0f" % area,
                     "-" if energy is None else "%.0f" % energy, dot_units.fmt_bits(total),
                     dot_units.fmt_bits(unit_bits)])
    s.add(Table(["format", "unit", "N", "scale rule", "area/product", "energy/product",
                 "total bits", "unit bits"], rows,
                "Block-scaled and element formats: cost per product (NAND2 eq.; toggle units) "
                "and accuracy at K = %d" % k))
    if rules:
        names = sorted({r for v in rules.values() for r in v})
        s.add(Table(["format"] + ["SQNR, %s (dB)" % r for r in names],
                    [[f] + ["%.2f" % rules[f][r] if r in rules[f] else "-" for r in names]
                     for f in sorted(rules)],
                    "The block scale's rounding rule: quantization SQNR on %s data (floor: the "
                    "OCP rule; ceil: no element saturates; even: the nearest power of two)"
                    % dist.replace("_", "-")))


def cost_sentence(best, fmt, ref):
    """How a block format's area, energy and total bits compare with `ref`'s."""
    a, b = best[fmt], best[ref]
    area, energy = a[0] / b[0], (a[1] / b[1] if a[1] and b[1] else None)
    text = "Per product, %s (%s, N = %d) costs %.2fx %s's area" % (
        fmt, a[5], a[4], area, ref)
    if energy is not None:
        text += " and %.2fx its energy" % energy
    if a[2] is not None and b[2] is not None and not (math.isinf(a[2]) or math.isinf(b[2])):
        diff = a[2] - b[2]
        text += ", and keeps %.1f bits %s than %s at the reference K (%.1f against %.1f)" % (
            abs(diff), "more" if diff > 0 else "fewer", ref, a[2], b[2])
    return text + "."


def rule_sentence(fmt, rules):
    """Which scale rule quantizes `fmt` best, against the OCP floor rule."""
    best = max(rules, key=lambda r: rules[r])
    if "floor" not in rules or best == "floor":
        return ("For %s the OCP floor rule gives the best quantization SQNR of the rules "
                "measured (%s)." % (fmt, ", ".join("%s %.2f dB" % (r, rules[r])
                                                    for r in sorted(rules))))
    return ("For %s the %s scale rule beats the OCP floor rule by %.2f dB of quantization "
            "SQNR (%.2f against %.2f dB)." % (fmt, best, rules[best] - rules["floor"],
                                             rules[best], rules["floor"]))


def sentences(results):
    """The conclusion's sentences about block-scaled units, from the numbers."""
    ref = dot_units.reference_length(results)
    out = []
    if ref is not None:
        best = cheapest(results, *ref)
        for fmt in sorted(f for f in best if is_block(f)):
            for element in ("int8", "e4m3fn"):
                if element in best:
                    out.append(cost_sentence(best, fmt, element))
                    break
    rules = scale_rules(results, ref[0] if ref else "gaussian")
    for fmt in sorted(rules):
        out.append(rule_sentence(fmt, rules[fmt]))
    return out
