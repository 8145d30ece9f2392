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
from tests.web import build_app, consultant_client, dispose, new_workshop_round, text, translate, visible_text

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
TOO_FEW = (
    "Not shown by department: each department needs at least %(n)s respondents, and smaller ones are merged into "
    "“Other”."
)
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


def slides(page: str) -> list[tuple[str, str]]:
    """The projected discussion's slides in order: (item id, the slide's words)."""
    found = re.findall(r'<section class="slide[^"]*"[^>]*data-item="([\w.]+)"[^>]*>(.*?)</section>', page, re.S)
    return [(item_id, visible_text(body)) for item_id, body in found]


def labels(page: str) -> list[str]:
    """Whose answers or comments the page names: every group label (departments, "other", everyone)."""
    return [visible_text(label) for label in re.findall(r'<span class="dept-label">(.*?)</span>', page, re.S)]


@pytest.fixture(scope="module")
def settled(consultant: FlaskClient, engagement: int) -> int:
    """The round, with the consultant's final answer on the MQL item (autosaved from the consensus page)."""
    data = {"item": MQL, "final": "partial", "note": NOTE, "was-final": "", "was-note": ""}
    reply = consultant.post(f"/engagements/{engagement}/consensus/item", data=data)
    assert reply.status_code == 200, reply.get_json()
    return engagement


def test_the_consensus_page_links_to_its_projected_discussion(consultant: FlaskClient, engagement: int) -> None:
    page = text(consultant.get(f"/engagements/{engagement}/consensus?lang=ja"))
    assert f'href="/engagements/{engagement}/discussion"' in page and "議論用の画面を投影" in page


def test_the_discussion_shows_the_gaps_first_with_spread_proposal_final_answer_and_comments(
    consultant: FlaskClient, settled: int
) -> None:
    reply = consultant.get(f"/engagements/{settled}/discussion?lang=ja")
    assert reply.status_code == 200
    page = text(reply)
    shown = slides(page)
    assert [item_id for item_id, _words in shown] == [MQL, *(i for i in ITEMS if i != MQL)]  # the gap first
    mql = shown[0][1]
    statement = CONTENT.checklist.item(MQL).text.ja
    assert mql.startswith(f"項目{MQL_NUMBER} {statement} 認識ギャップ")
    assert "全員 （はい3 · 一部1 · いいえ4 · わからない1）" in mql
    assert "マーケティング はい （はい2 · 一部1）" in mql
    assert "フィールドセールス いいえ （いいえ2 · わからない1）" in mql
    assert "その他 いいえ （はい1 · いいえ2）" in mql  # customer success (1) and management (2), merged
    assert "合意案 いいえ" in mql and "最終回答 一部" in mql
    assert "フィールドセールス MQLの基準を見たことがない" in mql and "その他 CSだけが知っている事情" in mql
    assert NOTE not in page  # the consultant's note stays on the consensus page
    second = shown[1][1]
    assert "認識ギャップ" not in second and "最終回答 未設定" in second and "合意案 はい" in second
    assert 'id="slide-' + str(MQL_NUMBER) + '"' in page  # the slide is named by the item's number (the address)
    assert page.count('<section class="slide') == len(ITEMS)
    # projected: no account links nor language switch; the way back leads to the consensus page
    assert 'class="account"' not in page and 'class="lang"' not in page and "/logout" not in page
    assert f'<a class="exit" href="/engagements/{settled}/consensus">' in page


def test_the_discussion_in_english(consultant: FlaskClient, settled: int) -> None:
    page = text(consultant.get(f"/engagements/{settled}/discussion?lang=en"))
    mql = slides(page)[0][1]
    assert mql.startswith(f"Item {MQL_NUMBER} {CONTENT.checklist.item(MQL).text.en} perception gap")
    assert "Marketing Yes (Yes 2 · Partly 1)" in mql and "Other No (Yes 1 · No 2)" in mql
    assert "Proposed consensus No" in mql and "Final answer Partly" in mql
    assert "Consensus discussion" in page and "Keys: → or Space next, ← previous." in page
    consultant.get("/?lang=ja")


def test_nobody_is_named_and_a_small_department_cannot_be_picked_out(consultant: FlaskClient, settled: int) -> None:
    """One customer success person: never shown apart (nor named); their answer and comment are in "other"."""
    page = text(consultant.get(f"/engagements/{settled}/discussion?lang=ja"))
    for _department, name, _answer, _comment in PEOPLE:
        assert name not in page
    assert set(labels(page)) == {"全員", "マーケティング", "フィールドセールス", "その他"}
    assert '"customer_success"' not in page and '"management"' not in page
    assert re.findall(r'data-department="(\w+)"', page)[:3] == ["marketing", "field_sales", "other"]


def test_without_a_breakdown_the_discussion_shows_everyone_only(app: Flask, consultant: FlaskClient) -> None:
    """Three marketers and one customer success person: no department can be shown apart (the live screen's
    rule), so no department and no department on a comment; the proposal and everyone's answers stay, and so
    does the perception gap the consensus page finds (marketing yes, customer success no): flagged, first."""
    engagement = new_workshop_round(consultant, "少人数株式会社")
    people = [("marketing", "yes", "")] * 3 + [("customer_success", "no", "ひとりだけ反対")]
    for department, _answer, _comment in people:
        data = {"department": department, "name": "名無し", "days": "3"}
        assert consultant.post(f"/engagements/{engagement}/invites", data=data).status_code == 302
    consultant.get(f"/engagements/{engagement}")
    with app.app_context():
        rows = db.session.execute(
            db.select(Respondent).filter_by(engagement_id=engagement).order_by(Respondent.id)
        ).scalars()
        for row, (_department, answer, comment) in zip(rows, people, strict=True):
            row.answers = {**dict.fromkeys(ITEMS, "yes"), MQL: answer}
            row.comments = {MQL: comment} if comment else {}
        db.session.commit()
    page = text(consultant.get(f"/engagements/{engagement}/discussion?lang=ja"))
    words = visible_text(page)
    assert set(labels(page)) == {"全員"} and "data-department" not in page
    assert page.count('<section class="slide gap"') == 1 and "名無し" not in page
    shown = dict(slides(page))
    assert list(shown) == [MQL, *(i for i in ITEMS if i != MQL)]  # the consensus page's gap first
    assert "認識ギャップ" in shown[MQL]
    consensus = text(consultant.get(f"/engagements/{engagement}/consensus?lang=ja"))
    assert consensus.count('class="consensus-item gap"') == 1 and f'id="item-{MQL}"' in consensus
    assert "全員 （はい3 · いいえ1）" in shown[MQL] and "<li>ひとりだけ反対</li>" in page
    assert translate(app, TOO_FEW) % {"n": 3} in words  # why no department is shown


def test_only_the_rounds_consultant_can_open_the_discussion(app: Flask, settled: int) -> None:
    other = consultant_client(app, "other-discussion@example.com")
    assert other.get(f"/engagements/{settled}/discussion").status_code == 404
    assert other.get("/engagements/999999/discussion").status_code == 404
    anonymous = app.test_client().get(f"/engagements/{settled}/discussion")
    assert anonymous.status_code == 302 and "/login" in anonymous.location
