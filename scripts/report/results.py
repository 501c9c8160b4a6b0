"""Reading a sweep's results.csv into typed rows.

The sweep writes one row per design point (sim/sweep/sweep_row.cpp). The
report must survive rows that failed (status "error"), block formats that
only have accuracy columns, and older or partial files that lack columns, so
every numeric field is read as a float or None, never as an exception.
"""

import csv
import math
import os

# The unit every cost is compared with: the paper's INT8 -> FX+12.
BASELINE = ("int8", "int8", "fx+12")


def number(text):
    """A CSV field as a float: "inf" stays infinite, empty or junk is None."""
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def finite(x):
    """True for a real, finite number (None and inf are not)."""
    return x is not None and math.isfinite(x)


class Row:
    """One design point: its configuration as strings, the rest as numbers."""

    KEYS = ("id", "a", "b", "acc", "pipeline", "array", "dataflow", "workload",
            "dot_unit", "promote", "scale_rounding", "status", "error", "note")

    def __init__(self, fields):
        self.fields = fields
        for key in self.KEYS:
            setattr(self, key, (fields.get(key) or "").strip())

    def get(self, column):
        """A numeric column, or None when missing, empty or not a number."""
        return number(self.fields.get(column))

    @property
    def ok(self):
        return self.status == "ok"

    @property
    def is_dot_unit(self):
        """A dot-product unit's point (model/dot): accuracy at several K, no PE."""
        return bool(self.dot_unit)

    @property
    def unit(self):
        """The MAC configuration a cost belongs to (costs ignore workloads)."""
        return (self.a, self.b, self.acc, self.pipeline, self.dataflow)

    def sqnr(self, dist):
        """Quantization SQNR of the point's operands on `dist`: the weaker of
        the two inputs, as the product is no better than its worse factor."""
        values = [self.get("sqnr_a_" + column_name(dist)),
                  self.get("sqnr_b_" + column_name(dist))]
        values = [v for v in values if v is not None]
        return min(values) if values else None


def column_name(dist):
    """Distribution names as they appear in column names (student-t -> student_t)."""
    return dist.replace("-", "_")


class Results:
    """Every row of a results directory, with the columns the file has."""

    def __init__(self, directory):
        self.directory = directory
        path = os.path.join(directory, "results.csv")
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            self.columns = list(reader.fieldnames or [])
            self.rows = [Row(r) for r in reader]
        # MAC design points; dot-product units' points are apart (their rows
        # have no PE, array or workload).
        self.ok_rows = [r for r in self.rows if r.ok and not r.is_dot_unit]
        self.dot_unit_rows = [r for r in self.rows if r.ok and r.is_dot_unit]
        self.error_rows = [r for r in self.rows if not r.ok]
        self.distributions = self._distributions()

    def _distributions(self):
        """The accuracy distributions, in the order of the columns."""
        found = []
        for column in self.columns:
            if column.startswith("sqnr_a_"):
                found.append(column[len("sqnr_a_"):].replace("_", "-"))
        return found

    def has(self, column):
        return column in self.columns

    def units(self, need=None):
        """One row per MAC configuration (the first point of it), optionally
        only those where column `need` has a number, in the file's order."""
        seen = {}
        for row in self.ok_rows:
            if need is not None and row.get(need) is None:
                continue
            seen.setdefault(row.unit, row)
        return list(seen.values())

    def formats(self):
        """Every operand format pair that has accuracy figures, one row each."""
        seen = {}
        for row in self.ok_rows:
            seen.setdefault((row.a, row.b), row)
        return list(seen.values())

    def workloads(self):
        return sorted({r.workload for r in self.ok_rows if r.get("array_tops") is not None})

    def baseline(self, column, pipeline=None, dataflow=None):
        """The int8 -> fx+12 figure of `column`, preferring the same pipeline
        and dataflow; None when the sweep did not include the baseline."""
        candidates = [r for r in self.ok_rows
                      if (r.a, r.b, r.acc) == BASELINE and r.get(column) is not None]
        for r in candidates:
            if (pipeline is None or r.pipeline == pipeline) and \
               (dataflow is None or r.dataflow == dataflow):
                return r.get(column)
        return candidates[0].get(column) if candidates else None

    def several(self, key):
        """True when more than one value of a configuration key occurs, so
        labels must name it (e.g. the dataflow only if the sweep varied it)."""
        return len({getattr(r, key) for r in self.ok_rows}) > 1


def pair_name(a, b):
    """"int8" for int8 x int8, "int8xe4m3fn" for mixed operands."""
    return a if a == b else a + "x" + b


def unit_label(row, results):
    """A short, unambiguous label of a row's MAC configuration."""
    label = pair_name(row.a, row.b) + "\u2192" + row.acc
    if results.several("pipeline"):
        label += " p" + row.pipeline
    if results.several("dataflow"):
        label += " " + row.dataflow
    return label
