"""The report's dot-product unit section: what each unit's window, block size
and promotion cost in accuracy and in area and energy per product (the
sweep's `units` points: model/dot's units, their cost from model/cost, their
error from model/accuracy).

Errors are the sweep's normwise mean errors; a unit's accuracy is given in
bits, -log2(error): the bits of the result the arithmetic leaves correct.
"""

import math
import re

from document import Figure, Paragraph, Table

UNIT_ERR = re.compile(r"^unit_err_(.+)_k(\d+)$")


def bits(err):
    """-log2 of a normwise error: inf for none, 0 for an error of 1 or more."""
    if err is None:
        return None
    if err == 0:
        return math.inf
    if not math.isfinite(err) or err >= 1:
        return 0.0
    return -math.log2(err)


def lengths(results):
    """(distribution column name, K) pairs the results have unit errors for."""
    found = []
    for column in results.columns:
        m = UNIT_ERR.match(column)
        # unit_err_max_* and unit_err_total_* are other figures, not distributions
        if m and not m.group(1).startswith(("max_", "total_")):
            found.append((m.group(1), int(m.group(2))))
    return found


def keys(row):
    """A unit's parsed keys: {'n': '32', 'bits': '14', ...} from its name,
    with 'preset' for a leading preset name."""
    out = {}
    for i, item in enumerate(row.dot_unit.split(",")):
        if "=" in item:
            k, v = item.split("=", 1)
            out[k] = v
        elif i == 0:
            out["preset"] = item
    return out


class UnitPoint:
    """One dot unit's row, as the section reads it."""

    def __init__(self, row, dist, k):
        self.row = row
        self.fmt = row.a if row.a == row.b else row.a + " x " + row.b
        self.n = row.get("products_per_cycle")
        self.promote = int(row.promote or 0)
        self.keys = keys(row)
        self.area = row.get("area_per_product")
        self.energy = row.get("energy_per_product")
        self.gates = row.get("gates_per_product")
        self.bits = bits(row.get("unit_err_%s_k%d" % (dist, k)))
        # Quantization and arithmetic together, against the unquantized reals.
        self.total_bits = bits(row.get("unit_err_total_%s_k%d" % (dist, k)))
        self.pareto = False

    @property
    def unit_text(self):
        """The unit, and a block format's scale rule when the point gives one."""
        rule = self.row.scale_rounding
        return self.row.dot_unit + (" (scale %s)" % rule if rule else "")

    @property
    def label(self):
        text = "%s %s" % (self.fmt, self.unit_text)
        return text + (", P=%d" % self.promote if self.promote else "")

    @property
    def is_int(self):
        return self.row.acc.startswith("int")

    @property
    def window(self):
        return self.keys.get("bits")

    @property
    def is_exact(self):
        """An exact window: bits=exact (rounding once per block), or the
        `exact` preset (one rounding for the whole dot product)."""
        return self.window == "exact" or (self.keys.get("preset") == "exact" and
                                          self.window is None)


def exact_reference(pts, fmt, n=None):
    """The exact unit a window is judged against: the one of the same format
    and N if swept, else the format's best exact unit (the whole-K preset
    among them); None if there is none."""
    exact = [p for p in pts if p.fmt == fmt and p.is_exact and not p.promote and
             p.bits is not None]
    same_n = [p for p in exact if n is not None and p.n == n]
    return max(same_n or exact, key=lambda p: p.bits, default=None)


def points(results, dist, k):
    return [UnitPoint(r, dist, k) for r in results.dot_unit_rows]


def pareto(pts, cost="area"):
    """The units no other beats on both `cost` per product (less: "area" or
    "energy") and bits (more), cheapest first; with the area, marks them."""
    usable = [p for p in pts if getattr(p, cost) is not None and p.bits is not None]
    front, best = [], -math.inf
    for p in sorted(usable, key=lambda p: (getattr(p, cost), -p.bits)):
        if p.bits > best:
            if cost == "area":
                p.pareto = True
            front.append(p)
            best = p.bits
    return front


def int8_vs_fp8(results, column="area_per_product"):
    """[(N, FP8 / INT8 `column`)]: per N, the cheapest e4m3fn unit without
    promotion against the cheapest int8 unit (area or energy per product)."""
    fp8, int8 = {}, {}
    for r in results.dot_unit_rows:
        cost, n = r.get(column), r.get("products_per_cycle")
        if cost is None or n is None or int(r.promote or 0):
            continue
        table = fp8 if (r.a, r.b) == ("e4m3fn", "e4m3fn") else (
            int8 if (r.a, r.b) == ("int8", "int8") else None)
        if table is not None:
            table[int(n)] = min(cost, table.get(int(n), math.inf))
    return [(n, fp8[n] / int8[n]) for n in sorted(set(fp8) & set(int8))]


def narrowest_windows(results, dist, k, slack=0.5):
    """For each float format and N with a finite window swept: the narrowest
    window whose bits at K stay within `slack` of the exact reference
    (exact_reference: the same N's exact unit, else the whole-K one), no
    promotion: [(format, N, window or None if none is within, its bits,
    the reference's bits, area per product)]."""
    pts = [p for p in points(results, dist, k) if not p.promote and p.bits is not None]
    out = []
    for fmt, n in sorted({(p.fmt, p.n) for p in pts if not p.is_int and p.n is not None and
                          p.window not in (None, "exact")}):
        ref = exact_reference(pts, fmt, n)
        if ref is None:
            continue
        within = [p for p in pts if p.fmt == fmt and p.n == n and
                  p.window not in (None, "exact") and p.bits >= ref.bits - slack]
        best = min(within, key=lambda p: int(p.window), default=None)
        out.append((fmt, int(n), None if best is None else int(best.window),
                    None if best is None else best.bits, ref.bits,
                    None if best is None else best.area))
    return out


def reference_length(results):
    """The K the section judges at: 4096 if measured, else the largest."""
    ls = lengths(results)
    if not ls:
        return None
    dist = ls[0][0]
    ks = sorted({k for d, k in ls if d == dist})
    return dist, (4096 if 4096 in ks else ks[-1])


def fmt_bits(b):
    return "-" if b is None else ("exact" if math.isinf(b) else "%.1f" % b)


def section(doc, results, out_dir, plots):
    s = doc.section("dot-units", "Dot-product units: window, block size and promotion")
    ref = reference_length(results)
    if not results.dot_unit_rows or ref is None:
        s.add(Paragraph("These results have no dot-product units (a sweep's `units` grid)."))
        return
    dist, k = ref
    pts = points(results, dist, k)
    pareto(pts)  # marks the area front for the table
    ks = sorted({kk for d, kk in lengths(results) if d == dist})
    s.add(Paragraph(
        "Each unit sums N products per cycle in an aligned window of `bits` and rounds once "
        "(docs/dot-units.md); accuracy is -log2 of the mean normwise error of K-long dot "
        "products on %s data against the exact sum of the quantized products (what the "
        "arithmetic loses), area per product the synthesized unit over N and energy per "
        "product the toggles of its netlist on %s operands over the products (docs/cost.md). "
        "Pareto front (least area for the bits) at K = %d marked *. The last column is the "
        "total error against the unquantized reals, where a format's quantization counts too."
        % (dist.replace("_", "-"), "Gaussian", k)))
    rows = []
    for p in sorted(pts, key=lambda p: (p.fmt, p.n or 0, p.row.dot_unit, p.promote)):
        rows.append([("*" if p.pareto else "") + p.fmt, p.unit_text, str(p.promote or "-"),
                     "-" if p.n is None else "%d" % p.n,
                     "-" if p.gates is None else "%.0f" % p.gates,
                     "-" if p.area is None else "%.0f" % p.area,
                     "-" if p.energy is None else "%.0f" % p.energy] +
                    [fmt_bits(bits(p.row.get("unit_err_%s_k%d" % (dist, kk)))) for kk in ks] +
                    [fmt_bits(p.total_bits)])
    s.add(Table(["format", "unit", "promote", "N", "gates/product", "area/product",
                 "energy/product"] +
                ["bits, K=%d" % kk for kk in ks] + ["total bits, K=%d" % k], rows,
                "Dot-product units: cost per product (NAND2 eq.; toggle units) and accuracy "
                "(bits) per reduction length"))
    for cost, name in (("area", "dot_units_pareto.png"), ("energy", "dot_units_pareto_energy.png")):
        usable = [p for p in pts if getattr(p, cost) is not None and p.bits is not None]
        if not usable:
            continue
        on_front = set(id(p) for p in pareto(pts, cost))
        made = plots.unit_pareto(
            [(getattr(p, cost), min(p.bits, 40.0), id(p) in on_front, p.is_int, p.label)
             for p in usable],
            "bits at K = %d (%s)" % (k, dist.replace("_", "-")), out_dir, name, cost)
        s.add(Figure(made, "%s per product against accuracy at K = %d; the Pareto front "
                     "labelled (exact results drawn at 40 bits)" % (cost.capitalize(), k)))
    area, energy = dict(int8_vs_fp8(results)), dict(int8_vs_fp8(results, "energy_per_product"))
    if area or energy:
        s.add(Table(["N", "FP8 / INT8 area per product", "FP8 / INT8 energy per product"],
                    [["%d" % n, "%.2f" % area[n] if n in area else "-",
                      "%.2f" % energy[n] if n in energy else "-"]
                     for n in sorted(set(area) | set(energy))],
                    "The cheapest e4m3fn unit against the int8 tree, per block size N"))
    windows = narrowest_windows(results, dist, k)
    if windows:
        s.add(Table(["format", "N", "narrowest window", "its bits", "exact unit's bits",
                     "area/product"],
                    [[f, "%d" % n, "none swept" if w is None else "%d" % w, fmt_bits(b),
                      fmt_bits(e), "-" if a is None else "%.0f" % a]
                     for f, n, w, b, e, a in windows],
                    "The narrowest window within 0.5 bit of the exact unit at K = %d (the "
                    "exact unit of the same N, else the whole-K one)" % k))


def ratio_sentence(ratios, what):
    """How FP8's `what` per product relative to INT8's moves with N."""
    (n0, r0), (n1, r1) = ratios[0], ratios[-1]
    trend = "falls" if r1 < r0 else "rises"
    where = ("FP8 costs less %s per product than INT8 from N = %d" %
             (what, min(n for n, r in ratios if r < 1))) if any(r < 1 for _, r in ratios) else \
        "INT8 stays cheaper in %s per product at every N measured" % what
    return ("Per product, an FP8 dot unit's %s relative to INT8's %s from %.2fx at N = %d to "
            "%.2fx at N = %d: %s." % (what, trend, r0, n0, r1, n1, where))


# Named layers whose reduction length the conclusion speaks of, when measured.
LAYERS = {11008: "the 7B LLM's down-projection"}


def layer_sentences(results, dist):
    """For each named layer's K: the bits h100-style FP8 loses against the
    exact unit there, and what promotion gets back."""
    out = []
    for k, layer in sorted(LAYERS.items()):
        if ("%s" % dist, k) not in lengths(results):
            continue
        pts = [p for p in points(results, dist, k) if p.bits is not None]
        h100 = [p for p in pts if p.keys.get("preset") == "h100" and len(p.keys) == 1]
        for p in (q for q in h100 if not q.promote):
            exact = exact_reference(pts, p.fmt)
            if exact is None or math.isinf(p.bits) or math.isinf(exact.bits):
                continue
            text = ("For %s (K = %d), h100-style %s without promotion loses %.1f bits against "
                    "an exact unit (%.1f against %.1f)" %
                    (layer, k, p.fmt, exact.bits - p.bits, p.bits, exact.bits))
            best = max((q for q in h100 if q.fmt == p.fmt and q.promote), key=lambda q: q.bits,
                       default=None)
            if best is not None:
                text += "; promotion every %d gets back %.1f" % (best.promote, best.bits - p.bits)
            out.append(text + ".")
    return out


def sentences(results):
    """The conclusion's sentences about dot units, from the numbers alone."""
    ref = reference_length(results)
    if not results.dot_unit_rows or ref is None:
        return []
    dist, k = ref
    out = []
    for column, what in (("area_per_product", "area"), ("energy_per_product", "energy")):
        ratios = int8_vs_fp8(results, column)
        if len(ratios) >= 2:
            out.append(ratio_sentence(ratios, what))
    pts = [p for p in points(results, dist, k) if p.bits is not None]
    h100 = [p for p in pts if p.keys.get("preset") == "h100" and len(p.keys) == 1]
    for p in (q for q in h100 if not q.promote):
        best = max((q for q in h100 if q.fmt == p.fmt and q.promote), key=lambda q: q.bits,
                   default=None)
        ref_exact = exact_reference(pts, p.fmt)
        if ref_exact is None or math.isinf(p.bits):
            continue
        text = "At K = %d, h100-style %s keeps %.1f bits against %s for an exact unit" % (
            k, p.fmt, p.bits, fmt_bits(ref_exact.bits))
        if best is not None:
            text += "; promotion every %d brings it to %.1f" % (best.promote, best.bits)
            if not math.isinf(ref_exact.bits) and best.bits < ref_exact.bits:
                text += ", still %.1f bits short of the exact unit (each run of %d is summed " \
                        "in the narrow window)" % (ref_exact.bits - best.bits, best.promote)
        out.append(text + ".")
    return out + layer_sentences(results, dist)
