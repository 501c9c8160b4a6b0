"""The report's sections: tables and figures built from a sweep's results.

Each function adds one section to the document. Missing columns or rows
make a section say what is missing instead of failing, so a sweep without
synthesis, energy or the int8 -> fx+12 baseline still gives a report.
"""

import math

import analysis
import figure3
import plots
from document import Bullets, Figure, Paragraph, Table
from results import pair_name, unit_label

# Every figure a report can have: a new report into an old directory removes
# them first, so no figure of an earlier report is left next to this one.
FIGURES = ("cost_heatmap.png", "figure3_absolute.png", "figure3_relative.png", "pareto.png",
           "arrays_per_area.png", "arrays_per_energy.png", "four_bit_sqnr.png",
           "dot_units_pareto.png")

ESTIMATE = "(estimate: 45 nm scale, docs/cost.md, \"Energy\" and \"Throughput\")"


def fmt(x, digits=2, suffix=""):
    """A number for a table: '-' when absent, 'inf' when infinite."""
    if x is None:
        return "-"
    if isinstance(x, float) and math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return ("%." + str(digits) + "f") % x + suffix


def pct(x, digits=1):
    return "-" if x is None else ("%." + str(digits) + "f%%") % (100 * x)


def overview(doc, results, formats):
    s = doc.section("overview", "What was swept")
    ok, failed = len(results.ok_rows), len(results.error_rows)
    s.add(Paragraph(
        "%d design points from %s: %d ok, %d failed. Operand formats: %s. Accumulators: %s. "
        "Accuracy distributions: %s." % (
            len(results.rows), results.directory, ok, failed,
            ", ".join(sorted({pair_name(r.a, r.b) for r in results.ok_rows})) or "none",
            ", ".join(sorted({r.acc for r in results.ok_rows})) or "none",
            ", ".join(results.distributions) or "none")))
    s.add(Paragraph(
        "Costs are relative to int8\u2192fx+12, the paper's reference MAC. Energy per MAC is in "
        "toggle units of the synthesized netlist; picojoules, GHz, TOPS and TOPS/W are "
        "estimates %s. Block formats (MX, NVFP4) have accuracy figures only." % ESTIMATE))


def cost_table(doc, results, out_dir):
    """(a) Area and energy per MAC of every format x accumulator."""
    s = doc.section("cost", "Area and energy per MAC relative to int8\u2192fx+12")
    units = results.units(need="gates_total")
    if not units:
        s.add(Paragraph("No configuration in these results has cost figures."))
        return
    if results.baseline("area_nand2") is None and results.baseline("gates_total") is None:
        s.add(Paragraph("The sweep does not include int8\u2192fx+12, so ratios are missing."))
    rows = []
    for r in units:
        rows.append([unit_label(r, results), fmt(r.get("gates_total"), 0),
                     fmt(analysis.ratio(results, r, "gates_total")),
                     fmt(r.get("area_nand2"), 0), fmt(analysis.ratio(results, r, "area_nand2")),
                     fmt(r.get("energy_per_mac"), 1),
                     fmt(analysis.ratio(results, r, "energy_per_mac")),
                     fmt(r.get("energy_pj_est"), 3), fmt(r.get("depth"), 0),
                     fmt(r.get("frequency_ghz_est"), 2)])
    s.add(Table(["configuration", "gates (model)", "x", "area (NAND2 eq., synth.)", "x",
                 "energy/MAC (toggle units)", "x", "pJ/MAC (est.)", "logic depth",
                 "GHz (est.)"], rows,
                "Cost of each MAC configuration; x = relative to int8\u2192fx+12"))
    pairs = list(dict.fromkeys(pair_name(r.a, r.b) for r in units))
    accs = list(dict.fromkeys(r.acc for r in units))
    panels = []
    for title, column in (("area relative to int8\u2192fx+12 (synthesis)", "area_nand2"),
                          ("energy per MAC relative to int8\u2192fx+12", "energy_per_mac")):
        values = {}
        for r in units:
            v = analysis.ratio(results, r, column)
            if v is not None:
                values.setdefault((pair_name(r.a, r.b), r.acc), v)
        if values:
            panels.append((title, values))
    if panels:
        name = plots.heatmaps(pairs, accs, panels, out_dir, "cost_heatmap.png")
        s.add(Figure(name, "Area and energy per MAC of every format \u00d7 accumulator, "
                           "relative to int8\u2192fx+12 (lower is cheaper; '-' not measured)"))


def paper_figure3(doc, bars, out_dir):
    """(b) The paper's Figure 3 next to qmac's model and synthesis."""
    s = doc.section("figure3", "The paper's Figure 3 next to qmac's model and synthesis")
    s.add(Paragraph(
        "van Baalen et al. 2023 count NAND2-equivalent gates of INT8 and FP8 MACs with three "
        "accumulators (paper totals from scripts/report/paper_figure3.csv). qmac prices the "
        "same configurations with its analytical gate model and synthesizes its RTL with Yosys "
        "(generic gates, flip-flops included); the paper's FP8-Ex is qmac's eXmYfnuz."))
    rel = {k: figure3.relative(bars, k) for k in ("paper", "analytic", "synth")}
    rows = []
    for i, b in enumerate(bars):
        model = b.analytic and b.analytic.get("total")
        err = (model / b.paper["total"] - 1) if model else None
        rows.append([b.label, b.format + "\u2192" + b.acc, fmt(b.paper["total"], 0),
                     fmt(model, 0), pct(err), fmt(b.synth, 0), fmt(rel["paper"][i]),
                     fmt(rel["analytic"][i]), fmt(rel["synth"][i])])
    s.add(Table(["paper", "qmac", "paper gates", "model gates", "model vs paper",
                 "synth. NAND2 eq.", "paper x", "model x", "synth. x"], rows,
                "Figure 3 totals; x = relative to INT8\u2192FX+12 of the same source"))
    labels = [b.label for b in bars]
    series = [("paper (Figure 3)", [b.paper["total"] for b in bars])]
    if any(b.analytic for b in bars):
        series.append(("qmac analytical model",
                       [b.analytic and b.analytic.get("total") for b in bars]))
    if any(b.synth for b in bars):
        series.append(("qmac synthesis (Yosys)", [b.synth for b in bars]))
    name = plots.grouped_bars(labels, series, "NAND2-equivalent gates",
                              "Gates per MAC: the paper, qmac's model, qmac's synthesis",
                              out_dir, "figure3_absolute.png")
    s.add(Figure(name, "Figure 3's totals next to qmac's analytical model and synthesis"))
    rel_series = [("paper", rel["paper"]), ("qmac model", rel["analytic"]),
                  ("qmac synthesis", rel["synth"])]
    rel_series = [x for x in rel_series if any(v is not None for v in x[1])]
    name = plots.grouped_bars(labels, rel_series, "relative to INT8\u2192FX+12",
                              "Cost relative to INT8\u2192FX+12 (each source its own reference)",
                              out_dir, "figure3_relative.png", reference=1.0)
    s.add(Figure(name, "The same, each source relative to its own INT8\u2192FX+12"))


def pareto_fronts(doc, results, formats, fronts, out_dir):
    """(c) SQNR-versus-energy Pareto fronts per distribution."""
    s = doc.section("pareto", "SQNR against energy per MAC: Pareto fronts per distribution")
    if not any(points for points, _ in fronts.values()):
        s.add(Paragraph("No configuration has both an energy per MAC and an SQNR, so there is "
                        "no front to draw (block formats and sweeps without energy)."))
        return
    s.add(Paragraph(
        "Each point is a MAC configuration: x its energy per MAC, y the SQNR of its inputs "
        "quantized at the best per-tensor scale (the weaker operand). A configuration is "
        "Pareto-optimal if no other has at most its energy and at least its SQNR with one "
        "of the two strictly better (so two with the same energy and SQNR are both on it). "
        "Configurations whose accumulator overflowed in a dot product on that distribution "
        "(grey crosses), or whose accumulator adds more than half of the dot products' "
        "median error (grey rings), are not eligible: their inputs' SQNR does not describe "
        "their results."))
    panels = []
    for dist, (points, _) in fronts.items():
        for p in points:
            p.kind = formats.kind(p.row.a)
            p.label = unit_label(p.row, results)
        panels.append((dist, points))
    name = plots.pareto(panels, analysis.pj_per_unit(results), out_dir, "pareto.png")
    s.add(Figure(name, "SQNR against energy per MAC per distribution; Pareto-optimal "
                       "configurations outlined and labelled (pJ axis: estimate)"))
    for dist, (_, front) in fronts.items():
        rows = [[p.label, fmt(p.energy, 1), fmt(p.row.get("energy_pj_est"), 3),
                 fmt(p.sqnr, 1), fmt(p.dot_err, 5), fmt(p.acc_err, 5)] for p in front]
        s.add(Table(["configuration", "energy/MAC (toggle units)", "pJ/MAC (est.)", "SQNR (dB)",
                     "dot-product rel. error (median)", "of it accumulation"], rows,
                    "Pareto front on %s data, cheapest first" % dist))


def accuracy_table(doc, results, sqnr):
    """SQNR of every format on every distribution, and accumulator overflow."""
    s = doc.section("accuracy", "Accuracy of every format, and accumulator overflow")
    dists = results.distributions
    rows = []
    for (a, b), by_dist in sqnr.items():
        rows.append([pair_name(a, b)] + [fmt(by_dist.get(d), 1) for d in dists])
    s.add(Table(["format"] + ["SQNR %s (dB)" % d for d in dists], rows,
                "Quantization SQNR at the best per-tensor scale"))
    over = analysis.overflows(results)
    if not over:
        s.add(Paragraph("No accumulator overflowed in any dot product of these results."))
        return
    rows = [[unit_label(r, results)] + [pct(f.get(d), 0) if d in f else "0" for d in dists]
            for r, f in over]
    s.add(Table(["configuration"] + ["overflow %s" % d for d in dists], rows,
                "Fraction of dot products whose accumulator overflowed"))


def arrays(doc, results, out_dir, top=12):
    """(d) Array-level throughput per area and per energy on each workload."""
    s = doc.section("arrays", "Array throughput per area and per energy on the workloads")
    workloads = results.workloads()
    if not workloads:
        s.add(Paragraph("These results have no array figures."))
        return
    s.add(Paragraph(
        "Throughput of the whole array on each built-in workload with the analytical "
        "model's exact cycle counts, so utilization enters; TOPS and TOPS/W are estimates %s. "
        "Tables list the %d best configurations by TOPS per million NAND2 and int8\u2192fx+12."
        % (ESTIMATE, top)))
    by_workload = {}
    for w in workloads:
        rows = [r for r in results.ok_rows if r.workload == w and
                r.get("array_tops_per_mnand2") is not None]
        rows.sort(key=lambda r: -r.get("array_tops_per_mnand2"))
        by_workload[w] = rows
        shown = rows[:top] + [r for r in rows[top:] if (r.a, r.b, r.acc) == ("int8", "int8",
                                                                             "fx+12")]
        table = [[unit_label(r, results), r.array, r.dataflow, pct(r.get("utilization")),
                  fmt(r.get("array_tops"), 3), fmt(r.get("array_tops_per_mnand2"), 3),
                  fmt(r.get("array_tops_per_watt_est"), 2)] for r in shown]
        s.add(Table(["configuration", "array", "dataflow", "utilization", "TOPS (est.)",
                     "TOPS/MNAND2", "TOPS/W (est.)"], table,
                    "%s (%d configurations)" % (w, len(rows))))
    # One bar group per configuration (the best on average), one bar per workload.
    key = lambda r: (unit_label(r, results), r.array, r.dataflow)  # noqa: E731
    score = {}
    for rows in by_workload.values():
        for rank, r in enumerate(rows):
            score.setdefault(key(r), []).append(rank)
    chosen = sorted(score, key=lambda k: (sum(score[k]) / len(score[k]), k))[:top]
    labels = [k[0] + ("" if not (results.several("array") or results.several("dataflow"))
                      else " %s %s" % (k[1], k[2])) for k in chosen]
    for column, ylabel, fname in (
            ("array_tops_per_mnand2", "TOPS per million NAND2 eq.", "arrays_per_area.png"),
            ("array_tops_per_watt_est", "TOPS/W (estimate)", "arrays_per_energy.png")):
        series = []
        for w, rows in by_workload.items():
            values = {key(r): r.get(column) for r in rows}
            series.append((w, [values.get(k) for k in chosen]))
        name = plots.grouped_bars(labels, series, ylabel,
                                  "%s of the array per workload (log scale)" % ylabel,
                                  out_dir, fname, log=True)
        s.add(Figure(name, "%s per workload for the %d best configurations" % (ylabel, top)))


def four_bits(doc, results, formats, sqnr, out_dir):
    """(e) flint vs int4 vs e2m1 vs MX formats at 4 bits."""
    s = doc.section("four-bit", "Four bits: flint, int, e2m1 and block formats")
    names = [a for (a, b) in sqnr if a == b and formats.bits(a) == 4]
    if not names:
        s.add(Paragraph("These results have no 4-bit formats."))
        return
    dists = results.distributions
    rows = []
    for name in names:
        cost_rows = [r for r in results.units(need="area_nand2") if r.a == name and r.b == name]
        cheapest = min(cost_rows, key=lambda r: r.get("area_nand2"), default=None)
        cost = ["-", "-", "-"] if cheapest is None else [
            cheapest.acc, fmt(analysis.ratio(results, cheapest, "area_nand2")),
            fmt(analysis.ratio(results, cheapest, "energy_per_mac"))]
        rows.append([name, formats.kind(name)] + [fmt(sqnr[(name, name)].get(d), 1)
                                                   for d in dists] + cost)
    s.add(Table(["format", "kind"] + ["SQNR %s (dB)" % d for d in dists] +
                ["smallest MAC: accumulator", "area x", "energy x"], rows,
                "4-bit formats; cost of the smallest MAC relative to int8\u2192fx+12 "
                "(block formats: accuracy only)"))
    series = [(d, [sqnr[(n, n)].get(d) for n in names]) for d in dists]
    name = plots.grouped_bars(names, series, "SQNR (dB)", "4-bit formats: SQNR per distribution",
                              out_dir, "four_bit_sqnr.png")
    s.add(Figure(name, "SQNR of the 4-bit formats per distribution"))


def errors(doc, results, bars):
    """Points and lookups that failed, so nothing disappears silently."""
    s = doc.section("errors", "Errors")
    items = ["%s (%s): %s" % (r.id, unit_label(r, results) + " " + r.workload,
                              r.error or "status " + r.status) for r in results.error_rows]
    items += ["qmac cost %s\u2192%s for Figure 3: %s" % (b.format, b.acc, b.error)
              for b in bars if b.error]
    s.add(Bullets(items) if items else Paragraph("No point failed."))
