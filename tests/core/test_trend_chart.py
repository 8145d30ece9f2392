"""The scores' trend across a client's rounds (presentation.trend_chart, view.across.trend_view): readable at 3, 5
and 8 rounds with long Japanese titles. The x axis names each round by a short label (its month, or its day when
two share a month) with the full title as the label's tooltip and in the key below the chart, and no figure over
a point runs into the y axis's tick labels."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from assessment import load_content
from assessment.presentation.view.across import RoundScores, round_labels, trend_view

CONTENT = load_content()
SVG = "{http://www.w3.org/2000/svg}"
TITLE = "全社ワークショップ（営業・マーケティング・カスタマーサクセス合同の振り返りと次の打ち手）"


def rounds(count: int, *, twice_a_month: bool = False) -> list[RoundScores]:
    overall = [44.4, 87.0, 91.2, 50.0, 62.0, 75.0, 30.0, 100.0]
    made: list[RoundScores] = []
    for index in range(count):
        month, day = (5 + index // 2, 1 + 14 * (index % 2)) if twice_a_month else (5 + index, 11)
        held = f"{2026 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}-{day:02d}"
        made.append({"name": f"第{index + 1}回 {TITLE} ({held})", "overall": overall[index],
                     "axes": {a.id: 50.0 for a in CONTENT.checklist.axes}})  # fmt: skip
    return made


def x_labels(svg: str) -> list[tuple[float, str, str]]:
    """The x axis's labels: (x, the words shown, the tooltip's full name)."""
    root = ET.fromstring(svg)
    found = []
    for text in root.iter(f"{SVG}text"):
        tooltip = text.find(f"{SVG}title")
        if tooltip is not None:
            found.append((float(text.get("x", 0)), (text.text or "").strip(), tooltip.text or ""))
    return found


@pytest.mark.parametrize("count", [3, 5, 8])
def test_the_rounds_are_named_short_on_the_axis_and_in_full_below(count: int) -> None:
    trend = trend_view(rounds(count), CONTENT, "ja", "#1f4e79")
    assert trend is not None
    labels = x_labels(trend["svg"])
    assert [words for _x, words, _full in labels] == [f"2026/{5 + i:02d}" for i in range(count)]
    assert [full for _x, _words, full in labels] == trend["rounds"]  # the full title as the tooltip
    assert trend["key"] == [{"label": words, "name": full} for _x, words, full in labels]
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(labels)]
    widest = max(len(words) for _x, words, _full in labels) * 9.5 * 0.62  # half-width digits at 9.5 px
    assert min(gaps) > widest + 8  # neighbouring labels never touch


def test_two_rounds_in_one_month_are_told_apart_by_their_day() -> None:
    names = [r["name"] for r in rounds(4, twice_a_month=True)]
    assert round_labels(names) == ["2026/05/01", "2026/05/15", "2026/06/01", "2026/06/15"]
    assert round_labels(["第1回", "第2回", "第3回"]) == ["1", "2", "3"]  # an archive without dates: the number


@pytest.mark.parametrize("count", [3, 5, 8])
def test_no_figure_runs_into_a_tick_label(count: int) -> None:
    svg = trend_view(rounds(count), CONTENT, "ja", "#1f4e79")["svg"]  # type: ignore[index]
    root = ET.fromstring(svg)
    texts = list(root.iter(f"{SVG}text"))
    ticks = [t for t in texts if t.get("text-anchor") == "end" and re.fullmatch(r"\d+", t.text or "")]
    figures = [t for t in texts if t.get("font-weight") == "700" and re.fullmatch(r"\d+", t.text or "")]
    assert [t.text for t in ticks] == ["0", "25", "50", "75", "100"] and len(figures) == count

    def box(text: ET.Element) -> tuple[float, float, float, float]:
        x, y, size = float(text.get("x", 0)), float(text.get("y", 0)), float(text.get("font-size", 10))
        width = len(text.text or "") * size * 0.62
        left = {"end": x - width, "middle": x - width / 2}.get(text.get("text-anchor", ""), x)
        return left, y - size, left + width, y

    for figure in figures:
        a = box(figure)
        for tick in ticks:
            b = box(tick)
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (figure.text, tick.text)
