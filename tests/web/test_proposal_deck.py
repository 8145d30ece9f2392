"""Issue 16: each generated proposal is also an editable deck. The proposal page links it beside the PDF; the
download is a .pptx named like the PDF (client, round, day, language); another consultant gets 404."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from pptx import Presentation
from werkzeug.http import parse_options_header

from assessment import load_content
from assessment.web.models import Proposal, Respondent, db
from tests.web import build_app, consultant_client, dispose, new_workshop_round, text

CONTENT = load_content()
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("deck"), web_cache_dir, WTF_CSRF_ENABLED=False)
    yield app
    dispose(app)


def archived_proposals(app: Flask, consultant: FlaskClient) -> tuple[int, dict[str, int]]:
    """A round with one department's answers, and its proposal archived in both languages (PDFs not rendered)."""
    engagement = new_workshop_round(consultant, "デッキ商事株式会社")
    consultant.post(f"/engagements/{engagement}/invites", data={"department": "marketing", "name": "", "days": "3"})
    with app.app_context():
        person = db.session.execute(db.select(Respondent).filter_by(engagement_id=engagement)).scalar_one()
        person.answers = {item.id: "partial" for item in CONTENT.checklist.items}
        db.session.commit()
    document = yaml.safe_load(consultant.get(f"/engagements/{engagement}/export/assessment.yaml").data)
    ids = {}
    with app.app_context():
        for lang in ("ja", "en"):
            proposal = Proposal(engagement_id=engagement, lang=lang, document=document, content_fingerprint="test")
            db.session.add(proposal)
            db.session.commit()
            ids[lang] = proposal.id
    return engagement, ids


def test_the_proposal_page_links_each_deck_and_it_downloads_named_like_the_pdf(app: Flask) -> None:
    owner = consultant_client(app, "deck-owner@example.com")
    engagement, ids = archived_proposals(app, owner)
    page = text(owner.get(f"/engagements/{engagement}/proposal?lang=ja"))
    for proposal_id in ids.values():
        assert f'href="/engagements/{engagement}/proposals/{proposal_id}.pptx"' in page
    assert "デッキ（.pptx）" in page

    for lang, proposal_id in ids.items():
        reply = owner.get(f"/engagements/{engagement}/proposals/{proposal_id}.pptx")
        assert reply.status_code == 200 and reply.mimetype == PPTX
        with app.app_context():
            created = db.session.get(Proposal, proposal_id).created_at  # type: ignore[union-attr]
        day = (created if created.tzinfo else created.replace(tzinfo=UTC)).astimezone(timezone(timedelta(hours=9)))
        what = {"ja": "THE-MODEL提案書", "en": "THE-MODEL-proposal"}[lang]
        disposition = parse_options_header(reply.headers["Content-Disposition"])
        assert disposition == (
            "attachment",
            {"filename": f"デッキ商事株式会社_{what}_第1回_{day:%Y-%m-%d}_{lang}.pptx"},
        )
        prs = Presentation(io.BytesIO(reply.data))
        cover = "\n".join(shape.text_frame.text for shape in prs.slides[0].shapes if shape.has_text_frame)
        assert "デッキ商事株式会社" in cover and "deck-owner" in cover  # the consultant, as on the PDF's cover

    other = consultant_client(app, "deck-other@example.com")
    for proposal_id in ids.values():
        reply = other.get(f"/engagements/{engagement}/proposals/{proposal_id}.pptx")
        assert reply.status_code == 404 and "デッキ商事".encode() not in reply.data
