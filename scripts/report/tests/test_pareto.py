"""analysis.pareto_front against a front computed from the definition.

A point is on the SQNR-energy front iff no other point has at most its
energy and at least its SQNR with one of the two strictly better. Exact
duplicates do not beat each other, so both copies are on the front; a tie in
one objective is decided by the other. The brute force below is the
definition read literally (every pair compared), so it shares no idea with
the sort-and-sweep of the code under test.
"""

import os
import random
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from analysis import Point, pareto_front  # noqa: E402  (after the path is set)


def point(energy, sqnr):
    return Point(None, energy, sqnr, overflow=None, dot_err=None, acc_err=None)


def beats(q, p):
    """q is at least as good as p in both objectives and strictly better in one."""
    at_least = q.energy <= p.energy and q.sqnr >= p.sqnr
    strictly = q.energy < p.energy or q.sqnr > p.sqnr
    return at_least and strictly


def brute_force_front(points):
    """The points no other point beats, as identities (duplicates are distinct points)."""
    return {id(p) for p in points if not any(beats(q, p) for q in points if q is not p)}


def random_points(rng):
    """1-40 points on a coarse grid (so ties in one objective are common),
    a few of them exact copies of earlier ones, some off the grid."""
    points = []
    for _ in range(rng.randint(1, 40)):
        if points and rng.random() < 0.2:
            twin = rng.choice(points)
            points.append(point(twin.energy, twin.sqnr))
        elif rng.random() < 0.2:
            points.append(point(rng.uniform(0, 10), rng.uniform(-5, 50)))
        else:
            points.append(point(float(rng.randint(1, 6)), float(rng.randint(0, 6))))
    rng.shuffle(points)
    return points


def count_ties(points, tally):
    """Adds 1 to each kind of tie the point set has."""
    front = [p for p in points if p.pareto]
    pairs = [(p, q) for i, p in enumerate(points) for q in points[i + 1:]]
    tally["duplicate on the front"] += any(
        (p.energy, p.sqnr) == (q.energy, q.sqnr) for i, p in enumerate(front)
        for q in front[i + 1:])
    tally["energy tie"] += any(p.energy == q.energy and p.sqnr != q.sqnr for p, q in pairs)
    tally["sqnr tie"] += any(p.sqnr == q.sqnr and p.energy != q.energy for p, q in pairs)


class ParetoFrontTest(unittest.TestCase):

    def check(self, points, where=""):
        """The returned front is the definition's front, cheapest first, and
        exactly its points are marked. `where` names the point set in a failure."""
        where = where or "points %s" % [(p.energy, p.sqnr) for p in points]
        front = pareto_front(points)
        self.assertEqual({id(p) for p in front}, brute_force_front(points), where)
        self.assertEqual(len(front), len({id(p) for p in front}), "a point returned twice; " +
                         where)
        for cheaper, dearer in zip(front, front[1:]):
            # Along a front energy and SQNR rise together (equal only for duplicates).
            self.assertLessEqual(cheaper.energy, dearer.energy, where)
            self.assertLessEqual(cheaper.sqnr, dearer.sqnr, where)
        self.assertEqual({id(p) for p in points if p.pareto}, {id(p) for p in front}, where)
        return front

    def test_random_point_sets_match_the_definition(self):
        # Stops at the first set that disagrees, which it names.
        rng = random.Random(20230331)
        ties = {"duplicate on the front": 0, "energy tie": 0, "sqnr tie": 0}
        for trial in range(500):
            points = random_points(rng)
            self.check(points, "trial %d: points %s" % (trial, [(p.energy, p.sqnr)
                                                                for p in points]))
            count_ties(points, ties)
        # The sets exercise the cases a sort-and-sweep can get wrong.
        for case, sets in ties.items():
            self.assertGreater(sets, 50, case)

    def test_empty_and_single(self):
        self.assertEqual(pareto_front([]), [])
        only = point(3.0, 10.0)
        self.assertEqual(pareto_front([only]), [only])
        self.assertTrue(only.pareto)

    def test_same_energy_keeps_only_the_better_sqnr(self):
        worse, better = point(2.0, 10.0), point(2.0, 20.0)
        self.assertEqual(self.check([worse, better]), [better])
        self.assertFalse(worse.pareto)

    def test_same_sqnr_keeps_only_the_cheaper(self):
        dear, cheap = point(5.0, 10.0), point(2.0, 10.0)
        self.assertEqual(self.check([dear, cheap]), [cheap])
        self.assertFalse(dear.pareto)

    def test_exact_duplicates_are_both_on_the_front(self):
        # Two configurations with the same energy and SQNR: neither beats the other.
        first, second, beaten = point(2.0, 10.0), point(2.0, 10.0), point(3.0, 9.0)
        front = self.check([beaten, first, second])
        self.assertEqual(front, [first, second])

    def test_duplicates_of_a_beaten_point_are_all_off(self):
        a, b, winner = point(4.0, 10.0), point(4.0, 10.0), point(3.0, 12.0)
        self.assertEqual(self.check([a, b, winner]), [winner])

    def test_front_is_ordered_cheapest_first(self):
        points = [point(9.0, 30.0), point(1.0, 5.0), point(4.0, 20.0), point(5.0, 15.0)]
        front = self.check(points)
        self.assertEqual([(p.energy, p.sqnr) for p in front], [(1.0, 5.0), (4.0, 20.0),
                                                                (9.0, 30.0)])


if __name__ == "__main__":
    unittest.main()
