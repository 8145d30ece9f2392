"""Re-assessment across a client's workshop rounds (issue 16): the results compare with the previous round's
perception gaps and each department's readiness score, and from the third round on draw the scores' trend.

Hand-computed: the checklist weighs organisation 12.5 (its ten items), tools 5.5 and data 5.5. Round 1:
marketing all yes, field sales all no (a gap on all 20 items, consensus "no": overall 0). Round 2: field sales
now yes on the organisation items (10 gaps left; field sales 12.5 / 23.5 = 53; overall 53). Round 3: everyone
yes (no gap, 100)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment import load_content
from assessment.web.accounts import create_consultant
from tests.web import build_app, dispose, text
from tests.web.test_round_lifecycle import PASSWORD, answer, client_of, invite, new_round, round_of, signed_in

CONTENT = load_content()
ITEMS = [item.id for item in CONTENT.checklist.items]
ORG = [i for i in ITEMS if i.startswith("org.")]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("trend"), web_cache_dir, WTF_CSRF_ENABLED=False)
    with app.app_context():
        create_consultant("yamada@example.com", PASSWORD, "山田")
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def rounds(app: Flask) -> tuple[FlaskClient, list[int]]:
    consultant = signed_in(app, "yamada@example.com")
    first = new_round(consultant, "推移株式会社", "第1回", "2026-06-01")
    client_id = client_of(app, first)
    second = round_of(consultant, client_id, "第2回", "2026-08-01")
    third = round_of(consultant, client_id, "第3回", "2026-10-01")
    field_sales = [dict.fromkeys(ITEMS, "no"), {**dict.fromkeys(ITEMS, "no"), **dict.fromkeys(ORG, "yes")}, {}]
    for engagement_id, theirs in zip((first, second, third), field_sales, strict=True):
        answer(app, invite(consultant, engagement_id, "marketing"), {})  # all yes
        answer(app, invite(consultant, engagement_id, "field_sales"), theirs)
    return consultant, [first, second, third]


def rows(page: str, table: str) -> list[list[str]]:
    found = re.search(rf'<table class="data {table}".*?</table>', page, re.S)
    assert found, table
    body = found.group(0).split("<tbody>")[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_the_second_round_compares_gaps_and_departments_without_a_trend(rounds: tuple[FlaskClient, list[int]]) -> None:
    consultant, (_first, second, _third) = rounds
    page = text(consultant.get(f"/engagements/{second}/results?lang=en"))
    assert ["Perception gaps (items the departments see differently)", "20", "10", "−10"] in rows(page, "since-scores")
    assert rows(page, "since-departments") == [["Marketing", "100", "100", "±0"], ["Field sales", "0", "53", "+53"]]
    assert 'id="score-trend"' not in page


def test_the_third_round_draws_the_trend_with_every_figure_named(rounds: tuple[FlaskClient, list[int]]) -> None:
    consultant, (_first, _second, third) = rounds
    page = text(consultant.get(f"/engagements/{third}/results?lang=en"))
    assert ["Perception gaps (items the departments see differently)", "10", "0", "−10"] in rows(page, "since-scores")
    figure = re.search(r'<figure class="chart trend" id="score-trend">.*?</figure>', page, re.S)
    assert figure and "across the 3 rounds" in figure.group(0)
    label = html.unescape(re.search(r'role="img" aria-label="([^"]*)"', figure.group(0)).group(1))  # type: ignore[union-attr]
    assert label.startswith("Overall readiness: 第1回 (2026-06-01) 0, 第2回 (2026-08-01) 53, 第3回 (2026-10-01) 100;")
    assert "Organization" in label or "Organisation" in label
    assert figure.group(0).count("<polyline") == 1 + len(CONTENT.checklist.axes)
    axis = re.findall(r"<text [^>]*>([^<]*)<title>([^<]*)</title></text>", figure.group(0))
    assert axis == [
        ("2026/06", "第1回 (2026-06-01)"), ("2026/08", "第2回 (2026-08-01)"), ("2026/10", "第3回 (2026-10-01)")
    ]  # fmt: skip
    key = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", figure.group(0))
    assert key == axis  # the short label and the full title below the chart
    japanese = text(consultant.get(f"/engagements/{third}/results?lang=ja"))
    assert 'id="score-trend"' in japanese and "総合" in japanese


# Hand-checked: the organisation, tools and data scores of these two answer sets are 59.6 -> 37.2 overall and
# 31.8 -> 36.4 for tools; the raw changes (-22.4, +4.6) rounded would print -22 and +5 beside 60 -> 37, 32 -> 36.
ROUNDING_BEFORE = dict(zip(ITEMS, list("p p y y p y y y y y n p p p n n n p n y".replace(" ", "")), strict=True))
ROUNDING_AFTER = dict(zip(ITEMS, list("y p n n n n n y n n y p n n p p p p y p".replace(" ", "")), strict=True))
WORDS = {"y": "yes", "p": "partial", "n": "no"}


def test_every_printed_change_is_the_difference_of_the_printed_scores(app: Flask) -> None:
    consultant = signed_in(app, "yamada@example.com")
    first = new_round(consultant, "丸め株式会社", "第1回", "2026-06-01")
    second = round_of(consultant, client_of(app, first), "第2回", "2026-08-01")
    for engagement_id, answers in ((first, ROUNDING_BEFORE), (second, ROUNDING_AFTER)):
        answer(app, invite(consultant, engagement_id, "marketing"), {k: WORDS[v] for k, v in answers.items()})
    page = text(consultant.get(f"/engagements/{second}/results?lang=en"))
    scores = rows(page, "since-scores")
    assert ["Overall readiness", "60", "37", "−23"] in scores
    assert ["Tools", "32", "36", "+4"] in scores
    for _title, before, after, change in scores:
        if before.isdigit() and after.isdigit():
            expected = "±0" if before == after else f"{int(after) - int(before):+d}".replace("-", "−")
            assert change == expected, (_title, before, after, change)
    # the statements whose answer changed: numbered as the results number them, in that order
    changes = re.search(r'<ul class="changes">(.*?)</ul>', page, re.S)
    assert changes
    listed = [
        re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", li))).strip()
        for li in re.findall(r"<li[^>]*>(.*?)</li>", changes.group(1), re.S)
    ]
    moved = [n for n, item in enumerate(ITEMS, start=1) if ROUNDING_BEFORE[item] != ROUNDING_AFTER[item]]
    numbers = [int(re.search(r"(?:Improved|Worsened) (\d+)\. ", line).group(1)) for line in listed]  # type: ignore[union-attr]
    assert numbers == moved  # 1, 3, 4, ... ascending, improved and worsened interleaved
    first = CONTENT.checklist.items[0].text.en
    assert listed[0] == f"▲ Improved 1. {first} Partly → Yes"
