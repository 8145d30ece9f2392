"""Issue 16 (defect 11): one narrative per round and language. The proposal page edits the Japanese and English
texts side by side and says when one language's narrative is empty; the PDF in a language prints that
language's narrative only; the proposal files are named after the client, round, day and language."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from werkzeug.http import parse_options_header

from assessment import load_content
from assessment.web.models import Proposal, Respondent, db
from tests.web import build_app, consultant_client, dispose, new_workshop_round, text

CONTENT = load_content()
ITEMS = [item.id for item in CONTENT.checklist.items]
JA_SUMMARY = "日本語の総括：MQL定義の合意が最優先"
EN_SUMMARY = "English summary: agree the MQL definition first"
JA_ONLY_RISKS = "日本語だけのリスク所見"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(
        tmp_path_factory.mktemp("narratives"), web_cache_dir, WTF_CSRF_ENABLED=False, READINESS_PDF_WAIT=120
    )
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def consultant(app: Flask) -> FlaskClient:
    return consultant_client(app, "narrative@example.com")


def answered_round(app: Flask, consultant: FlaskClient, company: str) -> int:
    engagement = new_workshop_round(consultant, company)
    consultant.post(f"/engagements/{engagement}/invites", data={"department": "marketing", "name": "", "days": "3"})
    with app.app_context():
        person = db.session.execute(db.select(Respondent).filter_by(engagement_id=engagement)).scalar_one()
        person.answers = dict.fromkeys(ITEMS, "partial")
        db.session.commit()
    return engagement


def stored_notes(consultant: FlaskClient, engagement: int) -> object:
    return yaml.safe_load(consultant.get(f"/engagements/{engagement}/export/assessment.yaml").data).get("notes")


def test_the_page_edits_both_languages_and_says_which_is_empty(app: Flask, consultant: FlaskClient) -> None:
    engagement = answered_round(app, consultant, "二言語株式会社")
    page = text(consultant.get(f"/engagements/{engagement}/proposal?lang=ja"))
    assert 'name="note-executive_summary"' in page and 'name="note-en-executive_summary"' in page
    assert 'id="empty-narrative' not in page  # nothing written yet: nothing to warn about

    saved = consultant.post(
        f"/engagements/{engagement}/proposal", data={"note-executive_summary": JA_SUMMARY, "action": "save"}
    )
    assert saved.status_code == 302
    assert stored_notes(consultant, engagement) == {"executive_summary": JA_SUMMARY}  # the old, plain form
    page = text(consultant.get(f"/engagements/{engagement}/proposal?lang=ja"))
    assert 'id="empty-narrative-en"' in page and "英語の文章が空です" in page

    consultant.post(
        f"/engagements/{engagement}/proposal",
        data={"note-en-executive_summary": EN_SUMMARY, "was-en-executive_summary": "", "action": "save"},
    )
    # The Japanese text was not sent with this form, so it stays as stored.
    assert stored_notes(consultant, engagement) == {"executive_summary": {"ja": JA_SUMMARY, "en": EN_SUMMARY}}
    page = text(consultant.get(f"/engagements/{engagement}/proposal?lang=en"))
    assert 'id="empty-narrative' not in page
    assert f">{EN_SUMMARY}</textarea>" in page and f">{JA_SUMMARY}</textarea>" in page

    too_long = consultant.post(f"/engagements/{engagement}/proposal", data={"note-en-risks": "x" * 20001})
    assert too_long.status_code == 422 and 'href="#note-en-risks"' in text(too_long)


@pytest.mark.pdf
def test_each_pdf_prints_its_own_languages_narrative_and_is_named_for_the_round(
    app: Flask, consultant: FlaskClient
) -> None:
    engagement = answered_round(app, consultant, "提案書名株式会社")
    narrative = {
        "note-executive_summary": JA_SUMMARY, "note-en-executive_summary": EN_SUMMARY,
        "note-risks": JA_ONLY_RISKS,  # no English risks: the English PDF prints none, not the Japanese
    }  # fmt: skip
    words = {}
    for lang in ("ja", "en"):
        reply = consultant.post(f"/engagements/{engagement}/proposal", data={**narrative, "action": lang})
        assert reply.status_code == 302, text(reply)[:400]
        proposal_id = int(re.search(r"#proposal-(\d+)", reply.location).group(1))  # type: ignore[union-attr]
        pdf = consultant.get(f"/engagements/{engagement}/proposals/{proposal_id}.pdf")
        assert pdf.status_code == 200
        words[lang] = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.data)).pages))
        with app.app_context():
            created = db.session.get(Proposal, proposal_id).created_at  # type: ignore[union-attr]
        day = (created if created.tzinfo else created.replace(tzinfo=UTC)).astimezone(timezone(timedelta(hours=9)))
        what = {"ja": "THE-MODEL提案書", "en": "THE-MODEL-proposal"}[lang]
        disposition = parse_options_header(pdf.headers["Content-Disposition"])
        assert disposition == ("attachment", {"filename": f"提案書名株式会社_{what}_第1回_{day:%Y-%m-%d}_{lang}.pdf"})
        data = consultant.get(f"/engagements/{engagement}/proposals/{proposal_id}.yaml?lang=ja")
        name = parse_options_header(data.headers["Content-Disposition"])[1]["filename"]
        assert name == f"提案書名株式会社_回答データ_第1回_{day:%Y-%m-%d}_{lang}.yaml"

    squeeze = re.compile(r"\s+")
    assert squeeze.sub("", JA_SUMMARY) in words["ja"] and squeeze.sub("", EN_SUMMARY) not in words["ja"]
    assert squeeze.sub("", JA_ONLY_RISKS) in words["ja"]
    assert squeeze.sub("", EN_SUMMARY) in words["en"] and squeeze.sub("", JA_SUMMARY) not in words["en"]
    assert squeeze.sub("", JA_ONLY_RISKS) not in words["en"]
