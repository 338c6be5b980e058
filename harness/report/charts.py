"""The chart of report.html: every system on each measure, mean and 95% interval, one panel per
measure on that measure's own fixed axis (0 to 1 for ROUGE and figure scores), so an axis never
stretches a small difference, or a row of zeros, to fill the panel. Systems that read the
references are drawn apart, below a line, in grey."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence

import numpy as np

# Measures that are fractions: their axis is always 0 to 1.
UNIT_INTERVAL = ("rouge", "figure_precision", "figure_recall", "figure_f1", "extractive_coverage")


def axis_range(measure: str, rows: Sequence[dict]) -> tuple[float, float]:
    """0 to 1 for fractions; else 0 to the largest interval end, rounded up to 1, 2 or 5 × 10^k."""
    if measure.startswith(UNIT_INTERVAL):
        return 0.0, 1.0
    top = max((r[measure].high for r in rows if r[measure].high is not None), default=1.0)
    if top <= 0:
        return 0.0, 1.0
    step = 10 ** math.floor(math.log10(top))
    nice = next(k * step for k in (1, 2, 5, 10) if k * step >= top)
    return 0.0, float(nice)


def row_label(row: Mapping, varying: Sequence[str]) -> str:
    return " · ".join(str(row[k]) for k in ("system", *varying) if row.get(k) is not None)


def varying_keys(rows: Sequence[Mapping]) -> list[str]:
    """The row keys besides system that differ between rows (worth showing in labels)."""
    return [k for k in ("prompt", "dataset", "run") if len({r.get(k) for r in rows}) > 1]


def chart_png(
    rows: Sequence[dict], measures: Mapping[str, bool | None], readers: frozenset[str] = frozenset()
) -> bytes:
    """One panel per measure; rows top to bottom, reference readers last and grey."""
    # The Figure API with the Agg canvas, not pyplot: no backend machinery nor global figure
    # registry to import, and nothing to close.
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = sorted(rows, key=lambda r: r["system"] in readers)  # stable: readers last
    names = list(measures)
    cols = min(4, len(names))
    panels = math.ceil(len(names) / cols)
    labels = [row_label(r, varying_keys(rows)) for r in rows]
    systems = list(dict.fromkeys(r["system"] for r in rows))
    colours = {s: colormaps["tab10"](i % 10) for i, s in enumerate(systems)}
    height = 0.32 * len(rows) + 1.1
    fig = Figure(figsize=(3.3 * cols, height * panels))
    FigureCanvasAgg(fig)
    axes = fig.subplots(panels, cols, squeeze=False, sharey=True)
    y = np.arange(len(rows))[::-1]
    split = sum(r["system"] not in readers for r in rows)
    for i, ax in enumerate(axes.flat):
        if i >= len(names):
            ax.set_visible(False)
            continue
        _panel(ax, names[i], measures[names[i]], rows, y, colours, readers)
        if 0 < split < len(rows):
            ax.axhline(y[split - 1] - 0.5, color="#8c959f", linestyle="--", linewidth=0.8)
    axes[0][0].set_yticks(
        y,
        [
            f"{lab} (reads refs)" if r["system"] in readers else lab
            for lab, r in zip(labels, rows, strict=True)
        ],
    )
    axes[0][0].set_ylim(-0.7, len(rows) - 0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    return buf.getvalue()


def _panel(ax, m: str, up: bool | None, rows, y, colours, readers) -> None:
    for yi, row in zip(y, rows, strict=True):
        est = row[m]
        if est.mean is None:
            continue
        colour = "#8c959f" if row["system"] in readers else colours[row["system"]]
        ax.errorbar(
            est.mean,
            yi,
            xerr=[[est.mean - est.low], [est.high - est.mean]],
            fmt="o",
            color=colour,
            capsize=3,
            markersize=5,
        )
    arrow = {True: " ↑", False: " ↓", None: " (diagnostic)"}[up]
    ax.set_title(f"{m}{arrow}", fontsize=10)
    low, high = axis_range(m, rows)
    ax.set_xlim(low - (high - low) * 0.02, high + (high - low) * 0.02)
    if all(row[m].mean is None for row in rows):
        ax.text(0.5, 0.5, "no values", transform=ax.transAxes, ha="center", color="#8c959f")
    ax.grid(axis="x", color="#e6e9ed")
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
