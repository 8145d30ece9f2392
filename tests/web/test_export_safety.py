"""The round's exports hold whatever respondents typed without running it or breaking: text a spreadsheet
would take for a formula stays text (a string cell, no visible apostrophe in XLSX; quoted and prefixed in
CSV), control characters never reach a workbook, and the forms refuse them at input."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from assessment import load_content
from assessment.web.models import Respondent, db
from tests.web import build_app, consultant_client, dispose, new_workshop_round, text, visible_text

CONTENT = load_content()
MQL = "org.mql_definition"
FORMULAS = ["=1+1", '＝HYPERLINK("http://x")', " =cmd|' /C calc'!A0", "+81-3-1234", "-2", "@SUM(A1)", "x;=cmd"]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("exports"), web_cache_dir, WTF_CSRF_ENABLED=False)
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def consultant(app: Flask) -> FlaskClient:
    return consultant_client(app, "exports@example.com")


def round_with_comments(app: Flask, consultant: FlaskClient, comments: list[str]) -> int:
    """A round whose respondents' rows hold ``comments`` as stored (older rows may predate the input checks)."""
    engagement = new_workshop_round(consultant, "出力株式会社")
    for number in range(len(comments)):
        consultant.post(
            f"/engagements/{engagement}/invites", data={"department": "marketing", "name": f"人{number}", "days": "3"}
        )
    with app.app_context():
        people = db.session.execute(db.select(Respondent).filter_by(engagement_id=engagement)).scalars().all()
        for person, comment in zip(people, comments, strict=True):
            person.answers = {MQL: "yes"}
            person.comments = {MQL: comment}
        db.session.commit()
    return engagement


def test_formula_like_text_is_kept_as_text_in_xlsx_and_csv(app: Flask, consultant: FlaskClient) -> None:
    engagement = round_with_comments(app, consultant, FORMULAS)
    workbook = load_workbook(
        io.BytesIO(consultant.get(f"/engagements/{engagement}/export/respondents.xlsx?lang=en").data)
    )
    sheet = workbook["Respondents"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Comment") + 1
    cells = [row[column - 1] for row in sheet.iter_rows(min_row=2) if row[column - 1].value]
    assert sorted(cell.value for cell in cells) == sorted(FORMULAS)  # as typed: no apostrophe added
    for cell in cells:
        assert cell.data_type == "s", cell.value  # never a formula
        if cell.value.lstrip(" ")[:1] in "=＝+-@":
            assert cell.quotePrefix, cell.value

    reply = consultant.get(f"/engagements/{engagement}/export/respondents.csv?lang=en")
    assert reply.headers["Content-Type"] == "text/csv; charset=utf-8"
    raw = reply.data.decode("utf-8-sig")
    assert all(line.startswith('"') for line in raw.splitlines() if line)  # every field quoted: ; cannot split one
    comments = [row["Comment"] for row in csv.DictReader(io.StringIO(raw)) if row["Comment"]]
    for typed in FORMULAS:
        expected = "'" + typed if typed.lstrip(" ")[:1] in "=＝+-@" else typed
        assert expected in comments, typed


def test_a_control_character_stored_in_an_old_row_does_not_break_the_workbook(
    app: Flask, consultant: FlaskClient
) -> None:
    engagement = round_with_comments(app, consultant, ["ベル\x07と\x1bエスケープ", "普通のコメント"])
    for kind in ("respondents", "consensus", "workbook"):
        reply = consultant.get(f"/engagements/{engagement}/export/{kind}.xlsx")
        assert reply.status_code == 200, kind
        load_workbook(io.BytesIO(reply.data))
    sheet = load_workbook(io.BytesIO(consultant.get(f"/engagements/{engagement}/export/respondents.xlsx").data)).active
    assert "ベルとエスケープ" in [cell.value for row in sheet.iter_rows() for cell in row]


def test_the_forms_refuse_control_characters_naming_the_field(app: Flask, consultant: FlaskClient) -> None:
    engagement = round_with_comments(app, consultant, [])
    refused = consultant.post(f"/engagements/{engagement}/consensus", data={f"note-{MQL}": "メモ\x01"})
    assert refused.status_code == 422
    assert re.search("制御文字|control character", visible_text(text(refused)))
    assert f'href="#item-{MQL}"' in text(refused)
    narrative = consultant.post(
        f"/engagements/{engagement}/proposal", data={"note-risks": "リ\x0bスク", "action": "save"}
    )
    assert narrative.status_code == 422 and 'href="#note-risks"' in text(narrative)

    consultant.post(
        f"/engagements/{engagement}/invites", data={"department": "marketing", "name": "入力者", "days": "3"}
    )
    token = re.findall(r"/r/([\w-]{30,})\"", text(consultant.get(f"/engagements/{engagement}")))[-1]
    person = app.test_client()
    field = "comments__" + MQL.replace(".", "__")
    reply = person.post(f"/r/{token}/checklist-organization", data={field: "コメント\x1b[31m", "action": "next"})
    assert reply.status_code == 422 and re.search("制御文字|control character", visible_text(text(reply)))
    with app.app_context():
        stored = db.session.execute(db.select(Respondent).filter_by(token=token)).scalar_one()
        assert not stored.comments
