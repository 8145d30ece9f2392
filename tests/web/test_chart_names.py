"""Issue 15, accessibility: every chart is an image with a name that says its figures (a screen reader gets
the per-axis scores, the funnel volumes and the roadmap's tasks), and no input points at an empty description."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from assessment.presentation import charts
from tests.web import start


def test_each_chart_names_its_figures() -> None:
    bars = charts.score_bars([charts.Bar("組織", 44.4), charts.Bar("総合", 38.3, emphasis=True)], "#1f4e79")
    assert 'role="img" aria-label="組織 44/100; 総合 38/100"' in bars
    volumes = charts.funnel_volumes(
        [charts.FunnelStep("リード", 800, None), charts.FunnelStep("MQL", 120, 15)], "#1f4e79"
    )
    assert 'aria-label="リード 800; MQL 120"' in volumes
    bullets = charts.benchmark_bullets([charts.MetricRow("初回対応", 30, None, 24, "時間", True)], "#1f4e79")
    assert 'aria-label="初回対応 30時間"' in bullets
    gantt = charts.gantt([charts.GanttBar("SFA導入", "営業企画", 0, 6, True, "tools")], 6, "#1f4e79")
    assert 'aria-label="SFA導入 (営業企画) W1–W6"' in gantt


def test_a_chart_name_is_escaped() -> None:
    svg = charts.score_bars([charts.Bar('<script>"x"</script>', 10)], "#1f4e79")
    assert "<script>" not in svg and 'aria-label="&lt;script&gt;&quot;x&quot;&lt;/script&gt; 10/100"' in svg


def test_no_empty_aria_describedby_on_questionnaire_pages(client: FlaskClient) -> None:
    base = start(client)
    for page in ("profile", "funnel", "checklist-organization", "checklist-tools", "checklist-data"):
        html = client.get(f"{base}/{page}").get_data(as_text=True)
        assert 'aria-describedby=""' not in html, page
        assert re.search(r'aria-describedby="\s', html) is None, page


def test_a_figure_short_of_its_benchmark_says_so_in_words_not_only_in_red(nocsrf_client: FlaskClient) -> None:
    client = nocsrf_client
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "questionnaires" / "samples" / "sample.yaml"
    reply = client.post("/import", data={"file": (sample.open("rb"), "sample.yaml")})
    results = client.get(reply.location.replace("/review", "/results")).get_data(as_text=True)
    concern_rows = re.findall(r'<tr class="concern">.*?</tr>', results, re.S)
    assert concern_rows, "the sample has figures short of their benchmark"
    assert all('<span class="visually-hidden">要注意: </span>' in row for row in concern_rows)


def test_the_focus_ring_is_dark_on_a_light_page() -> None:
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "assessment" / "web" / "static" / "app.css").read_text()
    rule = re.search(r":focus-visible \{([^}]*)\}", css)
    assert rule and "outline: 3px solid var(--ink)" in rule.group(1)  # #1f2933 on white: 15:1, not 1.6:1


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_chart_text_is_legible_on_its_light_background() -> None:
    """WCAG 1.4.3 for the small labels axe cannot measure inside an SVG: 4.5:1 on white and on the Gantt's
    row stripe (white text sits on the accent-coloured bars and is left out)."""
    svgs = [
        charts.score_bars([charts.Bar("組織", 44.4), charts.Bar("総合", 38.3, emphasis=True)], "#1f4e79"),
        charts.funnel_volumes([charts.FunnelStep("リード", 800, None), charts.FunnelStep("MQL", 120, 15)], "#1f4e79"),
        charts.benchmark_bullets([charts.MetricRow("初回対応", 30, None, 24, "時間", True)], "#1f4e79"),
        charts.gantt([charts.GanttBar("SFA導入", "営業企画", 0, 6, True, "tools")], 6, "#1f4e79"),
    ]
    fills = {fill for svg in svgs for fill in re.findall(r'<text [^>]*fill="(#[0-9a-f]{6})"', svg)}
    assert fills - {"#ffffff"}, "the charts have labels"
    for fill in fills - {"#ffffff"}:
        worst = min(_contrast(fill, "#ffffff"), _contrast(fill, "#f7f9fb"))
        assert worst >= 4.5, f"chart text {fill}: {worst:.2f}:1"
