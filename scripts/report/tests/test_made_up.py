"""The made-up results have the structure of a real sweep's, so what the
other tests show holds for the files `qmac sweep` writes."""

import glob
import os
import re
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import made_up  # noqa: E402  (after the path is set)

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def sweep_fixed_columns():
    """The fixed columns as the sweep declares them (kFixedColumns in sim/),
    or None when no source file declares them."""
    for path in glob.glob(os.path.join(PROJECT, "sim", "**", "*.cpp"), recursive=True):
        with open(path, encoding="utf-8") as f:
            m = re.search(r"kFixedColumns\s*=\s*\{(.*?)\};", f.read(), re.S)
        if m:
            return re.findall(r'"([^"]*)"', m.group(1))
    return None


class StructureTest(unittest.TestCase):

    def test_the_fixed_columns_are_the_sweeps(self):
        columns = sweep_fixed_columns()
        self.assertIsNotNone(columns, "kFixedColumns not found under sim/: update this test")
        self.assertEqual(made_up.FIXED_COLUMNS, columns)

    def test_a_row_reads_back_as_written(self):
        rows = [made_up.unit("int8", "fx+12", 100.0, {"student-t": 40.0},
                             dot_err={"student-t": float("inf")}, overflow={"student-t": 0.5})]
        results = made_up.results(["student-t"], rows)
        self.assertEqual(results.distributions, ["student-t"])
        (row,) = results.units(need="energy_per_mac")
        self.assertEqual((row.a, row.b, row.acc), ("int8", "int8", "fx+12"))
        self.assertEqual(row.sqnr("student-t"), 40.0)
        self.assertEqual(row.get("dot_err_student_t"), float("inf"))
        self.assertEqual(row.get("dot_overflow_student_t"), 0.5)
        self.assertIsNone(row.get("array_tops"))  # not set: empty, as the sweep leaves it


if __name__ == "__main__":
    unittest.main()
