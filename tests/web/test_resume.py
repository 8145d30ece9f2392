"""The private resume link: anyone with it sees the answers; a wrong link gets a friendly 404."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web import (
    fetch_csrf,
    parse,
    post_page,
    start,
    text,
    translate,
    visible_text,
)

NOT_FOUND = "This page does not exist, or the link is wrong or incomplete."


def test_the_private_link_opens_the_page_it_was_copied_from(client: FlaskClient) -> None:
    base = start(client)
    for page in ("profile", "funnel", "review", "results"):
        found = re.search(r'<input id="resume-link"[^>]*value="([^"]+)"', text(client.get(f"{base}/{page}")))
        assert found and found.group(1) == f"http://localhost{base}/{page}"


def test_resume_link_in_a_new_browser_shows_the_saved_answers(app: Flask, client: FlaskClient) -> None:
    base = start(client)
    post_page(client, f"{base}/profile", {"client__name": "Resume KK", "client__employees": "12"})
    post_page(client, f"{base}/checklist-organization", {"checklist__org__kpis_defined": "partial"})
    found = re.search(r'<input id="resume-link"[^>]*value="([^"]+)"', text(client.get(f"{base}/funnel")))
    assert found, "no resume link on the page"
    resume_link = found.group(1)
    assert resume_link == f"http://localhost{base}/funnel"  # the page it was copied from, not always page 1
    resume_link = resume_link.replace("/funnel", "/profile")

    other = app.test_client()  # another device: no cookies at all
    profile = other.get(resume_link)
    assert profile.status_code == 200
    assert parse(profile).values["client__name"] == "Resume KK"
    assert parse(profile).values["client__employees"] == "12"
    organisation = other.get(f"{base}/checklist-organization")
    assert parse(organisation).values["checklist__org__kpis_defined"] == "partial"
    review = visible_text(other.get(f"{base}/review"))
    assert "Resume KK" in review and "一部" in review

    # and can go on answering from there (with its own session's CSRF token)
    response = other.post(
        f"{base}/funnel", data={"survey__funnel__leads": "300", "csrf_token": fetch_csrf(other, f"{base}/funnel")}
    )
    assert response.status_code == 302
    assert parse(client.get(f"{base}/funnel")).values["survey__funnel__leads"] == "300"


def assert_friendly_404(app: Flask, response_text: str, status: int) -> None:
    assert status == 404
    assert translate(app, NOT_FOUND, "ja") in response_text
    assert "Traceback" not in response_text and "werkzeug" not in response_text.lower()
    assert parse(response_text).html_lang == "ja"


WELL_FORMED_BUT_UNKNOWN = "A" * 43


@pytest.mark.parametrize(
    "path",
    ["profile", "funnel", "checklist-data", "review", "results", "assessment.yaml", "assessment.json", "report.pdf"],
)
def test_unknown_token_is_a_friendly_404_on_every_route(app: Flask, client: FlaskClient, path: str) -> None:
    response = client.get(f"/a/{WELL_FORMED_BUT_UNKNOWN}/{path}")
    assert_friendly_404(app, text(response), response.status_code)


@pytest.mark.parametrize(
    "token",
    [
        "short",
        "x" * 65,
        "bad%24token%24bad%24token%24bad%24token",
        "..%2F..%2Fetc%2Fpasswd-aaaaaaaaaaaaaaaa",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3Eaaaaaa",
        "' OR 1=1 --aaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ],
)
def test_malformed_token_is_a_friendly_404(app: Flask, client: FlaskClient, token: str) -> None:
    for path in ("profile", "review", "results"):
        response = client.get(f"/a/{token}/{path}")
        body = text(response)
        assert_friendly_404(app, body, response.status_code)
        assert "<script>alert(1)" not in body


def test_truncated_token_is_a_404(app: Flask, client: FlaskClient) -> None:
    base = start(client)
    response = client.get(f"{base[:-3]}/review")
    assert_friendly_404(app, text(response), response.status_code)


def test_unknown_page_id_is_a_404(app: Flask, client: FlaskClient) -> None:
    base = start(client)
    for page_id in ("nope", "checklist-", "checklist-sales", "PROFILE"):
        response = client.get(f"{base}/{page_id}")
        assert_friendly_404(app, text(response), response.status_code)
    posted = client.post(f"{base}/nope", data={"csrf_token": fetch_csrf(client, f"{base}/profile")})
    assert_friendly_404(app, text(posted), posted.status_code)


def test_unknown_export_format_is_a_404(app: Flask, client: FlaskClient) -> None:
    base = start(client)
    for fmt in ("xml", "csv", "YAML"):
        response = client.get(f"{base}/assessment.{fmt}")
        assert_friendly_404(app, text(response), response.status_code)


def test_404_in_english(client: FlaskClient) -> None:
    response = client.get("/no/such/page?lang=en")
    assert response.status_code == 404
    assert NOT_FOUND in text(response)
    assert parse(response).html_lang == "en"
    assert "Traceback" not in text(response)
