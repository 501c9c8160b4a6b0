"""The report's figures (matplotlib, Agg backend, PNG).

Each function takes plain lists and writes one PNG into the report's
directory. Output is reproducible: no randomness, and the PNG's Software
tag is dropped, so the same results give byte-identical images on the same
matplotlib (the SVG hash salt is fixed too, should SVG ever be chosen).
"""

import math
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

matplotlib.rcParams.update({
    "svg.hashsalt": "qmac-report",
    "font.size": 9,
    "axes.titlesize": 10,
    "figure.dpi": 100,
})

KIND_COLORS = {"int": "#1f77b4", "float": "#d62728", "flint": "#2ca02c", "block": "#9467bd",
               "unknown": "#7f7f7f"}
DIST_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]


def save(fig, out_dir, name):
    """Writes fig as out_dir/name without metadata that changes between runs."""
    fig.savefig(os.path.join(out_dir, name), dpi=100, metadata={"Software": None})
    plt.close(fig)
    return name


def heatmaps(rows, cols, panels, out_dir, name):
    """Side-by-side heatmaps over rows x cols; panels: [(title, {(r, c): value})]."""
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 0.38 * len(rows) + 1.8),
                             squeeze=False)
    for ax, (title, values) in zip(axes[0], panels):
        grid = [[values.get((r, c), math.nan) for c in cols] for r in rows]
        shown = [v for line in grid for v in line if not math.isnan(v)]
        vmax = max(shown) if shown else 1.0
        image = ax.imshow(grid, cmap="YlOrRd", vmin=min(shown + [1.0]) if shown else 0,
                          vmax=vmax, aspect="auto")
        ax.set_xticks(range(len(cols)), labels=cols)
        ax.set_yticks(range(len(rows)), labels=rows)
        ax.set_title(title)
        for i, line in enumerate(grid):
            for j, v in enumerate(line):
                text = "-" if math.isnan(v) else "%.2f" % v
                ax.text(j, i, text, ha="center", va="center", fontsize=8,
                        color="white" if not math.isnan(v) and v > 0.75 * vmax else "black")
        fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    return save(fig, out_dir, name)


def grouped_bars(labels, series, ylabel, title, out_dir, name, reference=None, log=False,
                 height=4.2):
    """Bars of several series per label; series: [(legend, [value or None])];
    reference: a horizontal line (e.g. 1.0 for ratios)."""
    fig_width = min(12.0, max(7.0, 0.28 * len(labels) * max(1, len(series)) + 3))
    fig, ax = plt.subplots(figsize=(fig_width, height))
    width = 0.8 / max(1, len(series))
    for k, (legend, values) in enumerate(series):
        xs = [i + (k - (len(series) - 1) / 2) * width for i in range(len(labels))]
        ys = [v if v is not None and math.isfinite(v) else 0.0 for v in values]
        ax.bar(xs, ys, width, label=legend, color=DIST_COLORS[k % len(DIST_COLORS)])
    ax.set_xticks(range(len(labels)), labels=labels, rotation=45, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if log:
        ax.set_yscale("log")
    if reference is not None:
        ax.axhline(reference, color="black", linewidth=0.8, linestyle="--")
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return save(fig, out_dir, name)


# Where a point's label may go, in points from the point: right above, right
# below, left above, left below.
LABEL_SPOTS = [(5, 4, "left"), (5, -11, "left"), (-5, 4, "right"), (-5, -11, "right")]


def _label(ax, points, fontsize=7):
    """Labels points, each at the first spot whose box (estimated from the
    text's length) overlaps no label placed before it."""
    ax.autoscale_view()
    to_pixels = ax.transData.transform
    scale = ax.figure.dpi / 72.0
    placed = []
    for x, y, text in points:
        px, py = to_pixels((x, y))
        width, height = 0.6 * fontsize * len(text) * scale, fontsize * scale * 1.2
        for dx, dy, align in LABEL_SPOTS:
            left = px + dx * scale - (width if align == "right" else 0)
            box = (left, py + dy * scale, left + width, py + dy * scale + height)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                       for b in placed):
                break
        placed.append(box)
        ax.annotate(text, (x, y), textcoords="offset points", xytext=(dx, dy), ha=align,
                    fontsize=fontsize)


def pareto(panels, pj_per_unit, out_dir, name):
    """SQNR against energy per MAC, one panel per distribution.

    panels: [(distribution, points)] with points carrying energy, sqnr,
    overflows, pareto, kind and label. The front is drawn as a step line and
    labelled; ineligible points are grey: crosses where the accumulator
    overflows, rings where its rounding dominates the dot product's error."""
    n = len(panels)
    ncols = 2 if n > 1 else 1
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.2 * ncols, 4.6 * nrows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.axis("off")
    fronts = []  # labelled once the layout is final: placement works in pixels
    for ax, (dist, points) in zip(axes.flat, panels):
        kinds_seen = set()
        for p in points:
            if p.overflows or p.acc_dominates:
                legend = ("accumulator overflows" if p.overflows else
                          "accumulation error dominates")
                style = (dict(marker="x", color="#999999") if p.overflows else
                         dict(marker="o", facecolors="none", edgecolors="#999999"))
                ax.scatter(p.energy, p.sqnr, s=22, label=legend if legend not in kinds_seen
                           else None, **style)
                kinds_seen.add(legend)
                continue
            color = KIND_COLORS.get(p.kind, KIND_COLORS["unknown"])
            ax.scatter(p.energy, p.sqnr, color=color, s=40 if p.pareto else 16,
                       edgecolors="black" if p.pareto else "none", zorder=3,
                       label=p.kind if p.kind not in kinds_seen else None)
            kinds_seen.add(p.kind)
        front = sorted((p for p in points if p.pareto), key=lambda p: p.energy)
        if front:
            ax.step([p.energy for p in front], [p.sqnr for p in front], where="post",
                    color="black", linewidth=0.8, zorder=2)
            fronts.append((ax, [(p.energy, p.sqnr, p.label) for p in front]))
        ax.set_title("%s: SQNR against energy per MAC (Pareto front outlined)" % dist)
        ax.set_xlabel("energy per MAC (toggle units)")
        ax.set_ylabel("SQNR of the inputs (dB)")
        ax.grid(alpha=0.3)
        # The legend in a fixed order: kinds first, then the ineligible points.
        handles, labels = ax.get_legend_handles_labels()
        order = sorted(range(len(labels)), key=lambda i: (labels[i] not in KIND_COLORS,
                                                          labels[i]))
        ax.legend([handles[i] for i in order], [labels[i] for i in order], fontsize=7,
                  loc="lower right")
        if pj_per_unit:
            top = ax.secondary_xaxis("top", functions=(lambda x: x * pj_per_unit,
                                                       lambda y: y / pj_per_unit))
            top.set_xlabel("pJ per MAC (45 nm estimate)")
    fig.tight_layout()
    for ax, labels in fronts:
        _label(ax, labels)
    return save(fig, out_dir, name)


def unit_pareto(points, ylabel, out_dir, name, cost="area"):
    """Accuracy (bits) against area (or energy) per product of dot-product
    units.

    points: [(cost, bits, on_front, is_int, label)]; integer units blue,
    float units red, the front as a step line with its units labelled."""
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    for area, b, front, is_int, _ in points:
        ax.scatter(area, b, s=40 if front else 14,
                   color=KIND_COLORS["int" if is_int else "float"],
                   edgecolors="black" if front else "none", zorder=3)
    front = sorted((p for p in points if p[2]), key=lambda p: p[0])
    if front:
        ax.step([p[0] for p in front], [p[1] for p in front], where="post", color="black",
                linewidth=0.8)
        _label(ax, [(p[0], p[1], p[4]) for p in front])
    ax.set_xscale("log")
    ax.set_xlabel("area per product (NAND2 eq., synthesized)" if cost == "area" else
                  "energy per product (toggle units, gate-level netlist)")
    ax.set_ylabel(ylabel)
    ax.set_title("Dot-product units: accuracy against %s per product" % cost)
    ax.grid(True, which="both", alpha=0.3)
    return save(fig, out_dir, name)


def format_costs(points, ylabel, out_dir, name):
    """Accuracy (bits) against area and against energy per product, one
    labelled point per format, coloured by kind.

    points: [(format, area, energy or None, bits, kind)]."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
    for ax, index, what in ((axes[0], 1, "area per product (NAND2 eq., synthesized)"),
                            (axes[1], 2, "energy per product (toggle units)")):
        drawn = [p for p in points if p[index] is not None]
        for p in drawn:
            ax.scatter(p[index], p[3], s=30, color=KIND_COLORS.get(p[4], KIND_COLORS["unknown"]),
                       zorder=3)
        # Costs within a few x of each other: a linear axis from 0, with room
        # for the rightmost label (set first: the labels are placed in pixels).
        ax.set_xlim(0, 1.2 * max((p[index] for p in drawn), default=1))
        _label(ax, [(p[index], p[3], p[0]) for p in drawn])
        ax.set_xlabel(what)
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel(ylabel)
    fig.suptitle("Formats' cheapest dot units: accuracy against cost per product")
    return save(fig, out_dir, name)
