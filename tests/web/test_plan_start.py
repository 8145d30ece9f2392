"""The plan's start date on the web: set on the results page (self-service) or the proposal page (workshop),
stored in the assessment file as ``plan.start``, and the dates the roadmap shows follow it."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from datetime import date

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from assessment import load_content
from assessment.engine.roadmap.calendar import next_monday
from tests.web import fetch_csrf, stored, text, token_of, visible_text

DOCUMENT = {
    "version": 1,
    "client": {"name": "開始日株式会社", "employees": 45},
    "checklist": {"org.exec_sponsorship": "yes", "org.mql_definition": "no", "tools.sfa_plan": "partial"},
    "survey": {"departments": {"marketing": "shared", "field_sales": "dedicated"}},
}


def imported(client: FlaskClient, document: dict[str, object] = DOCUMENT) -> str:
    body = {"file": (io.BytesIO(json.dumps(document).encode()), "a.json"), "csrf_token": fetch_csrf(client, "/import")}
    reply = client.post("/import", data=body)
    assert reply.status_code == 302, text(reply)[:400]
    return str(reply.location).rsplit("/", 1)[0]


def roadmap_of(html: str) -> str:
    return visible_text(html.split('id="roadmap"', 1)[1])


def test_the_plan_starts_next_monday_until_a_date_is_set(client: FlaskClient) -> None:
    base = imported(client)
    page = text(client.get(f"{base}/results"))
    monday = next_monday(date.today())
    assert f'value="{monday.isoformat()}"' in page
    assert "日付を設定するまで、計画は次の月曜日に始まります。" in page
    assert f"経営層 · {monday.month}月{monday.day}日–" in roadmap_of(page)  # the first tasks start on it


def test_a_start_date_set_on_the_results_page_is_stored_and_dates_the_plan(app: Flask, client: FlaskClient) -> None:
    base = imported(client)
    token = fetch_csrf(client, f"{base}/results")
    reply = client.post(f"{base}/plan-start", data={"start": "2027-01-04", "csrf_token": token})
    assert reply.status_code == 302 and reply.location.endswith(f"{base}/results#roadmap")
    assert stored(app, token_of(base)).document["plan"] == {"start": "2027-01-04"}
    page = text(client.get(f"{base}/results"))
    assert "計画の開始日を2027年1月4日に設定しました。" in visible_text(page)
    assert "経営層 · 1月4日–" in roadmap_of(page)  # the year is said once it changes, not in the first year
    assert "次の月曜日に始まります" not in page
    exported = yaml.safe_load(text(client.get(f"{base}/assessment.yaml")))
    assert exported["plan"] == {"start": "2027-01-04"}  # the file carries it: import or CLI dates the plan alike


def test_a_date_the_form_cannot_read_is_refused_naming_the_field_and_nothing_changes(
    app: Flask, client: FlaskClient
) -> None:
    base = imported(client)
    before = stored(app, token_of(base))
    for bad in ("2027-02-30", "next monday", "", "9999-01-01", "<script>x</script>"):
        token = fetch_csrf(client, f"{base}/results")
        reply = client.post(f"{base}/plan-start", data={"start": bad, "csrf_token": token})
        assert reply.status_code == 422, bad
        error = re.search(r'<p class="field-error" id="start-error"[^>]*>(.*?)</p>', text(reply), re.S)
        assert error and visible_text(error.group(1)).startswith("計画の開始日:"), bad
        assert "<script>x" not in text(reply)
    after = stored(app, token_of(base))
    assert after.document == before.document and after.revision == before.revision


def test_without_the_csrf_token_nothing_is_saved(app: Flask, client: FlaskClient) -> None:
    base = imported(client)
    reply = client.post(f"{base}/plan-start", data={"start": "2027-01-04"})
    assert "plan" not in stored(app, token_of(base)).document
    assert reply.status_code in (200, 400, 422) and "設定しました" not in text(reply)


def test_the_plan_start_is_refused_for_a_workshop_survey_link_and_unknown_tokens(client: FlaskClient) -> None:
    reply = client.post("/a/" + "x" * 43 + "/plan-start", data={"start": "2027-01-04"})
    assert reply.status_code in (400, 404)


@pytest.mark.pdf
def test_the_self_service_pdf_is_dated_from_the_start_day(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=False, READINESS_PDF_WAIT=120)
    client = app.test_client()
    answered = {**DOCUMENT, "checklist": {item.id: "partial" for item in load_content().checklist.items}}
    reply = client.post("/import", data={"file": (io.BytesIO(json.dumps(answered).encode()), "a.json")})
    base = str(reply.location).rsplit("/", 1)[0]
    assert client.post(f"{base}/plan-start", data={"start": "2027-01-04"}).status_code == 302
    pdf = client.get(f"{base}/report.pdf?lang=ja")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    words = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "2027年1月4日" in words
