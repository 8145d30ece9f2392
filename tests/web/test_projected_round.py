"""What the projected screens (live, presentation, discussion) say about a round, against the consensus page and
the exports: the same perception gaps in the same order, even where a lone department is merged into "other" for
anonymity; an item someone never answered counted as not answered (未回答), apart from "don't know", everywhere;
items numbered as in the results.

Eight people. Marketing 3 and field sales 3 disagree on the hand-off (yes / no); the one customer success person
says "no" to the MQL item everyone else says "yes" to, and never answered the lead-capture item; one inside
sales person said "don't know" to it. The live screen's minimum is 3: customer success and inside sales cannot
stand alone, so field sales is merged into "other" too."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment import load_content
from assessment.web.models import Respondent, db
from tests.web import build_app, consultant_client, dispose, new_workshop_round, text, visible_text

CONTENT = load_content()
ITEMS = [item.id for item in CONTENT.checklist.items]
MQL, HANDOFF, CAPTURE = "org.mql_definition", "org.handoff_rules", "data.lead_capture"
NUMBER = {item_id: n for n, item_id in enumerate(ITEMS, start=1)}
ALL_YES = dict.fromkeys(ITEMS, "yes")
PEOPLE = [
    *[("marketing", {**ALL_YES, HANDOFF: "yes"})] * 3,
    *[("field_sales", {**ALL_YES, HANDOFF: "no"})] * 3,
    ("customer_success", {**{i: "yes" for i in ITEMS if i != CAPTURE}, MQL: "no"}),  # never answered CAPTURE
    ("inside_sales", {**ALL_YES, CAPTURE: "unknown"}),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("projected"), web_cache_dir, WTF_CSRF_ENABLED=False)
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def consultant(app: Flask) -> FlaskClient:
    return consultant_client(app, "projected@example.com")


@pytest.fixture(scope="module")
def engagement(app: Flask, consultant: FlaskClient) -> int:
    engagement = new_workshop_round(consultant, "投影株式会社")
    for department, _answers in PEOPLE:
        data = {"department": department, "name": department, "days": "3"}
        assert consultant.post(f"/engagements/{engagement}/invites", data=data).status_code == 302
    consultant.get(f"/engagements/{engagement}")
    with app.app_context():
        rows = db.session.execute(
            db.select(Respondent).filter_by(engagement_id=engagement).order_by(Respondent.id)
        ).scalars()
        for row, (_department, answers) in zip(rows, PEOPLE, strict=True):
            row.answers = dict(answers)
        db.session.commit()
    return engagement


def consensus_gaps(page: str) -> list[str]:
    """The consensus page's list of perception gaps, in its order (item ids)."""
    box = page[page.index('<div class="notice warn"><h2>') :]
    box = box[: box.index("</div>")]
    return re.findall(r'href="#item-([\w.]+)"', box)


def test_the_projected_screens_flag_the_consensus_pages_gaps_in_its_order(
    consultant: FlaskClient, engagement: int
) -> None:
    consensus = text(consultant.get(f"/engagements/{engagement}/consensus?lang=ja"))
    gaps = consensus_gaps(consensus)
    assert sorted(gaps) == sorted([MQL, HANDOFF])  # MQL: the lone customer success "no"

    state = consultant.get(f"/engagements/{engagement}/live.json").get_json()
    assert [g["department"] for g in state["departments"]] == ["marketing", "other"]  # CS merged for anonymity
    assert state["gaps"] == gaps
    live = text(consultant.get(f"/engagements/{engagement}/live?lang=ja"))
    flagged = re.findall(r'<li id="dist-([\w.]+)" class="gap">', live)
    assert sorted(flagged) == sorted(gaps)

    discussion = text(consultant.get(f"/engagements/{engagement}/discussion?lang=ja"))
    slides = re.findall(r'<section class="slide( gap)?"[^>]*data-item="([\w.]+)"', discussion)
    assert [item for gap, item in slides if gap] == gaps == [item for _gap, item in slides[: len(gaps)]]
    assert discussion.count("認識ギャップ</span>") == len(gaps)

    present = text(consultant.get(f"/engagements/{engagement}/present?lang=ja"))
    assert sorted(re.findall(r'<section class="slide gap"[^>]*data-gap-item="([\w.]+)"', present)) == sorted(gaps)


def test_an_item_someone_never_answered_is_not_answered_everywhere(consultant: FlaskClient, engagement: int) -> None:
    state = consultant.get(f"/engagements/{engagement}/live.json").get_json()
    capture = next(row for row in state["items"] if row["item"] == CAPTURE)
    assert capture["counts"] == {"yes": 6, "partial": 0, "no": 0, "unknown": 1, "unanswered": 1}
    assert sum(capture["counts"].values()) == len(PEOPLE) and capture["answered"] == len(PEOPLE) - 1
    other = next(g for g in capture["by_department"] if g["department"] == "other")
    assert other["counts"] == {"yes": 3, "partial": 0, "no": 0, "unknown": 1, "unanswered": 1}

    live = text(consultant.get(f"/engagements/{engagement}/live?lang=ja"))
    row = live[live.index(f'id="dist-{CAPTURE}"') :]
    row = row[: row.index("</li>")]
    assert 'data-answer="unanswered" data-count="1"' in row and 'data-answer="unknown" data-count="1"' in row
    assert "未回答" in visible_text(live[live.index('class="legend"') :][:600])

    discussion = text(consultant.get(f"/engagements/{engagement}/discussion?lang=ja"))
    slide = discussion[discussion.index(f'data-item="{CAPTURE}"') :]
    slide = visible_text(slide[: slide.index("</section>")])
    assert "全員 （はい6 · わからない1 · 未回答1）" in slide

    consensus = text(consultant.get(f"/engagements/{engagement}/consensus?lang=ja"))
    item = consensus[consensus.index(f'id="item-{CAPTURE}"') :]
    item = visible_text(item[: item.index('class="by-dept"') + item[item.index('class="by-dept"') :].index("</p>")])
    assert "カスタマーサクセス: 未回答 （未回答1）" in item
    assert "インサイドセールス: わからない （わからない1）" in item

    def csv_rows(kind: str) -> list[dict[str, str]]:
        data = consultant.get(f"/engagements/{engagement}/export/{kind}.csv?lang=ja").data.decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(data)))

    capture_row = next(r for r in csv_rows("consensus") if r["項目ID"] == CAPTURE)
    assert capture_row["カスタマーサクセス"] == "未回答" and capture_row["インサイドセールス"] == "わからない"
    cs = next(r for r in csv_rows("respondents") if r["部門ID"] == "customer_success" and r["項目ID"] == CAPTURE)
    assert (cs["回答ID"], cs["回答"]) == ("", "未回答")


def test_items_are_numbered_as_in_the_results(consultant: FlaskClient, engagement: int) -> None:
    live = visible_text(text(consultant.get(f"/engagements/{engagement}/live?lang=ja")))
    consensus = text(consultant.get(f"/engagements/{engagement}/consensus?lang=ja"))
    for item in CONTENT.checklist.items:
        assert f"{NUMBER[item.id]}. {item.text.ja}" in live
        legend = re.search(rf'id="item-{re.escape(item.id)}"[^>]*>\s*<legend>(.*?)</legend>', consensus, re.S)
        assert legend and visible_text(legend.group(1)).startswith(f"{NUMBER[item.id]}. {item.text.ja}")
    gap_list = visible_text(consensus[consensus.index('<div class="notice warn"><h2>') :].split("</div>")[0])
    assert f"{NUMBER[MQL]}. {CONTENT.checklist.item(MQL).text.ja}" in gap_list
