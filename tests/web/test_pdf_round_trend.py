"""The workshop proposal PDF of a client's third round: the change since the last round with the perception
gaps and each department's score, and the trend chart across the three rounds (read from the PDF's text).
The rounds are those of ``test_round_trend`` (hand-computed there)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from pypdf import PdfReader

from assessment.web.accounts import create_consultant
from assessment.web.models import Proposal, db
from tests.web import build_app, dispose, text
from tests.web.test_round_lifecycle import PASSWORD
from tests.web.test_round_trend import rounds as rounds  # the fixture, on this module's app

pytestmark = pytest.mark.pdf  # renders proposals with WeasyPrint: the slow tier


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("pdf-trend"), web_cache_dir, WTF_CSRF_ENABLED=False, READINESS_PDF_WAIT=120)
    with app.app_context():
        create_consultant("yamada@example.com", PASSWORD, "山田")
    yield app
    dispose(app)


def proposal_words(app: Flask, consultant, engagement: int, lang: str) -> tuple[str, Proposal]:  # type: ignore[no-untyped-def]
    reply = consultant.post(f"/engagements/{engagement}/proposal", data={"action": lang})
    assert reply.status_code == 302, text(reply)[:400]
    proposal_id = int(re.search(r"#proposal-(\d+)", reply.location).group(1))  # type: ignore[union-attr]
    pdf = consultant.get(f"/engagements/{engagement}/proposals/{proposal_id}.pdf")
    assert pdf.status_code == 200
    with app.app_context():
        archived = db.session.get(Proposal, proposal_id)
    words = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.data)).pages))
    return words, archived  # type: ignore[return-value]


def test_the_third_rounds_pdf_has_gaps_departments_and_the_trend(app: Flask, rounds) -> None:  # type: ignore[no-untyped-def]
    consultant, (_first, second, third) = rounds
    words, archived = proposal_words(app, consultant, third, "en")
    assert [r["overall"] for r in archived.trend] == [0.0, 53.2, 100.0]  # archived with the proposal
    assert "Perceptiongaps(itemsthedepartmentsseedifferently)100−10" in words
    assert "Readinessbydepartment,beforeandnow" in words and "Fieldsales53100+47" in words
    assert "Readinessscoresacrossthe3rounds(outof100)" in words
    # the x axis names each round by its month; the key below gives the full title
    assert "2026/06第1回(2026-06-01)2026/08第2回(2026-08-01)2026/10第3回(2026-10-01)" in words
    japanese, _archived = proposal_words(app, consultant, third, "ja")
    assert "認識のずれ" in japanese and "3回のラウンドにわたる準備度スコアの推移" in japanese
    two_rounds, archived = proposal_words(app, consultant, second, "en")
    assert archived.trend is None and "Readinessscoresacross" not in two_rounds
    assert "Fieldsales053+53" in two_rounds
