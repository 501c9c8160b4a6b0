"""The conclusion follows the data.

Made-up results (tests/made_up.py writes them as the sweep's results.csv)
in which the right conclusion is known: INT8 losing to FP8, then the same
contest flipped, a tie, a front of two, and accumulators that disagree with
the input SQNR. The assertions read the meaning of the sentences (which
format is named as the winner, which numbers are quoted, which accumulators
are claimed) rather than comparing them with a copy of today's wording.
"""

import os
import re
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import analysis  # noqa: E402  (after the path is set)
import conclusion  # noqa: E402
import figure3  # noqa: E402
import made_up  # noqa: E402
from formats import Formats  # noqa: E402

ARROW = "\u2192"
FP8 = "e4m3fnuz"
ACCUMULATORS = ("fx+12", "int32", "fp16", "fp32", "bf16")


# --- Reading the sentences -------------------------------------------------

def position(text, name):
    """Where `name` occurs as a whole name (not inside a longer one), or None."""
    m = re.search(r"(?<![\w+.-])" + re.escape(name) + r"(?![\w+-])", text)
    return m.start() if m else None


def first_named(text, names):
    """The name among `names` that the text mentions first, or None."""
    found = [(position(text, n), n) for n in names if position(text, n) is not None]
    return min(found)[1] if found else None


def numbers(text):
    """Every decimal number quoted in the text ("43.5", "-3.5", "0.80x"),
    with its sign: a margin quoted as negative is not the margin."""
    return [float(x) for x in re.findall(r"(?<![\w.])-?\d+\.\d+", text)]


def quotes(text, value, places=1):
    """The text quotes `value` at the given number of decimal places."""
    return any(abs(n - value) <= 0.5 * 10 ** -places + 1e-9 for n in numbers(text))


def configurations(text):
    """The MAC configurations (format->accumulator) a sentence names."""
    return set(re.findall(r"[\w+.-]+" + ARROW + r"[\w+.-]+", text))


INT_SIDE = re.compile(r"(?<![\w+.-])int8(?![\w+-])|\bintegers?\b", re.I)
FLOAT_SIDE = re.compile(r"\bfloat|" + re.escape(FP8), re.I)


def side(text):
    """Which side a clause names first: "int8" (or integers) or "float"
    (the 8-bit float, by name or not), or None."""
    at_int, at_float = INT_SIDE.search(text), FLOAT_SIDE.search(text)
    if at_int is None and at_float is None:
        return None
    if at_float is None or (at_int is not None and at_int.start() < at_float.start()):
        return "int8"
    return "float"


# "<side> wins/beats" or "they tie": where a claim about some distributions begins.
VERDICT = re.compile(r"\b(int8|integers?|floating point|float|floats|they)\s+"
                     r"(wins?|beats?|tie)\b", re.I)


def winners_in_summary(summary, distributions):
    """{distribution: side} read from a summary sentence: each distribution
    goes to the verdict ("X wins", "X beats", "they tie") last stated
    before it; a tie gives it to no side (None)."""
    verdicts = list(VERDICT.finditer(summary))
    out = {}
    for d in distributions:
        at = position(summary, d)
        before = [v for v in verdicts if at is not None and v.start() < at]
        if before:
            v = before[-1]
            out[d] = None if v.group(2).lower() == "tie" else side(v.group(0))
    return out


def accumulator_claims(clause):
    """(claimed, denied): the accumulators a clause names before its first
    negation, where the winner's dot products are said to be better, and
    those named after it."""
    m = re.search(r"\b(not|no|neither|nor)\b", clause)
    cut = m.start() if m else len(clause)
    named = [a for a in ACCUMULATORS if position(clause, a) is not None]
    return ({a for a in named if position(clause, a) < cut},
            {a for a in named if position(clause, a) >= cut})


CLASS_CLAIM = re.compile(r"\b(8-bit floats|floating point|floats|integers)\b", re.I)


# --- Building the conclusion from made-up results --------------------------

def conclude(distributions, rows):
    """The conclusion's sentences for `rows`, formats known by their names."""
    results = made_up.results(distributions, rows)
    return conclusion.build(results, Formats(None), analysis.sqnr_by_format(results),
                            analysis.fronts(results), figure3.load_paper())


def format_sentence(sentences, dist):
    """The sentence comparing int8 with the 8-bit float on `dist`: it names
    the distribution and both formats but no configuration."""
    found = [s for s in sentences if position(s, dist) is not None and
             position(s, "int8") is not None and position(s, FP8) is not None and
             not configurations(s)]
    assert len(found) == 1, found
    return found[0]


def summary_sentence(sentences):
    """The sentence over all distributions: it names a side (int8 or the
    8-bit float) but no float by name (each distribution may have its own)
    and no configuration."""
    found = [s for s in sentences if side(s) is not None and position(s, FP8) is None and
             not configurations(s)]
    assert len(found) == 1, found
    return found[0]


def front_sentence(sentences, dist):
    """The Pareto sentence of `dist`: the distribution and configurations."""
    found = [s for s in sentences if position(s, dist) is not None and configurations(s)]
    assert len(found) == 1, found
    return found[0]


def energy_sentence(sentences):
    found = [s for s in sentences if "energy" in s and configurations(s) and
             not any(position(s, d) is not None for d in ("gaussian", "laplace"))]
    assert len(found) == 1, found
    return found[0]


def ratio_after(text, label):
    """The first ratio ("1.23x") quoted after `label`."""
    m = re.search(re.escape(label) + r"\D*?(\d+\.\d+)x", text)
    return float(m.group(1)) if m else None


# --- One contest, played both ways -----------------------------------------

class Contest:
    """int8->fx+12 against e4m3fnuz->fp16 and ->fp32 on two distributions."""

    DISTS = ["gaussian", "laplace"]

    def __init__(self, int8_energy, int8_sqnr, fp8_energy, fp8_sqnr):
        self.int8_energy, self.int8_sqnr = int8_energy, int8_sqnr
        self.fp8_energy, self.fp8_sqnr = fp8_energy, fp8_sqnr

    def rows(self):
        return [made_up.unit("int8", "fx+12", self.int8_energy, self.int8_sqnr)] + [
            made_up.unit(FP8, acc, energy, self.fp8_sqnr)
            for acc, energy in self.fp8_energy.items()]

    def winner(self, dist):
        return "float" if self.fp8_sqnr[dist] > self.int8_sqnr[dist] else "int8"


# FP8 more accurate on both distributions, and its fp16 MAC the cheapest.
INT8_LOSES = Contest(100.0, {"gaussian": 40.0, "laplace": 38.0},
                     {"fp16": 80.0, "fp32": 120.0}, {"gaussian": 43.5, "laplace": 45.2})
# The flip: int8 more accurate and cheaper than every FP8 MAC.
FP8_LOSES = Contest(70.0, {"gaussian": 44.0, "laplace": 41.3},
                    {"fp16": 80.0, "fp32": 120.0}, {"gaussian": 41.5, "laplace": 39.0})


class ContestTest(unittest.TestCase):

    def check_contest(self, contest, dominant):
        sentences = conclude(contest.DISTS, contest.rows())
        for dist in contest.DISTS:
            with self.subTest(dist=dist):
                s = format_sentence(sentences, dist)
                won = contest.winner(dist)
                self.assertEqual(side(s), won, s)
                hi, lo = sorted((contest.int8_sqnr[dist], contest.fp8_sqnr[dist]), reverse=True)
                for value in (hi, lo, hi - lo):
                    self.assertTrue(quotes(s, value), "%s does not quote %.1f" % (s, value))
                self.assertEqual(configurations(front_sentence(sentences, dist)), {dominant})
        summary = summary_sentence(sentences)
        self.assertEqual(winners_in_summary(summary, contest.DISTS),
                         {d: contest.winner(d) for d in contest.DISTS}, summary)
        energy = energy_sentence(sentences)
        for acc, e in contest.fp8_energy.items():
            self.assertAlmostEqual(ratio_after(energy, FP8 + ARROW + acc),
                                   e / contest.int8_energy, places=2, msg=energy)
        return sentences

    def test_int8_loses(self):
        self.check_contest(INT8_LOSES, FP8 + ARROW + "fp16")

    def test_fp8_loses(self):
        self.check_contest(FP8_LOSES, "int8" + ARROW + "fx+12")

    def test_the_conclusion_flips(self):
        # The same sentences, each naming the other side: nothing is fixed text.
        loses = conclude(Contest.DISTS, INT8_LOSES.rows())
        wins = conclude(Contest.DISTS, FP8_LOSES.rows())
        for dist in Contest.DISTS:
            self.assertEqual(side(format_sentence(loses, dist)), "float")
            self.assertEqual(side(format_sentence(wins, dist)), "int8")
        self.assertNotEqual(summary_sentence(loses), summary_sentence(wins))

    def test_split_decision(self):
        # int8 ahead on Gaussian data, FP8 on Laplace: the summary gives each
        # distribution to its own winner.
        contest = Contest(100.0, {"gaussian": 44.0, "laplace": 38.0},
                          {"fp16": 80.0, "fp32": 120.0}, {"gaussian": 41.5, "laplace": 45.2})
        summary = summary_sentence(conclude(contest.DISTS, contest.rows()))
        self.assertEqual(winners_in_summary(summary, contest.DISTS),
                         {"gaussian": "int8", "laplace": "float"}, summary)
        self.assertNotIn("every", summary)

    def test_a_tie_names_no_winner(self):
        contest = Contest(100.0, {"gaussian": 40.0, "laplace": 38.0},
                          {"fp16": 80.0}, {"gaussian": 40.0, "laplace": 45.2})
        sentences = conclude(contest.DISTS, contest.rows())
        tie = format_sentence(sentences, "gaussian")
        self.assertIsNone(re.search(r"\b(beat|beats|wins?|better)\b", tie), tie)
        self.assertTrue(quotes(tie, 40.0), tie)
        summary = summary_sentence(sentences)
        self.assertEqual(winners_in_summary(summary, contest.DISTS),
                         {"gaussian": None, "laplace": "float"}, summary)
        self.assertNotIn("every distribution", summary)


class ParetoSentenceTest(unittest.TestCase):

    def test_a_front_of_two_quotes_its_span(self):
        # int8 cheaper and less accurate, FP8->fp16 dearer and more accurate,
        # FP8->fp32 beaten by FP8->fp16: the front is the first two.
        rows = [made_up.unit("int8", "fx+12", 60.0, {"gaussian": 40.0}),
                made_up.unit(FP8, "fp16", 80.0, {"gaussian": 43.5}),
                made_up.unit(FP8, "fp32", 120.0, {"gaussian": 43.5})]
        s = front_sentence(conclude(["gaussian"], rows), "gaussian")
        self.assertEqual(configurations(s), {"int8" + ARROW + "fx+12", FP8 + ARROW + "fp16"})
        self.assertTrue(quotes(s, 3.5), s)            # dB bought
        self.assertTrue(quotes(s, 80.0 / 60.0, 2), s)  # for this much energy

    def test_an_overflowing_point_is_not_on_the_front(self):
        # The cheapest and most accurate point overflowed: it must not be named.
        rows = [made_up.unit("int8", "fx+12", 100.0, {"gaussian": 40.0}),
                made_up.unit(FP8, "fp16", 50.0, {"gaussian": 45.0}, overflow={"gaussian": 1.0},
                             dot_err={"gaussian": float("inf")})]
        s = front_sentence(conclude(["gaussian"], rows), "gaussian")
        self.assertEqual(configurations(s), {"int8" + ARROW + "fx+12"}, s)
        # The overflowing point has less energy and more SQNR: int8 does not
        # dominate it, only the points that are eligible.
        if re.search(r"\ball (the )?others\b", s):
            self.assertIn("eligible", s)


class AccumulatorClaimTest(unittest.TestCase):
    """The input SQNR is the same with every accumulator; the dot products'
    error is not. A claim about the formats through the accumulators must
    hold on each accumulator the data has, and name those where it fails."""

    @staticmethod
    def rows(int8_err, fp8_err, extra=()):
        """int8 and FP8 (FP8 ahead in input SQNR) into each accumulator of
        the error tables, plus e5m2 (an 8-bit float behind int8) and int4."""
        rows = [made_up.unit("int8", acc, 100.0, {"gaussian": 40.0},
                             dot_err={"gaussian": err}) for acc, err in int8_err.items()]
        rows += [made_up.unit(FP8, acc, 90.0, {"gaussian": 43.5}, dot_err={"gaussian": err},
                              overflow={"gaussian": 1.0 if err == float("inf") else 0.0})
                 for acc, err in fp8_err.items()]
        rows += [made_up.unit("e5m2", "fp32", 85.0, {"gaussian": 30.0}),
                 made_up.unit("int4", "fx+12", 20.0, {"gaussian": 19.0})]
        return rows + list(extra)

    def accumulator_clause(self, rows):
        """The part of the Gaussian format sentence that speaks of accumulators."""
        s = format_sentence(conclude(["gaussian"], rows), "gaussian")
        clause = s.split(";", 1)[-1]
        self.assertTrue(any(position(clause, a) is not None for a in ACCUMULATORS),
                        "no word on the accumulators: " + s)
        return clause

    def test_an_accumulator_that_disagrees_is_named(self):
        inf = float("inf")
        clause = self.accumulator_clause(self.rows(
            {"fx+12": 2e-3, "fp16": 3e-3, "fp32": 2e-3},
            {"fx+12": 1e-3, "fp16": inf, "fp32": 1e-3}))
        self.assertEqual(side(clause), "float", clause)
        self.assertEqual(accumulator_claims(clause), ({"fx+12", "fp32"}, {"fp16"}), clause)
        self.assertNotIn("every", clause)

    def test_agreement_on_every_shared_accumulator(self):
        # int8 -> int32 has no FP8 partner: it is no evidence either way.
        clause = self.accumulator_clause(self.rows(
            {"fx+12": 2e-3, "fp32": 2e-3}, {"fx+12": 1e-3, "fp32": 1e-3},
            extra=[made_up.unit("int8", "int32", 100.0, {"gaussian": 40.0},
                                dot_err={"gaussian": 9e-3})]))
        self.assertEqual(accumulator_claims(clause), ({"fx+12", "fp32"}, set()), clause)
        self.assertIn("every", clause)

    def test_no_accumulator_agrees(self):
        clause = self.accumulator_clause(self.rows({"fp32": 1e-3}, {"fp32": 2e-3}))
        self.assertEqual(accumulator_claims(clause), (set(), {"fp32"}), clause)

    def test_no_claim_without_a_shared_accumulator(self):
        rows = self.rows({"fx+12": 2e-3}, {"fp16": 1e-3})
        s = format_sentence(conclude(["gaussian"], rows), "gaussian")
        self.assertEqual(accumulator_claims(s), (set(), set()), s)

    def test_the_summary_claims_no_class_of_formats(self):
        # e5m2 is an 8-bit float behind int8 and int4 an integer behind
        # e4m3fnuz: "floats win" or "integers win" would be false here.
        sentences = conclude(["gaussian"], self.rows({"fx+12": 2e-3}, {"fx+12": 1e-3}))
        summary = summary_sentence(sentences)
        self.assertIsNone(CLASS_CLAIM.search(summary), summary)
        for s in sentences:
            self.assertIsNone(CLASS_CLAIM.search(s), s)


if __name__ == "__main__":
    unittest.main()
