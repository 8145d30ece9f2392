"""Issue 16 (defect 10): a round's exports are ready to chart. The respondents file has one row per respondent and
item with the respondent's number, department, item, answer, comment and the time of their last save (ISO 8601
with its offset); the consensus file has a column per department in THE MODEL's order. Both read back with the
csv module and openpyxl; names only when the consultant asks; the files are named after the client and round."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from werkzeug.http import parse_options_header

from assessment import load_content
from assessment.web.models import Respondent, db
from tests.web import build_app, consultant_client, dispose, new_workshop_round

CONTENT = load_content()
MQL = "org.mql_definition"
HANDOFF = "org.handoff_rules"
ITEMS = [item.id for item in CONTENT.checklist.items]
SAVED = datetime(2026, 11, 30, 1, 15, tzinfo=UTC)  # 10:15 in Tokyo
RESPONDENT_COLUMNS = [
    "Respondent id", "Department id", "Department", "Item number", "Item id", "Axis", "Item", "Answer id", "Answer",
    "Comment", "Answered at",
]  # fmt: skip


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("ws-exports"), web_cache_dir, WTF_CSRF_ENABLED=False)
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def consultant(app: Flask) -> FlaskClient:
    return consultant_client(app, "charts@example.com")


@pytest.fixture(scope="module")
def engagement(app: Flask, consultant: FlaskClient) -> int:
    """Field sales (invited first), marketing, and a revoked customer-success link that no longer counts."""
    engagement = new_workshop_round(consultant, "チャート株式会社")
    people = [("field_sales", "山田"), ("marketing", "鈴木"), ("customer_success", "佐藤")]
    for department, name in people:
        data = {"department": department, "name": name, "days": "3"}
        consultant.post(f"/engagements/{engagement}/invites", data=data)
    with app.app_context():
        field, marketing, revoked = db.session.execute(
            db.select(Respondent).filter_by(engagement_id=engagement).order_by(Respondent.id)
        ).scalars()
        field.answers, field.answered_at = {MQL: "no", HANDOFF: "partial"}, SAVED
        field.comments = {MQL: "MQLの基準を見たことがない"}
        marketing.answers, marketing.answered_at = {MQL: "yes"}, SAVED + timedelta(minutes=5)
        revoked.answers, revoked.revoked_at = {MQL: "yes"}, SAVED
        db.session.commit()
    return engagement


def read_csv(reply: object) -> list[dict[str, str]]:
    data: bytes = reply.data  # type: ignore[attr-defined]
    assert data.startswith("\ufeff".encode())  # Japanese Excel needs the BOM
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_respondents_csv_one_row_per_respondent_and_item(consultant: FlaskClient, engagement: int) -> None:
    reply = consultant.get(f"/engagements/{engagement}/export/respondents.csv?lang=en")
    rows = read_csv(reply)
    assert list(rows[0]) == RESPONDENT_COLUMNS  # anonymous: no name column unless asked
    assert len(rows) == 2 * len(ITEMS)
    # by department in THE MODEL's order (marketing before field sales); the id is the invitation number
    assert [r["Respondent id"] for r in rows[:: len(ITEMS)]] == ["2", "1"]
    field = {r["Item id"]: r for r in rows if r["Respondent id"] == "1"}
    mql = field[MQL]
    assert (mql["Department id"], mql["Department"]) == ("field_sales", "Field sales")
    assert mql["Item number"] == str(ITEMS.index(MQL) + 1) and mql["Item"] == CONTENT.checklist.item(MQL).text.en
    assert (mql["Answer id"], mql["Answer"]) == ("no", "No")
    assert mql["Comment"] == "MQLの基準を見たことがない"
    assert (field[HANDOFF]["Answer id"], field[HANDOFF]["Answer"]) == ("partial", "Partly")
    unanswered = next(r for r in field.values() if r["Item id"] not in (MQL, HANDOFF))
    assert unanswered["Answer id"] == "" and unanswered["Answer"] == "Not answered"  # never "Don't know"
    stamp = datetime.fromisoformat(mql["Answered at"])
    assert mql["Answered at"] == "2026-11-30T10:15:00+09:00" and stamp == SAVED
    assert {r["Answered at"] for r in rows if r["Respondent id"] == "2"} == {"2026-11-30T10:20:00+09:00"}
    assert "山田" not in reply.data.decode("utf-8-sig")


def test_respondent_names_only_when_the_consultant_asks(consultant: FlaskClient, engagement: int) -> None:
    rows = read_csv(consultant.get(f"/engagements/{engagement}/export/respondents.csv?lang=en&names=1"))
    assert list(rows[0])[:2] == ["Respondent id", "Respondent"]
    assert {(r["Respondent id"], r["Respondent"]) for r in rows} == {("1", "山田"), ("2", "鈴木")}


def test_respondents_xlsx_has_the_same_columns(consultant: FlaskClient, engagement: int) -> None:
    reply = consultant.get(f"/engagements/{engagement}/export/respondents.xlsx?lang=en")
    sheet = load_workbook(io.BytesIO(reply.data))["Respondents"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == RESPONDENT_COLUMNS and len(rows) == 1 + 2 * len(ITEMS)
    by_key = {(row[0], row[4]): dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    mql = by_key[(1, MQL)]
    assert mql["Item number"] == ITEMS.index(MQL) + 1  # numbers are numbers in the workbook
    assert mql["Comment"] == "MQLの基準を見たことがない" and mql["Answered at"] == "2026-11-30T10:15:00+09:00"


def test_consensus_has_a_column_per_department_in_the_model_order(consultant: FlaskClient, engagement: int) -> None:
    rows = read_csv(consultant.get(f"/engagements/{engagement}/export/consensus.csv?lang=en"))
    header = list(rows[0])
    assert header[:4] == ["Item number", "Item id", "Axis", "Item"]
    assert header[4:8] == ["Marketing", "Inside sales", "Field sales", "Customer success"]
    assert header[-5:] == ["Proposed consensus", "Final answer", "Answer used", "Perception gap", "Note"]
    assert len(header) == 4 + len(CONTENT.survey.roles) + 5
    by_item = {r["Item id"]: r for r in rows}
    assert list(by_item) == ITEMS
    mql = by_item[MQL]
    assert (mql["Marketing"], mql["Field sales"], mql["Inside sales"]) == ("Yes", "No", "")  # nobody from IS
    assert mql["Customer success"] == ""  # a revoked link no longer counts
    assert mql["Proposed consensus"] == "No" and mql["Perception gap"] == "yes"

    workbook = load_workbook(io.BytesIO(consultant.get(f"/engagements/{engagement}/export/workbook.xlsx?lang=en").data))
    sheet = list(workbook["Consensus"].iter_rows(values_only=True))
    assert list(sheet[0]) == header
    row = dict(zip(sheet[0], next(r for r in sheet[1:] if r[1] == MQL), strict=True))
    assert (row["Marketing"], row["Field sales"], row["Answer used"]) == ("Yes", "No", "No")


def test_the_files_are_named_after_the_client_and_round(consultant: FlaskClient, engagement: int) -> None:
    reply = consultant.get(f"/engagements/{engagement}/export/respondents.csv?lang=ja")
    _disposition, params = parse_options_header(reply.headers["Content-Disposition"])
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date().isoformat()  # the reader's today (READINESS_TIMEZONE)
    assert params["filename"] == f"チャート株式会社_回答一覧_第1回_{today}.csv"
    reply = consultant.get(f"/engagements/{engagement}/export/workbook.xlsx?lang=en")
    _disposition, params = parse_options_header(reply.headers["Content-Disposition"])
    assert params["filename"] == f"チャート株式会社_workshop-answers_第1回_{today}.xlsx"
