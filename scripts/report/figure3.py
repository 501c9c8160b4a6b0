"""The paper's Figure 3 next to qmac's analytical model and synthesis.

The paper's totals live in paper_figure3.csv (a data file, so no C++ code
carries them); qmac's figures for the same 15 configurations come from
`qmac cost --json --no-energy`, which answers from its synthesis cache after
the first run. A configuration whose synthesis fails (no Yosys) is priced
again by the analytical model alone, and the failure is kept for the
report's errors section: nothing is dropped silently.
"""

import csv
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

PAPER_CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "paper_figure3.csv")


class Bar:
    """One configuration of Figure 3: the paper's gates and qmac's."""

    def __init__(self, fields):
        self.paper_input = fields["paper_input"]
        self.format = fields["format"]
        self.acc = fields["accumulator"]
        self.paper = {k: float(fields[k]) for k in ("mpy", "alignadd", "normalize", "total")}
        self.analytic = None  # {"mpy", "alignadd", "normalize", "total"} from qmac
        self.synth = None     # synthesized NAND2 equivalents
        self.error = None     # why qmac gave no answer

    @property
    def label(self):
        return self.paper_input + "\u2192" + self.acc.upper()


def load_paper(path=PAPER_CSV):
    """The paper's bars, skipping the file's # comment lines."""
    with open(path, newline="", encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return [Bar(fields) for fields in csv.DictReader(lines)]


def price(qmac, bar, synthesis=True):
    """Fills in qmac's analytical gates and (if asked and available) the
    synthesized area of one configuration."""
    cmd = [qmac, "cost", "--a", bar.format, "--b", bar.format, "--acc", bar.acc, "--json",
           "--no-energy"]
    if not synthesis:
        cmd.append("--no-synth")
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as e:
        bar.error = str(e)
        return
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        bar.error = lines[-1] if lines else "exit status %d" % done.returncode
        if synthesis:
            # Without Yosys the analytical count still stands next to the paper.
            error = bar.error
            price(qmac, bar, synthesis=False)
            bar.error = error
        return
    doc = json.loads(done.stdout)
    gates = doc.get("gates_analytic") or {}
    bar.analytic = {k: gates.get(k) for k in ("mpy", "alignadd", "normalize", "total")}
    bar.synth = doc.get("area_nand2")


def compare(qmac, synthesis=True, jobs=2):
    """The paper's 15 bars with qmac's numbers; qmac None gives the paper's alone."""
    bars = load_paper()
    if qmac:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(lambda b: price(qmac, b, synthesis), bars))
    return bars


def relative(bars, source):
    """Each bar's total relative to INT8 -> FX+12 from the same source
    ("paper", "analytic" or "synth"); None where a figure is missing."""
    def total(bar):
        if source == "paper":
            return bar.paper["total"]
        if source == "analytic":
            return bar.analytic and bar.analytic.get("total")
        return bar.synth

    base = next((total(b) for b in bars if b.format == "int8" and b.acc == "fx+12"), None)
    return [total(b) / base if base and total(b) else None for b in bars]
