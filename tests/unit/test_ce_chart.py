"""The CE progress chart and its off-loop renderer."""

import warnings

import pytest

import cogs.ce._charts as charts
from bot.domain.ce_chart import Bar, render_progress

BARS = [Bar("PA CRS total", 12, 30, 10), Bar("PA CRS ethics", 6, 6), Bar("PA CRS confidentiality", 0, 3)]


def test_png_for_any_number_of_rows():
    for bars in ([], BARS, BARS * 12):
        png = render_progress(bars)
        assert png.startswith(b"\x89PNG") and len(png) > 1000


def test_bar_labels_are_cut_and_emoji_dropped_without_font_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert render_progress([Bar("🌟" * 300, 1, 0), Bar("Ética 🌊 NJ", 1, 2)]).startswith(b"\x89PNG")


@pytest.mark.parametrize("use_process", [True, False])
async def test_renderer_in_a_worker_or_a_thread(use_process):
    renderer = charts.ChartRenderer(use_process=use_process)
    try:
        assert (await renderer.render(BARS)).startswith(b"\x89PNG")
    finally:
        renderer.close()


async def test_falls_back_to_a_thread_when_no_worker_can_start(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(charts, "ProcessPoolExecutor", refuse)
    renderer = charts.ChartRenderer()
    assert (await renderer.render(BARS)).startswith(b"\x89PNG")
    assert (await renderer.render(BARS)).startswith(b"\x89PNG")
    renderer.close()
