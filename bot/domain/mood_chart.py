"""A member's mood over time as a PNG (matplotlib, imported lazily, Agg backend, no pyplot state)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.checkins import MOODS


def render_mood_chart(
    points: list[tuple[datetime, int]], tz: str, days: int, average: float | None, streak: str, until: datetime
) -> bytes:
    """Plot (moment, mood) points of the `days` up to `until`, in the member's zone, with their average.

    Uses the object-oriented API (Figure + Agg canvas), so it is safe to run in a worker thread.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    zone = ZoneInfo(tz)
    xs = [moment.astimezone(zone).replace(tzinfo=None) for moment, _ in points]
    ys = [mood for _, mood in points]
    figure = Figure(figsize=(8, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    # matplotlib's stubs accept only floats, but its registered date converter takes datetimes.
    axes.plot(xs, ys, marker="o", linewidth=1.5, color="#2a9d8f", label="mood")  # type: ignore[arg-type]
    if average is not None:
        axes.axhline(average, linestyle="--", color="#e76f51", linewidth=1, label=f"average {average:.1f}")
    axes.set_ylim(0.5, 5.5)
    axes.set_yticks(list(MOODS))
    axes.set_yticklabels([f"{mood} {word}" for mood, (_, word) in MOODS.items()])
    # The axis spans the window asked for, not whatever matplotlib picks around a few points.
    end = until.astimezone(zone).replace(tzinfo=None)
    axes.set_xlim(end - timedelta(days=days), end + timedelta(hours=12))  # type: ignore[arg-type]  # date converter, as above
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.grid(axis="y", alpha=0.3)
    axes.set_title(f"Your mood, last {days} days — {streak}")
    axes.legend(loc="lower left", fontsize="small")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
