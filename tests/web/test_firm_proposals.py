"""Issue 16: the firm's look on its consultants' proposals. A consultant of a branded firm generates a PDF that
carries the firm's name in its text and its logo as an image, and a deck whose cover has both; a consultant of
another firm gets neither (the server's branding, here the neutral one)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from assessment import load_content
from assessment.web.accounts import create_consultant
from assessment.web.models import Firm, Proposal, Respondent, db
from tests.web import build_app, consultant_client, dispose, new_workshop_round, text

ITEMS = [item.id for item in load_content().checklist.items]
BRAND = "Xenon Brand Partners"
LOGO_SIZE = (320, 90)


def logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", LOGO_SIZE, "#0a5d4a").save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("firm-pdf"), web_cache_dir, WTF_CSRF_ENABLED=False, READINESS_PDF_WAIT=120)
    with app.app_context():
        branded = Firm(name=BRAND, accent_color="#0a5d4a", logo=logo(), logo_type="image/png")
        plain = Firm(name="")
        db.session.add_all([branded, plain])
        db.session.flush()
        create_consultant("x@example.com", "consultant-password-1", "Xena", firm=branded)
        create_consultant("y@example.com", "consultant-password-1", "Yann", firm=plain)
    yield app
    dispose(app)


def answered_round(app: Flask, consultant: FlaskClient, company: str) -> int:
    engagement = new_workshop_round(consultant, company)
    consultant.post(f"/engagements/{engagement}/invites", data={"department": "marketing", "name": "", "days": "3"})
    with app.app_context():
        person = db.session.execute(db.select(Respondent).filter_by(engagement_id=engagement)).scalar_one()
        person.answers = dict.fromkeys(ITEMS, "partial")
        db.session.commit()
    return engagement


def generated(consultant: FlaskClient, engagement: int, lang: str = "ja") -> int:
    reply = consultant.post(f"/engagements/{engagement}/proposal", data={"action": lang})
    assert reply.status_code == 302, text(reply)[:400]
    return int(re.search(r"#proposal-(\d+)", reply.location).group(1))  # type: ignore[union-attr]


def archived(app: Flask, consultant: FlaskClient, engagement: int) -> int:
    """A proposal archived for the round, its PDF not rendered (the deck is built from the archived data)."""
    document = yaml.safe_load(consultant.get(f"/engagements/{engagement}/export/assessment.yaml").data)
    with app.app_context():
        proposal = Proposal(engagement_id=engagement, lang="ja", document=document, content_fingerprint="test")
        db.session.add(proposal)
        db.session.commit()
        return proposal.id


@pytest.mark.pdf
def test_a_branded_firms_pdf_carries_its_name_and_logo_and_another_firms_does_not(app: Flask) -> None:
    found = {}
    for email, company in (("x@example.com", "キセノン商事"), ("y@example.com", "イットリウム商事")):
        consultant = consultant_client(app, email)
        engagement = answered_round(app, consultant, company)
        pdf = consultant.get(f"/engagements/{engagement}/proposals/{generated(consultant, engagement)}.pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        reader = PdfReader(io.BytesIO(pdf.data))
        words = re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))
        found[email] = (words, [(image.image.size if image.image else None) for image in reader.pages[0].images])
    words, cover_images = found["x@example.com"]
    assert re.sub(r"\s+", "", BRAND) in words
    assert LOGO_SIZE in cover_images, cover_images
    words, cover_images = found["y@example.com"]
    assert re.sub(r"\s+", "", BRAND) not in words and "Xenon" not in words
    assert cover_images == []


def test_a_branded_firms_deck_carries_its_name_and_logo_and_another_firms_does_not(app: Flask) -> None:
    for email, company, branded in (("x@example.com", "デッキ甲", True), ("y@example.com", "デッキ乙", False)):
        consultant = consultant_client(app, email)
        engagement = answered_round(app, consultant, company)
        proposal = archived(app, consultant, engagement)
        deck = consultant.get(f"/engagements/{engagement}/proposals/{proposal}.pptx")
        assert deck.status_code == 200
        cover = Presentation(io.BytesIO(deck.data)).slides[0]
        words = "\n".join(shape.text_frame.text for shape in cover.shapes if shape.has_text_frame)
        pictures = [shape for shape in cover.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert (BRAND in words) is branded and len(pictures) == (1 if branded else 0), email
        if branded:
            assert pictures[0].image.blob == logo()  # the firm's own bytes
