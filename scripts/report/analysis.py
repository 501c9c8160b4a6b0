"""The numbers the sections and the conclusion share: Pareto fronts,
accumulator overflow, the best format per distribution, and ratios to
int8 -> fx+12. Computed once here so the text and the tables agree.
"""

from results import column_name, finite


class Point:
    """A MAC configuration on one distribution: its energy and accuracy."""

    def __init__(self, row, energy, sqnr, overflow, dot_err, acc_err):
        self.row = row
        self.energy = energy      # toggle units per MAC
        self.sqnr = sqnr          # dB, the weaker operand
        self.overflow = overflow  # fraction of dot products that overflowed
        self.dot_err = dot_err    # median relative error of the dot products
        self.acc_err = acc_err    # the part of it the accumulator adds
        self.pareto = False

    @property
    def overflows(self):
        return self.overflow is not None and self.overflow > 0

    @property
    def acc_dominates(self):
        """The accumulator's rounding is more than half the dot product's
        error: the input SQNR no longer describes the result's accuracy."""
        return (finite(self.acc_err) and finite(self.dot_err) and self.dot_err > 0 and
                self.acc_err > 0.5 * self.dot_err)

    @property
    def eligible(self):
        return not self.overflows and not self.acc_dominates


def pareto_front(points):
    """Marks and returns the points no other point beats: none has both
    less (or equal) energy and more (or equal) SQNR with one strictly better.
    Sorted by energy, the front is where the best SQNR so far rises, plus
    exact copies of a front point (rare in a sweep, but possible), which do
    not beat each other. Cheapest first; copies in their input order."""
    ordered = sorted(points, key=lambda p: (p.energy, -p.sqnr))
    front, best = [], float("-inf")
    for p in ordered:
        if p.sqnr > best or same_point(p, front[-1] if front else None):
            p.pareto = True
            front.append(p)
            best = p.sqnr
    return front


def same_point(p, q):
    """p and q have the same energy and SQNR (q may be None)."""
    return q is not None and (p.energy, p.sqnr) == (q.energy, q.sqnr)


def energy_points(results, dist):
    """Every configuration with an energy and a finite SQNR on `dist`."""
    col = column_name(dist)
    points = []
    for row in results.units(need="energy_per_mac"):
        sqnr = row.sqnr(dist)
        if not finite(sqnr):
            continue
        points.append(Point(row, row.get("energy_per_mac"), sqnr,
                            row.get("dot_overflow_" + col), row.get("dot_err_" + col),
                            row.get("dot_acc_err_" + col)))
    return points


def fronts(results):
    """{distribution: (all points, Pareto front)}. Configurations whose
    accumulator overflows on that distribution, or whose accumulator adds
    most of the dot product's error, are shown but cannot be on the front:
    the inputs' SQNR does not describe their results."""
    out = {}
    for dist in results.distributions:
        points = energy_points(results, dist)
        front = pareto_front([p for p in points if p.eligible])
        out[dist] = (points, front)
    return out


def overflows(results):
    """[(row, {distribution: fraction})] for every configuration whose
    accumulator overflowed in some dot product, in the file's order."""
    found = []
    for row in results.units():
        fractions = {}
        for dist in results.distributions:
            f = row.get("dot_overflow_" + column_name(dist))
            if f is not None and f > 0:
                fractions[dist] = f
        if fractions:
            found.append((row, fractions))
    return found


def sqnr_by_format(results):
    """{(a, b): {distribution: SQNR}} over every format pair with accuracy."""
    table = {}
    for row in results.formats():
        table[(row.a, row.b)] = {d: row.sqnr(d) for d in results.distributions}
    return table


def best_format(sqnr_table, dist, names):
    """(name, SQNR) of the single format among `names` (a == b pairs) with
    the highest SQNR on `dist`, or None."""
    best = None
    for name in names:
        s = sqnr_table.get((name, name), {}).get(dist)
        if finite(s) and (best is None or s > best[1]):
            best = (name, s)
    return best


def ratio(results, row, column):
    """row's `column` relative to int8 -> fx+12 (same pipeline and dataflow
    when the sweep has them), or None."""
    value = row.get(column)
    base = results.baseline(column, row.pipeline, row.dataflow)
    if value is None or not base:
        return None
    return value / base


def pj_per_unit(results):
    """The estimate's picojoules per toggle unit (one scale for everything,
    docs/cost.md, "Energy"), read back from the rows; None without energy."""
    for row in results.ok_rows:
        e, pj = row.get("energy_per_mac"), row.get("energy_pj_est")
        if e and pj:
            return pj / e
    return None
