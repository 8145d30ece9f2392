"""The self-service proposal PDF of a re-assessment compares with the baseline, as the workshop proposal does:
scores per axis, the statements that moved and the funnel KPIs before and after (read from the PDF's text)."""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from pypdf import PdfReader

from tests.web import SAMPLE_PATH, build_app, dispose

pytestmark = pytest.mark.pdf  # renders proposals with WeasyPrint: the slow tier


@pytest.fixture(scope="module")
def pdf_app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("pdf-again"), web_cache_dir, WTF_CSRF_ENABLED=False, READINESS_PDF_WAIT=120)
    yield app
    dispose(app)


def flat(data: bytes) -> str:
    """The PDF's text without white space (a table cell's words wrap anywhere)."""
    return "".join("".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages)


def imported(app: Flask, document: dict[str, Any]) -> str:
    reply = app.test_client().post(
        "/import", data={"file": (io.BytesIO(yaml.safe_dump(document, allow_unicode=True).encode()), "a.yaml")}
    )
    assert reply.status_code == 302
    return reply.location.rsplit("/", 1)[0]


@pytest.fixture(scope="module")
def again(pdf_app: Flask) -> str:
    """The sample re-assessed against itself as of 4 November 2025: one statement and two figures moved."""
    earlier = yaml.safe_load(SAMPLE_PATH.read_text(encoding="utf-8"))
    now = copy.deepcopy(earlier)
    now["checklist"]["org.baton_meeting"] = "yes"  # no -> yes
    now["survey"]["funnel"].update(leads=960, lead_response_hours=4)  # 800 -> 960; 30 h -> 4 h
    return imported(pdf_app, {**now, "baseline": {**earlier, "date": "2025-11-04"}})


def test_the_japanese_pdf_compares_with_the_baseline(pdf_app: Flask, again: str) -> None:
    response = pdf_app.test_client().get(f"{again}/report.pdf?lang=ja")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = flat(response.data)
    assert "前回（2025年11月4日）からの変化" in text
    # numbered as in the results
    assert "▲改善10.部門間の定例会（バトンミーティング）" in text and "いいえ→はい" in text
    assert "ファネルKPIの前回と現状" in text
    assert "月間リード数（件）800件960件+160件▲改善" in text
    assert "MQLへの初回対応時間30時間4時間−26時間▲改善" in text  # shorter is better
    assert "受注率（商談→受注）17.1%17.1%±0=変化なし" in text
    assert "前回ワークショップからの変化" not in text


def test_the_english_pdf_compares_with_the_baseline(pdf_app: Flask, again: str) -> None:
    text = flat(pdf_app.test_client().get(f"{again}/report.pdf?lang=en").data)
    assert "Sincetheearlierdiagnosis(4November2025)" in text
    assert "Newleadspermonth800960+160▲Improved" in text
    assert "FirstresponsetoanMQL30h4h−26h▲Improved" in text


def test_a_link_without_a_baseline_has_no_comparison(pdf_app: Flask) -> None:
    plain = imported(pdf_app, yaml.safe_load(SAMPLE_PATH.read_text(encoding="utf-8")))
    text = flat(pdf_app.test_client().get(f"{plain}/report.pdf?lang=ja").data)
    assert "からの変化" not in text and "ファネルKPIの前回と現状" not in text


def test_a_baseline_that_no_longer_reads_does_not_stop_the_pdf(pdf_app: Flask) -> None:
    from datetime import date

    from assessment.web.models import SelfAssessment, db
    from tests.web import token_of

    base = imported(pdf_app, yaml.safe_load(SAMPLE_PATH.read_text(encoding="utf-8")))
    with pdf_app.app_context():
        row = db.session.execute(db.select(SelfAssessment).filter_by(token=token_of(base))).scalar_one()
        row.baseline, row.baseline_on = {"version": 1, "checklist": {"org.retired_item": "yes"}}, date(2025, 11, 4)
        db.session.commit()
    response = pdf_app.test_client().get(f"{base}/report.pdf?lang=ja")
    assert response.status_code == 200 and "株式会社サンプル" in flat(response.data)
    assert "からの変化" not in flat(response.data)
