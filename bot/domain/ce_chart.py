"""The `/ce status` progress chart: one horizontal bar per requirement, earned against required, as PNG.

matplotlib is imported inside `render_progress` (Agg backend, no display), so loading Harbor does not pay
for it; the caller runs the function off the event loop (`asyncio.to_thread`).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of the chart: a credential's total or one of its category minimums."""

    label: str
    earned: float  # hours
    required: float  # hours
    expected: float | None = None  # pro-rata hours by today (a tick), for the total rows


def _printable(label: str) -> str:
    # The bundled font has no emoji: drop pictographs rather than draw empty boxes.
    kept = "".join(c for c in label if ord(c) < 0x10000 and unicodedata.category(c) not in ("So", "Cs", "Co"))
    return " ".join(kept.split())[:40]


def render_progress(bars: Sequence[Bar], *, title: str = "CE progress this cycle") -> bytes:
    """A small PNG: green when met, amber otherwise; a dark tick marks the pro-rata pace."""
    import matplotlib as mpl

    mpl.use("Agg", force=False)
    from matplotlib.figure import Figure

    rows = list(bars)[:24]
    height = 0.9 + 0.32 * max(1, len(rows))
    figure = Figure(figsize=(6.4, height), dpi=80)
    axes = figure.add_axes((0.34, 0.9 / height * 0.5, 0.62, 1 - 0.9 / height))
    # No axis machinery (ticks and their text are most of matplotlib's cost): labels are plain text.
    axes.set_axis_off()
    positions = list(range(len(rows)))[::-1]
    shares = [min(b.earned / b.required, 1.0) if b.required else 1.0 for b in rows]
    colours = ["#2e7d32" if b.earned >= b.required else "#f9a825" for b in rows]
    axes.barh(positions, [1.0] * len(rows), color="#e0e0e0", height=0.6)
    axes.barh(positions, shares, color=colours, height=0.6)
    for y, bar in zip(positions, rows, strict=True):
        axes.text(-0.02, y, _printable(bar.label), va="center", ha="right", fontsize=8)
        axes.text(1.01, y, f"{bar.earned:g}/{bar.required:g} h", va="center", fontsize=8)
        if bar.expected is not None and bar.required:
            x = min(bar.expected / bar.required, 1.0)
            axes.plot([x, x], [y - 0.35, y + 0.35], color="#37474f", linewidth=1.5)
    axes.set_xlim(0, 1.22)
    axes.set_ylim(-0.6, len(rows) - 0.4)
    axes.set_title(title, fontsize=9, loc="left")
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
