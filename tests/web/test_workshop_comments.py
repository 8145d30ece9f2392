"""Issue 16 (defect 6): what participants wrote beside an item is where the discussion happens: on the consensus
page, in the perception gaps of the round's results and in the proposal PDF, with the department and escaped.
Names stay off unless the consultant asks, on the consensus page only (the results and PDF may be projected)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from assessment import load_content
from assessment.web.models import Respondent, db
from tests.web import build_app, consultant_client, dispose, new_workshop_round, text, visible_text

CONTENT = load_content()
MQL = "org.mql_definition"
HANDOFF = "org.handoff_rules"
ITEMS = [item.id for item in CONTENT.checklist.items]
FIELD_SAYS = "MQLの基準を見たことがない"
HOSTILE = "<script>alert(1)</script>引き継ぎは口頭"
AGREED = next(i for i in ITEMS if i not in (MQL, HANDOFF))
MARKETING_SAYS = "ここは全員一致で問題なし"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("comments"), web_cache_dir, WTF_CSRF_ENABLED=False, READINESS_PDF_WAIT=120)
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def consultant(app: Flask) -> FlaskClient:
    return consultant_client(app, "comments@example.com")


@pytest.fixture(scope="module")
def engagement(app: Flask, consultant: FlaskClient) -> int:
    """Marketing says MQL and hand-off are in place, field sales says they are not, and each wrote a comment."""
    engagement = new_workshop_round(consultant, "コメント株式会社")
    for department, name in (("marketing", "鈴木一郎"), ("field_sales", "山田太郎")):
        data = {"department": department, "name": name, "days": "3"}
        consultant.post(f"/engagements/{engagement}/invites", data=data)
    consultant.get(f"/engagements/{engagement}")  # shows (and so clears) the "link made for ..." messages
    with app.app_context():
        marketing, field = db.session.execute(
            db.select(Respondent).filter_by(engagement_id=engagement).order_by(Respondent.id)
        ).scalars()
        marketing.answers = dict.fromkeys(ITEMS, "yes")
        marketing.comments = {AGREED: MARKETING_SAYS}
        field.answers = {**dict.fromkeys(ITEMS, "yes"), MQL: "no", HANDOFF: "no"}
        field.comments = {MQL: FIELD_SAYS, HANDOFF: HOSTILE}
        db.session.commit()
    return engagement


def test_the_consensus_page_shows_each_items_comments_with_the_department(
    consultant: FlaskClient, engagement: int
) -> None:
    page = text(consultant.get(f"/engagements/{engagement}/consensus"))
    mql = page[page.index(f'id="item-{MQL}"') :]
    mql = mql[: mql.index("</fieldset>")]
    assert FIELD_SAYS in mql and "フィールドセールス" in visible_text(mql)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;引き継ぎは口頭" in page and "<script>alert(1)" not in page
    assert MARKETING_SAYS in page  # an item without a gap shows its comments too
    assert "山田太郎" not in page and "鈴木一郎" not in page  # anonymous by default
    named = text(consultant.get(f"/engagements/{engagement}/consensus?names=1"))
    assert "山田太郎" in named and FIELD_SAYS in named


def test_the_results_show_the_comments_in_the_perception_gaps(consultant: FlaskClient, engagement: int) -> None:
    page = text(consultant.get(f"/engagements/{engagement}/results?lang=ja"))
    gaps = page[page.index('class="data gaps"') :]
    gaps = gaps[: gaps.index("</table>")]
    assert FIELD_SAYS in gaps and "&lt;script&gt;alert(1)&lt;/script&gt;" in gaps
    assert "<script>alert(1)" not in page
    assert MARKETING_SAYS in page  # under the other statements commented on
    assert "山田太郎" not in page and "鈴木一郎" not in page
    assert "山田太郎" not in text(consultant.get(f"/engagements/{engagement}/results?names=1"))


def test_the_round_file_carries_the_comments(consultant: FlaskClient, engagement: int) -> None:
    import yaml

    document = yaml.safe_load(consultant.get(f"/engagements/{engagement}/export/assessment.yaml").data)
    field = next(r for r in document["respondents"] if r["department"] == "field_sales")
    assert field["comments"] == {MQL: FIELD_SAYS, HANDOFF: HOSTILE}


@pytest.mark.pdf
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_proposal_pdf_prints_the_comments_in_the_perception_gaps(
    consultant: FlaskClient, engagement: int, lang: str
) -> None:
    reply = consultant.post(f"/engagements/{engagement}/proposal", data={"action": lang})
    assert reply.status_code == 302, text(reply)[:400]
    proposal_id = int(re.search(r"#proposal-(\d+)", reply.location).group(1))  # type: ignore[union-attr]
    pdf = consultant.get(f"/engagements/{engagement}/proposals/{proposal_id}.pdf")
    assert pdf.status_code == 200
    words = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.data)).pages))
    assert FIELD_SAYS in words and MARKETING_SAYS in words
    assert "<script>alert(1)</script>引き継ぎは口頭" in words  # printed as text, never markup
    assert "山田太郎" not in words and "鈴木一郎" not in words
