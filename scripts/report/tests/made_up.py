"""Made-up sweep results, written as the results.csv that `qmac sweep`
writes and results.Results reads, so the report's logic can be tested on
data whose right conclusion is known.

The header is the sweep's (sim/sweep/sweep_row.cpp: the fixed columns, then
five accuracy columns per distribution); a column a test does not set is
left empty, as the sweep leaves it for a figure it did not compute.
"""

import csv
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from results import Results, column_name  # noqa: E402  (after the path is set)

FIXED_COLUMNS = [
    "id", "a", "b", "acc", "pipeline", "array", "dataflow", "workload", "dot_unit", "promote",
    "scale_rounding",
    "products_per_cycle", "status", "error", "note",
    "gates_mpy", "gates_alignadd", "gates_normalize", "gates_total", "gates_relative_int8_fx12",
    "area_nand2", "area_relative_int8_fx12", "gates_per_product", "area_per_product",
    "flip_flops", "depth", "frequency_ghz_est",
    "energy_per_mac", "energy_logic", "energy_registers", "energy_clock", "energy_pj_est",
    "energy_per_product", "energy_pj_per_product_est",
    "pe_tops_per_mnand2", "pe_tops_per_watt_est", "cycles", "macs", "utilization", "array_tops",
    "array_tops_per_mnand2", "array_energy_per_mac", "array_tops_per_watt_est"]

ACCURACY_FIGURES = ("sqnr_a_", "sqnr_b_", "dot_err_", "dot_acc_err_", "dot_overflow_")


def columns(distributions):
    return FIXED_COLUMNS + [figure + column_name(d) for d in distributions
                            for figure in ACCURACY_FIGURES]


def unit(fmt, acc, energy, sqnr, dot_err=None, overflow=None, area=None):
    """One ok design point of fmt x fmt into `acc`.

    sqnr: {distribution: input SQNR in dB}; dot_err and overflow: the same
    per distribution (a distribution left out gets 0 overflow and an error
    of 1e-3, i.e. a well-behaved accumulator); area defaults to 10x energy.
    """
    dot_err, overflow = dot_err or {}, overflow or {}
    fields = {"id": "%s-%s-%s" % (fmt, fmt, acc), "a": fmt, "b": fmt, "acc": acc,
              "pipeline": "1", "array": "16x16", "dataflow": "ws", "workload": "resnet50",
              "status": "ok", "gates_total": 10 * energy,
              "area_nand2": 10 * energy if area is None else area,
              "energy_per_mac": energy, "energy_pj_est": 0.001 * energy}
    for dist, value in sqnr.items():
        col = column_name(dist)
        fields["sqnr_a_" + col] = fields["sqnr_b_" + col] = value
        fields["dot_err_" + col] = dot_err.get(dist, 1e-3)
        fields["dot_acc_err_" + col] = 0.0
        fields["dot_overflow_" + col] = overflow.get(dist, 0.0)
    return fields


def text(value):
    """A field as the sweep prints it ("inf" for infinity, %.6g)."""
    if isinstance(value, float):
        return "%.6g" % value
    return str(value)


def write(directory, distributions, rows):
    with open(os.path.join(directory, "results.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns(distributions), restval="")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: text(v) for k, v in row.items()})


def results(distributions, rows):
    """Results read back from a temporary results.csv holding `rows`."""
    with tempfile.TemporaryDirectory() as directory:
        write(directory, distributions, rows)
        return Results(directory)
