"""The block-scaled section and its conclusion on made-up results: the
sentences follow the numbers and flip with them."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

import block_scaled  # noqa: E402
import plots  # noqa: E402
from document import Document  # noqa: E402
from test_dot_units import results, unit_row  # noqa: E402


def block_row(fmt, area, total, rule="", sqnr=None, unit="mx", n=32):
    row = unit_row(fmt, unit, n, area, 2 ** -24, total=total)
    row["id"] += "-" + rule
    row["scale_rounding"] = rule
    if sqnr is not None:
        row["sqnr_a_gaussian"] = str(sqnr)
        row["sqnr_b_gaussian"] = str(sqnr)
    return row


OUTLIERS = "unit_err_total_llm_outliers_k4096"


def study(mxfp4_area, mxfp4_total, floor_db=16.0, ceil_db=15.0):
    """INT8 and FP8 units, and MXFP4 under two scale rules; total errors on a
    second distribution (LLM outliers) for INT8 and MXFP4."""
    rows = [
        unit_row("int8", "n=32", 32, 800, 0, total=2 ** -9),
        unit_row("e4m3fn", "n=32,bits=14,round=rz", 32, 750, 2 ** -15, total=2 ** -6),
        block_row("mxfp4", mxfp4_area, mxfp4_total, "floor", floor_db),
        block_row("mxfp4", mxfp4_area * 1.01, mxfp4_total, "ceil", ceil_db),
    ]
    rows[0][OUTLIERS] = str(2 ** -3)
    rows[2][OUTLIERS] = str(2 ** -5)
    return results(rows, [OUTLIERS, OUTLIERS.replace("_total", "")])


class BlockScaledTest(unittest.TestCase):
    def test_cost_sentence_follows_area_and_bits(self):
        cheap = " ".join(block_scaled.sentences(study(320, 2 ** -4)))
        self.assertIn("mxfp4 (mx, N = 32) costs 0.40x int8's area", cheap)
        self.assertIn("5.0 bits fewer than int8", cheap)
        # On the outliers, MXFP4 keeps more bits than INT8: the clause says so.
        self.assertIn("on llm-outliers data 2.0 bits more (5.0 against 3.0)", cheap)
        dear = " ".join(block_scaled.sentences(study(960, 2 ** -12)))
        self.assertIn("costs 1.20x int8's area", dear)
        self.assertIn("3.0 bits more than int8", dear)

    def test_rule_sentence_follows_sqnr(self):
        floor = " ".join(block_scaled.sentences(study(320, 2 ** -4, 16.0, 15.0)))
        self.assertIn("the OCP floor rule gives the best quantization SQNR", floor)
        ceil = " ".join(block_scaled.sentences(study(320, 2 ** -4, 15.0, 16.5)))
        self.assertIn("the ceil scale rule beats the OCP floor rule by 1.50 dB", ceil)

    def test_nvfp4_is_judged_against_its_own_standard_rule(self):
        def nv(even_db, floor_db):
            return results([unit_row("int8", "n=32", 32, 800, 0, total=2 ** -9),
                            block_row("nvfp4", 500, 2 ** -8, "floor", floor_db, n=16),
                            block_row("nvfp4", 500, 2 ** -8, "even", even_db, n=16)])
        text = " ".join(block_scaled.sentences(nv(20.4, 20.3)))
        self.assertIn("For nvfp4 NVIDIA's round-to-nearest rule (even) gives the best", text)
        text = " ".join(block_scaled.sentences(nv(20.1, 20.3)))
        self.assertIn("the floor scale rule beats NVIDIA's round-to-nearest rule (even) by 0.20 dB",
                      text)
        # Equal areas: the standard rule's point stands for the format.
        best = block_scaled.cheapest(nv(20.4, 20.3), "gaussian", 4096)
        self.assertEqual(best["nvfp4"].row.scale_rounding, "even")

    def test_section_tables_figure_and_absence(self):
        doc = Document("t", "t")
        out = tempfile.mkdtemp()
        block_scaled.section(doc, study(320, 2 ** -4), out, plots)
        self.assertEqual([s.anchor for s in doc.sections], ["block-scaled"])
        tables = [b for b in doc.sections[0].blocks if hasattr(b, "rows")]
        self.assertEqual(len(tables), 2)
        # Cheapest first: the MXFP4 unit (its floor rule), then FP8, INT8.
        self.assertEqual([r[0] for r in tables[0].rows], ["mxfp4", "e4m3fn", "int8"])
        self.assertEqual(tables[0].rows[0][3], "floor")
        # Total bits on Gaussian data, then on the other distribution measured.
        self.assertEqual(tables[0].headers[6:8],
                         ["total bits, gaussian", "total bits, llm-outliers"])
        self.assertEqual([r[6:8] for r in tables[0].rows],
                         [["4.0", "5.0"], ["6.0", "-"], ["9.0", "3.0"]])
        figures = doc.figures()
        self.assertEqual([f.filename for f in figures], ["block_scaled_costs.png"])
        self.assertTrue(os.path.getsize(os.path.join(out, "block_scaled_costs.png")) > 0)
        # Rules in the order floor, ceil, even.
        self.assertEqual(tables[1].headers, ["format", "SQNR, floor (dB)", "SQNR, ceil (dB)"])
        self.assertEqual(tables[1].rows, [["mxfp4", "16.00", "15.00"]])
        # Results without block formats: no section, no sentences.
        plain = results([unit_row("int8", "n=32", 32, 800, 0)])
        empty = Document("t", "t")
        block_scaled.section(empty, plain)
        self.assertEqual(empty.sections, [])
        self.assertEqual(block_scaled.sentences(plain), [])


if __name__ == "__main__":
    unittest.main()
