"""The proposal PDFs, rendered in the worker process (a few seconds each, so one render per PDF)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from pypdf import PdfReader

from tests.core.builders import ITEM_IDS
from tests.web import build_app, dispose, parse, text

pytestmark = pytest.mark.pdf  # renders proposals with WeasyPrint: the slow tier

CLIENT_NAME = "Acme Widgets KK"


@pytest.fixture(scope="module")
def pdf_app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    """One app for the module (its PDF cache lives under its own instance folder)."""
    app = build_app(tmp_path_factory.mktemp("pdf-app"), web_cache_dir, WTF_CSRF_ENABLED=False, READINESS_PDF_WAIT=120)
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def acme(pdf_app: Flask) -> str:
    """A stored assessment (imported): its base URL."""
    document = {
        "version": 1,
        "client": {"name": CLIENT_NAME, "employees": 150},
        "checklist": {
            "org.baton_meeting": "no",
            "org.handoff_rules": "no",
            "org.exec_sponsorship": "yes",
            "org.marketing_owner": "yes",
            "org.kpis_defined": "partial",
            "org.mql_definition": "yes",
            "org.sql_definition": "partial",
            "tools.ma_plan": "yes",
            "tools.sfa_plan": "yes",
            "data.lead_capture": "yes",
        },
        "survey": {"departments": {"marketing": "dedicated", "inside_sales": "shared", "field_sales": "dedicated"}},
    }
    response = pdf_app.test_client().post(
        "/import", data={"file": (io.BytesIO(json.dumps(document).encode()), "a.json")}
    )
    assert response.status_code == 302
    return response.location.rsplit("/", 1)[0]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_report_pdf_in_english(pdf_app: Flask, acme: str) -> None:
    response = pdf_app.test_client().get(f"{acme}/report.pdf?lang=en")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    day = datetime.now(ZoneInfo("Asia/Tokyo")).date()  # the reader's today (READINESS_TIMEZONE)
    assert response.headers["Content-Disposition"] == f'attachment; filename="Acme-Widgets-KK_readiness_{day}.pdf"'
    assert response.data.startswith(b"%PDF-")
    content = pdf_text(response.data)
    assert CLIENT_NAME in content
    assert "Departmental silos" in content
    assert response.headers["X-Frame-Options"] == "DENY"


def test_choosing_the_pdf_language_does_not_switch_the_site(pdf_app: Flask, acme: str) -> None:
    """The results page links 'Proposal PDF (English)' as report.pdf?lang=en: that is a choice of document,
    not of the site's language, so the pages must stay Japanese afterwards (the PDF is cached by now)."""
    client = pdf_app.test_client()
    assert parse(client.get(f"{acme}/results")).html_lang == "ja"
    assert client.get(f"{acme}/report.pdf?lang=en").status_code == 200
    assert parse(client.get(f"{acme}/results")).html_lang == "ja", "downloading the English PDF made the site English"
    assert client.get_cookie("lang") is None


def test_sample_report_pdf_in_japanese(pdf_app: Flask) -> None:
    client = pdf_app.test_client()
    landing = text(client.get("/"))
    assert 'href="/sample-report.pdf"' in landing
    response = client.get("/sample-report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="sample.pdf"'
    assert response.data.startswith(b"%PDF-")
    content = pdf_text(response.data)
    assert "株式会社サンプル" in content
    assert "部門のサイロ化" in content


def test_pdf_is_made_in_the_background_while_the_page_polls(
    tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path
) -> None:
    """Without waiting, the first answer is a 202 page that polls for the PDF (no self-refresh, which takes the page
    from under a screen reader) and leads back to the results; the PDF arrives on a later poll."""
    import time

    app = build_app(tmp_path_factory.mktemp("async-pdf"), web_cache_dir, WTF_CSRF_ENABLED=False)
    try:
        client = app.test_client()
        answers = {item: "partial" for item in ITEM_IDS[:10]}
        document = {"version": 1, "client": {"name": "Background KK"}, "checklist": answers}
        response = client.post("/import", data={"file": (io.BytesIO(json.dumps(document).encode()), "a.json")})
        base = response.location.rsplit("/", 1)[0]
        first = client.get(f"{base}/report.pdf?lang=en")
        assert first.status_code == 202
        page = text(first)
        assert 'http-equiv="refresh"' not in page
        assert f'data-pdf="{base}/report.pdf?lang=en"' in page
        assert f'href="{base}/results"' in page  # the way back, not only a reload
        assert f'href="{base}/results?lang=en"' in page  # the language menu switches the page, not the PDF
        assert first.headers["Retry-After"] == "2"
        deadline = time.monotonic() + 120
        while (polled := client.get(f"{base}/report.pdf?lang=en")).status_code == 202:
            assert time.monotonic() < deadline
            time.sleep(0.5)
        assert polled.status_code == 200 and polled.mimetype == "application/pdf"
        assert "Background KK" in pdf_text(polled.data)
    finally:
        dispose(app)


def test_a_pdf_another_worker_is_rendering_is_not_rendered_again(tmp_path: Path) -> None:
    """Polls land on any gunicorn worker: one that finds another's claim waits for its file instead of rendering."""
    import os
    import time

    from assessment.web import pdf

    document = {"version": 1, "client": {"name": "Claimed KK"}}
    path = pdf.cached_path(document, "ja", tmp_path, "content-fingerprint")
    claim = path.with_suffix(".rendering")
    claim.write_text("another worker")
    assert pdf.pdf_for(document, "ja", tmp_path, "content-fingerprint") is None
    assert not pdf.rendering_here(path)  # nothing was submitted here
    path.write_bytes(b"%PDF-from-the-other-worker")
    assert pdf.pdf_for(document, "ja", tmp_path, "content-fingerprint") == b"%PDF-from-the-other-worker"

    path.unlink()
    old = time.time() - pdf.CLAIM_STALE_AFTER - 1
    os.utime(claim, (old, old))  # that worker died mid-render: the claim is taken over
    assert pdf.claim(path) is True
    assert pdf.claim(path) is False  # and is fresh again for everyone else


def test_the_first_poll_claims_the_render_and_the_claim_is_gone_once_stored(
    tmp_path: Path, web_cache_dir: Path
) -> None:
    import time

    from assessment.web import pdf

    document = {"version": 1, "client": {"name": "Claim KK"}}
    path = pdf.cached_path(document, "en", tmp_path, "content-fingerprint")
    assert pdf.pdf_for(document, "en", tmp_path, "content-fingerprint") is None
    assert path.with_suffix(".rendering").exists()
    deadline = time.monotonic() + 120
    while (data := pdf.pdf_for(document, "en", tmp_path, "content-fingerprint")) is None:
        assert time.monotonic() < deadline
        time.sleep(0.3)
    assert data.startswith(b"%PDF") and "Claim KK" in pdf_text(data)
    assert not path.with_suffix(".rendering").exists()
