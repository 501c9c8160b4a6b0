"""The written conclusion, assembled from the computed numbers.

Every sentence is built from values in the results (or the paper's data
file) and is left out when the values it needs are missing: nothing here is
a claim that holds whatever the data say.
"""

from analysis import best_format, overflows, ratio
from results import column_name, finite, pair_name, unit_label


def join(items, last="and"):
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " " + last + " " + items[-1]


def pareto_sentences(results, fronts):
    out = []
    for dist, (points, front) in fronts.items():
        if not front:
            continue
        # Points left off the front (overflow, coarse accumulator) may beat it.
        others = "all others" if all(p.eligible for p in points) else \
            "all other eligible ones"
        # The label from the row itself, not the one sections.pareto_fronts
        # sets on the points: the conclusion must not depend on that running first.
        described = ["%s (%.0f toggle units, %.1f dB)" % (unit_label(p.row, results), p.energy,
                                                          p.sqnr) for p in front]
        if len(front) == 1:
            out.append("On %s data one configuration dominates %s: %s."
                       % (dist, others, described[0]))
        else:
            top, cheap = front[-1], front[0]
            out.append(
                "On %s data %d configurations are Pareto-optimal in SQNR against energy: %s; "
                "going from the cheapest to the most accurate buys %.1f dB for %.2fx the energy."
                % (dist, len(front), join(described), top.sqnr - cheap.sqnr,
                   top.energy / cheap.energy))
    # Which accumulators are cheap but too coarse for the inputs they take.
    coarse = {}
    for points, _ in fronts.values():
        for p in points:
            if p.acc_dominates and not p.overflows:
                coarse.setdefault(p.row.acc, set()).add(pair_name(p.row.a, p.row.b))
    for acc, names in coarse.items():
        out.append("The %s accumulator's rounding is more than half of the dot-product error "
                   "with %s on at least one distribution, so those points are not eligible "
                   "for the fronts there." % (acc, join(sorted(names))))
    return out


def dot_errors(results, fmt, dist):
    """{accumulator: median dot-product error (against the unquantized reals)}
    of fmt x fmt on `dist`, for every accumulator the sweep took it into."""
    col = "dot_err_" + column_name(dist)
    errors = {}
    for r in results.units(need=col):
        if r.a == fmt and r.b == fmt:
            errors.setdefault(r.acc, r.get(col))
    return errors


def accumulator_split(results, dist, winner, loser):
    """([accumulators], [accumulators]): among every accumulator the sweep
    took both formats into, those where `winner`'s dot products have the
    smaller median error on `dist`, and those where they do not."""
    won, lost = dot_errors(results, winner, dist), dot_errors(results, loser, dist)
    shared = [acc for acc in won if acc in lost]
    better = [acc for acc in shared if won[acc] < lost[acc]]
    return better, [acc for acc in shared if acc not in better]


def through_accumulators(results, dist, winner, loser):
    """Whether the input SQNR's winner also wins through the accumulator,
    checked on every accumulator both formats were swept with (the input
    SQNR is the same for all of them, the dot products' error is not)."""
    better, other = accumulator_split(results, dist, winner, loser)
    if not better and not other:
        return ""
    if not other:
        return ("; %s's dot products also have the smaller median error with every "
                "accumulator both were swept with (%s)" % (winner, join(better)))
    if not better:
        return ("; but %s's dot products do not have the smaller median error with any "
                "accumulator both were swept with (not with %s)" % (winner, join(other)))
    return ("; %s's dot products also have the smaller median error with %s, but not with %s"
            % (winner, join(better), join(other, "or")))


def int_vs_float_sentences(results, formats, sqnr):
    """Where the best 8-bit float beats int8 in input SQNR, where int8 wins
    and where they tie, and on each distribution whether the dot products
    through each accumulator agree. The claims name int8 and the best 8-bit
    float, not integers and floats in general."""
    names = [a for (a, b) in sqnr if a == b]
    floats8 = [n for n in names if formats.kind(n) == "float" and formats.bits(n) == 8]
    if "int8" not in names or not floats8:
        return []
    out, outcomes = [], {"float": [], "int": [], "tie": []}
    for dist in results.distributions:
        i8 = sqnr[("int8", "int8")].get(dist)
        best = best_format(sqnr, dist, floats8)
        if not finite(i8) or best is None:
            continue
        name, s = best
        outcome = "float" if s > i8 else "int" if i8 > s else "tie"
        outcomes[outcome].append(dist)
        out.append(contest_sentence(results, dist, outcome, name, s, i8))
    summary = int_vs_float_summary(outcomes)
    return out + ([summary] if summary else [])


def contest_sentence(results, dist, outcome, name, float_sqnr, int8_sqnr):
    """int8 against the best 8-bit float `name` on one distribution."""
    best_float = "the best 8-bit float, %s," % name
    if outcome == "tie":
        return ("On %s data int8 and %s have the same input SQNR (%.1f dB)."
                % (dist, best_float, int8_sqnr))
    if outcome == "float":
        winner, loser, phrases = name, "int8", (best_float, "int8")
        won, lost = float_sqnr, int8_sqnr
    else:
        winner, loser, phrases = "int8", name, ("int8", best_float)
        won, lost = int8_sqnr, float_sqnr
    return ("On %s data %s beats %s in input SQNR by %.1f dB (%.1f against %.1f dB)%s."
            % ((dist,) + phrases + (won - lost, won, lost,
                                    through_accumulators(results, dist, winner, loser))))


def int_vs_float_summary(outcomes):
    """One sentence over the distributions: {"float"|"int"|"tie": [dist]}."""
    phrases = {"float": "the best 8-bit float wins on %s data",
               "int": "int8 wins on %s data", "tie": "they tie on %s data"}
    present = [kind for kind in ("float", "int", "tie") if outcomes[kind]]
    if present == ["float"]:
        return ("In input SQNR the best 8-bit float beats int8 on every distribution swept "
                "(%s)." % join(outcomes["float"]))
    if present == ["int"]:
        return ("In input SQNR int8 beats the best 8-bit float on every distribution swept "
                "(%s)." % join(outcomes["int"]))
    if len(present) < 2:
        return None  # nothing swept, or ties only (each said on its own)
    return "So in input SQNR %s." % "; ".join(phrases[k] % join(outcomes[k]) for k in present)


def cost_sentences(results, bars):
    """FP8 against INT8 in area (synthesis, model) and energy, next to the
    paper's ratios, which come from its data file like everything else."""
    out = []
    by = {(b.format, b.acc): b for b in bars}
    base = by.get(("int8", "fx+12"))
    parts = []
    for acc in ("fp16", "fp32"):
        b = by.get(("e4m3fnuz", acc))
        if not (b and base):
            continue
        paper = b.paper["total"] / base.paper["total"]
        ours = []
        if b.synth and base.synth:
            ours.append("%.2fx in synthesized area" % (b.synth / base.synth))
        if b.analytic and base.analytic:
            ours.append("%.2fx in qmac's gate model" % (b.analytic["total"] /
                                                       base.analytic["total"]))
        if ours:
            parts.append("e4m3fnuz\u2192%s costs %s against the paper's %.2fx"
                         % (acc, join(ours), paper))
    if parts:
        out.append("Relative to int8\u2192fx+12, " + "; ".join(parts) + ".")
    energy = []
    for fmt in ("e4m3fnuz", "e4m3fn"):
        for acc in ("fp16", "fp32"):
            rows = [r for r in results.units(need="energy_per_mac")
                    if (r.a, r.b, r.acc) == (fmt, fmt, acc)]
            x = ratio(results, rows[0], "energy_per_mac") if rows else None
            if x is not None:
                energy.append("%s\u2192%s takes %.2fx" % (fmt, acc, x))
        if energy:
            break
    if energy:
        out.append("In energy per MAC (netlist toggles on the sweep's operand data) %s "
                   "that of int8\u2192fx+12, where the paper, taking power proportional to "
                   "gates, implies its area ratios." % join(energy))
    units = [r for r in results.units(need="area_nand2") if ratio(results, r, "area_nand2")]
    if units:
        small = min(units, key=lambda r: r.get("area_nand2"))
        big = max(units, key=lambda r: r.get("area_nand2"))
        out.append("The smallest MAC swept is %s (%.2fx the area of int8\u2192fx+12), the "
                   "largest %s (%.2fx)." % (unit_label(small, results),
                                            ratio(results, small, "area_nand2"),
                                            unit_label(big, results),
                                            ratio(results, big, "area_nand2")))
    return out


def overflow_sentences(results):
    found = overflows(results)
    accs = list(dict.fromkeys(
        r.acc for r in results.units()
        if any(r.get("dot_overflow_" + column_name(d)) is not None
               for d in results.distributions)))
    if not accs:
        return []
    out = []
    by_acc = {}
    for row, fractions in found:
        by_acc.setdefault(row.acc, []).append((row, fractions))
    for acc, items in by_acc.items():
        described = []
        for row, fractions in items:
            where = join("%s %.0f%%" % (d, 100 * f) for d, f in fractions.items())
            described.append("%s (%s of the dot products)" % (pair_name(row.a, row.b), where))
        out.append("The %s accumulator overflowed with %s; these configurations are left off "
                   "the Pareto fronts of those distributions." % (acc, join(described)))
    clean = [a for a in accs if a not in by_acc]
    if clean:
        out.append("The %s accumulator%s never overflowed in these dot products."
                   % (join(clean), "s" if len(clean) > 1 else ""))
    return out


def four_bit_sentences(results, formats, sqnr):
    names = [a for (a, b) in sqnr if a == b and formats.bits(a) == 4]
    if len(names) < 2:
        return []
    winners = {}
    for dist in results.distributions:
        best = best_format(sqnr, dist, names)
        if best:
            winners.setdefault(best[0], []).append("%s (%.1f dB)" % (dist, best[1]))
    out = ["At 4 bits %s." % join("%s has the best SQNR on %s" % (n, join(d))
                                  for n, d in winners.items())]
    elements = [n for n in names if formats.kind(n) != "block"]
    if elements and any(formats.kind(n) == "block" for n in names):
        ewin = {}
        for dist in results.distributions:
            best = best_format(sqnr, dist, elements)
            if best:
                ewin.setdefault(best[0], []).append(dist)
        out.append("Among 4-bit element formats (those a PE multiplies directly), %s."
                   % join("%s is best on %s" % (n, join(d)) for n, d in ewin.items()))
    return out


def array_sentences(results):
    out = []
    util = {}
    best = {}
    for w in results.workloads():
        rows = [r for r in results.ok_rows if r.workload == w]
        us = sorted(r.get("utilization") for r in rows if r.get("utilization") is not None)
        if us:
            util[w] = us[len(us) // 2]
        ranked = [r for r in rows if r.get("array_tops_per_mnand2") is not None]
        if ranked:
            best[w] = max(ranked, key=lambda r: r.get("array_tops_per_mnand2"))
    if best:
        labels = {w: unit_label(r, results) for w, r in best.items()}
        if len(set(labels.values())) == 1:
            w0 = next(iter(best))
            out.append("%s gives the most throughput per area on every workload (%s)." % (
                labels[w0], join("%s %.3f TOPS/MNAND2" % (w, r.get("array_tops_per_mnand2"))
                                 for w, r in best.items())))
        else:
            out.append("The most throughput per area: %s." % join(
                "%s on %s (%.3f TOPS/MNAND2)" % (labels[w], w, r.get("array_tops_per_mnand2"))
                for w, r in best.items()))
    if len(util) > 1:
        lo = min(util, key=util.get)
        hi = max(util, key=util.get)
        if util[lo] < 0.5 * util[hi]:
            out.append("Utilization decides more than the format on %s: the array is %.1f%% "
                       "busy there against %.1f%% on %s, so every configuration delivers "
                       "%.0fx less throughput per area." % (lo, 100 * util[lo], 100 * util[hi],
                                                           hi, util[hi] / util[lo]))
    return out


def build(results, formats, sqnr, fronts, bars):
    """The conclusion as a list of sentences (each a bullet)."""
    return (pareto_sentences(results, fronts) + int_vs_float_sentences(results, formats, sqnr) +
            cost_sentences(results, bars) + overflow_sentences(results) +
            four_bit_sentences(results, formats, sqnr) + array_sentences(results))
