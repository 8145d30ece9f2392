"""CSRF: refused on /start and /import; on a questionnaire page an expired form loses nothing typed."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web import (
    SAMPLE_PATH,
    count_rows,
    fetch_csrf,
    parse,
    start,
    stored,
    text,
    token_of,
    translate,
    visible_text,
)

EXPIRED_NOTICE = (
    "Your session had expired, so nothing was saved yet. Your answers are still on this page: please send them again."
)
TYPED = {"client__name": "Typed Before Expiry", "client__employees": "77", "survey__departments__marketing": "shared"}


def assert_friendly(response_text: str) -> None:
    assert "Traceback" not in response_text
    assert 'href="/"' in response_text  # a way back to the start page


def test_start_without_a_token_is_refused(app: Flask, client: FlaskClient) -> None:
    response = client.post("/start")
    assert response.status_code == 400
    body = text(response)
    assert translate(app, "The form has expired. Please go back, reload the page and send it again.") in body
    assert_friendly(body)
    assert count_rows(app) == 0


def test_start_with_a_forged_token_is_refused(app: Flask, client: FlaskClient) -> None:
    assert client.post("/start", data={"csrf_token": "forged"}).status_code == 400
    assert count_rows(app) == 0


def test_start_with_the_pages_token_works(app: Flask, client: FlaskClient) -> None:
    response = client.post("/start", data={"csrf_token": fetch_csrf(client, "/")})
    assert response.status_code == 302
    assert count_rows(app) == 1


def test_import_without_a_token_is_refused(app: Flask, client: FlaskClient) -> None:
    upload = (io.BytesIO(SAMPLE_PATH.read_bytes()), "sample.yaml")
    response = client.post("/import", data={"file": upload}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert_friendly(text(response))
    assert count_rows(app) == 0


def assert_kept_not_saved(app: Flask, client: FlaskClient, base: str, response_text: str) -> None:
    page = parse(response_text)
    assert page.values["client__name"] == TYPED["client__name"]
    assert page.values["client__employees"] == "77"
    assert page.values["survey__departments__marketing"] == "shared"
    assert translate(app, EXPIRED_NOTICE, "ja") in visible_text(response_text)
    row = stored(app, token_of(base))
    assert row.revision == 0
    assert row.document == {"version": 1} and row.drafts == {}
    assert parse(client.get(f"{base}/profile")).values["client__name"] == ""


def test_page_without_a_token_is_shown_again_with_what_was_typed(app: Flask, client: FlaskClient) -> None:
    base = start(client)
    response = client.post(f"{base}/profile", data=TYPED)
    assert response.status_code == 200
    assert_kept_not_saved(app, client, base, text(response))


def test_page_with_an_expired_token_is_shown_again_with_what_was_typed(app: Flask, client: FlaskClient) -> None:
    base = start(client)
    token = fetch_csrf(client, f"{base}/profile")
    app.config["WTF_CSRF_TIME_LIMIT"] = -1  # every token is now too old
    response = client.post(f"{base}/profile", data={**TYPED, "csrf_token": token})
    assert response.status_code == 200
    assert_kept_not_saved(app, client, base, text(response))


def test_sending_the_kept_page_again_saves_it(app: Flask, client: FlaskClient) -> None:
    """The notice says 'please send them again': the page shown must carry a fresh token so that works.

    The re-rendered form is built with CSRF off, so it has no csrf_token input and every resend is
    refused again: the user can never save without reloading (and losing) what they typed.
    """
    base = start(client)
    token = fetch_csrf(client, f"{base}/profile")
    app.config["WTF_CSRF_TIME_LIMIT"] = -1
    kept = client.post(f"{base}/profile", data={**TYPED, "csrf_token": token})
    assert kept.status_code == 200
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600  # the user is back with a live session

    page = parse(kept)
    resend = {**page.values, **page.hidden, "action": "next"}  # exactly what the browser sends
    resent = client.post(f"{base}/profile", data=resend)
    assert resent.status_code == 302, f"the resend was refused again; hidden inputs on the kept page: {page.hidden}"
    assert stored(app, token_of(base)).document["client"]["name"] == TYPED["client__name"]


def test_page_with_another_sessions_token_is_not_saved(app: Flask, client: FlaskClient) -> None:
    base = start(client)
    other = app.test_client()
    foreign = fetch_csrf(other, "/")
    response = client.post(f"{base}/profile", data={**TYPED, "csrf_token": foreign})
    assert response.status_code == 200
    assert_kept_not_saved(app, client, base, text(response))


def test_expired_form_in_english(app: Flask, client: FlaskClient) -> None:
    base = start(client)
    response = client.post(f"{base}/profile?lang=en", data=TYPED)
    assert response.status_code == 200
    assert EXPIRED_NOTICE in visible_text(response)
    assert parse(response).html_lang == "en"


@pytest.mark.parametrize("where", ["unknown-token", "short-token", "unknown-page"])
def test_expired_form_on_a_wrong_link_is_a_404_not_a_server_error(app: Flask, client: FlaskClient, where: str) -> None:
    """A POST without a valid CSRF token to a page that does not exist must get the friendly 404.

    The CSRF handler re-runs the page view, whose abort(404) then escapes from inside an error handler.
    """
    app.config["PROPAGATE_EXCEPTIONS"] = False  # what a production server does with an escaping exception
    base = start(client)
    url = {
        "unknown-token": "/a/" + "x" * 43 + "/profile",
        "short-token": "/a/short/profile",
        "unknown-page": f"{base}/no-such-page",
    }[where]
    response = client.post(url, data=TYPED)
    assert response.status_code == 404
    assert_friendly(text(response))
