"""Issue 16, consensus and proposals: beside each item the consensus page shows how each department's people
answered (its spread, in THE MODEL's order, in words as well as colour), and the round has a projected
discussion view (the perception gaps first; anonymous; a department too small to stand alone merged into
"other", exactly as the live screen does); only the round's consultant can open it."""

from __future__ import annotations

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
MQL = "org.mql_definition"
ITEMS = [item.id for item in CONTENT.checklist.items]
MQL_NUMBER = ITEMS.index(MQL) + 1
# (department, name, answer to the MQL item, comment on it)
PEOPLE = [
    ("field_sales", "山田太郎", "no", "MQLの基準を見たことがない"),
    ("marketing", "鈴木一郎", "yes", ""),
    ("marketing", "佐藤花子", "yes", ""),
    ("marketing", "高橋健", "partial", ""),
    ("field_sales", "田中次郎", "no", ""),
    ("field_sales", "伊藤三郎", "unknown", ""),
    ("customer_success", "渡辺ひとり", "yes", "CSだけが知っている事情"),
    ("management", "中村社長", "no", ""),
    ("management", "小林部長", "no", ""),
]
CHIP = re.compile(r'<span class="dept answer-\w+" data-department="(\w+)">(.*?)</span>(?=<span class="dept|$)', re.S)
NOTE = "営業部長と合意: 定義はあるが運用されていない"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("discussion"), web_cache_dir, WTF_CSRF_ENABLED=False)
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def consultant(app: Flask) -> FlaskClient:
    return consultant_client(app, "discussion@example.com")


@pytest.fixture(scope="module")
def engagement(app: Flask, consultant: FlaskClient) -> int:
    """Nine people: marketing 3, field sales 3, one customer success person and two managers; they disagree
    on the MQL item (everything else: yes). The consultant set a final answer on it."""
    engagement = new_workshop_round(consultant, "議論株式会社")
    for department, name, _answer, _comment in PEOPLE:
        reply = consultant.post(
            f"/engagements/{engagement}/invites", data={"department": department, "name": name, "days": "3"}
        )
        assert reply.status_code == 302
    consultant.get(f"/engagements/{engagement}")  # shows (and so clears) the "link made for ..." messages
    with app.app_context():
        rows = db.session.execute(
            db.select(Respondent).filter_by(engagement_id=engagement).order_by(Respondent.id)
        ).scalars()
        for row, (_department, _name, answer, comment) in zip(rows, PEOPLE, strict=True):
            row.answers = {**dict.fromkeys(ITEMS, "yes"), MQL: answer}
            row.comments = {MQL: comment} if comment else {}
        db.session.commit()
    return engagement


def chips(page: str, item_id: str) -> dict[str, str]:
    """An item's departments on the consensus page: department id -> the chip's words."""
    item = page[page.index(f'id="item-{item_id}"') :]
    item = item[: item.index("</fieldset>")]
    by_dept = item[item.index('class="by-dept"') :]
    by_dept = by_dept[: by_dept.index("</p>")]
    found = CHIP.findall(by_dept)
    return {dept: visible_text(body) for dept, body in found}


def test_the_consensus_page_shows_each_departments_spread_in_the_model_order(
    consultant: FlaskClient, engagement: int
) -> None:
    page = text(consultant.get(f"/engagements/{engagement}/consensus?lang=ja"))
    mql = chips(page, MQL)
    assert list(mql) == ["marketing", "field_sales", "customer_success", "management"]
    assert mql["marketing"] == "マーケティング: はい （はい2 · 一部1）"
    assert mql["field_sales"] == "フィールドセールス: いいえ （いいえ2 · わからない1）"
    assert mql["customer_success"] == "カスタマーサクセス: はい （はい1）"
    assert mql["management"] == "経営層: いいえ （いいえ2）"
    # a pip per person, coloured by answer, hidden from screen readers (the words say it)
    item = page[page.index(f'id="item-{MQL}"') :]
    pips = item[: item.index("</p>")]
    assert pips.count('class="pip ') == len(PEOPLE)
    assert '<span class="pips" aria-hidden="true">' in pips

    english = text(consultant.get(f"/engagements/{engagement}/consensus?lang=en"))
    assert chips(english, MQL)["marketing"] == "Marketing: Yes (Yes 2 · Partly 1)"
    consultant.get("/?lang=ja")
