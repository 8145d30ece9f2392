"""Every page in Japanese (the default) and English: ?lang=en switches and is remembered in a cookie."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web import (
    PAGE_IDS,
    parse,
    post_page,
    start,
    text,
    token_of,
    translate,
    visible_text,
)


def lang_cookie(client: FlaskClient) -> str | None:
    cookie = client.get_cookie("lang")
    return cookie.value if cookie else None


def test_landing_is_japanese_by_default(app: Flask, client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = parse(response)
    assert page.html_lang == "ja"
    body = text(response)
    start_label = translate(app, "Start the diagnosis", "ja")
    assert start_label != "Start the diagnosis"  # the Japanese catalogue is used
    assert start_label in body
    assert 'action="/start"' in body and page.hidden.get("csrf_token")
    assert 'href="/sample-report.pdf"' in body and 'href="/import"' in body
    assert "Start the diagnosis" not in body
    assert lang_cookie(client) is None


def test_lang_en_switches_and_is_remembered(app: Flask, client: FlaskClient) -> None:
    response = client.get("/?lang=en")
    assert response.status_code == 200
    assert parse(response).html_lang == "en"
    assert "Start the diagnosis" in text(response)
    assert "lang=en" in response.headers["Set-Cookie"]
    assert lang_cookie(client) == "en"

    again = client.get("/import")  # no ?lang=: the cookie keeps English
    assert parse(again).html_lang == "en"
    assert "Continue from an assessment file" in text(again)

    back = client.get("/?lang=ja")
    assert parse(back).html_lang == "ja"
    assert translate(app, "Start the diagnosis", "ja") in text(back)
    assert lang_cookie(client) == "ja"


@pytest.mark.parametrize("wanted", ["fr", "", "<script>"])
def test_unknown_language_falls_back_to_japanese_without_a_cookie(client: FlaskClient, wanted: str) -> None:
    response = client.get("/", query_string={"lang": wanted})
    assert parse(response).html_lang == "ja"
    assert lang_cookie(client) is None
    assert "<script>" not in text(response).split("</head>")[1]


def test_import_page_in_both_languages(app: Flask, client: FlaskClient) -> None:
    ja = client.get("/import")
    assert ja.status_code == 200
    assert parse(ja).html_lang == "ja"
    assert translate(app, "Continue from an assessment file", "ja") in text(ja)
    assert 'enctype="multipart/form-data"' in text(ja) and 'name="file"' in text(ja)
    assert parse(ja).hidden.get("csrf_token")
    en = client.get("/import?lang=en")
    assert parse(en).html_lang == "en"
    assert "Continue from an assessment file" in text(en)


def test_start_redirects_to_the_first_page_with_a_fresh_token(client: FlaskClient) -> None:
    first, second = start(client), start(client)
    assert first != second
    assert len(token_of(first)) >= 32


def test_questionnaire_pages_in_japanese(client: FlaskClient) -> None:
    base = start(client)
    profile = client.get(f"{base}/profile")
    assert profile.status_code == 200
    body = visible_text(profile)
    assert parse(profile).html_lang == "ja"
    for label in ("会社と体制", "会社名", "従業員数", "業種", "専任チームあり", "兼任で対応", "運用中", "導入予定"):
        assert label in body, label
    page = parse(profile)
    assert set(page.radios["survey__departments__marketing"]) == {"dedicated", "shared", "none"}
    assert page.radios["survey__tools__spreadsheet"] == ["true", "false"]
    assert {"client__name", "client__employees", "client__industry", "survey__tools__ma_product"} <= set(page.values)
    assert page.hidden.get("csrf_token")
    # the private resume link and the progress through every page, review and results
    html = text(profile)
    assert f"http://localhost{base}/profile" in html
    for page_id in PAGE_IDS:
        assert f'href="{base}/{page_id}"' in html
    assert f'href="{base}/review"' in html and f'href="{base}/results"' in html

    funnel = visible_text(client.get(f"{base}/funnel"))
    assert "月次のファネル数値" in funnel

    organisation = client.get(f"{base}/checklist-organization")
    assert organisation.status_code == 200
    page = parse(organisation)
    assert page.radios["checklist__org__mql_definition"] == ["yes", "partial", "no", "unknown"]
    assert "comments__org__mql_definition" in page.values
    assert {"はい", "一部", "いいえ", "わからない"} <= set(visible_text(organisation).split())
    for page_id in ("checklist-tools", "checklist-data"):
        response = client.get(f"{base}/{page_id}")
        assert response.status_code == 200
        assert parse(response).radios, page_id


def test_questionnaire_pages_in_english(client: FlaskClient) -> None:
    base = start(client)
    profile = client.get(f"{base}/profile?lang=en")
    assert parse(profile).html_lang == "en"
    body = visible_text(profile)
    for label in ("Company and organisation", "Company name", "Employees", "Dedicated team", "In use"):
        assert label in body, label
    assert "会社と体制" not in body
    funnel = client.get(f"{base}/funnel")  # remembered
    assert parse(funnel).html_lang == "en"
    assert "Monthly funnel figures" in visible_text(funnel)
    organisation = visible_text(client.get(f"{base}/checklist-organization"))
    assert "Don't know" in organisation and "Partly" in organisation


def test_review_and_results_in_both_languages(app: Flask, client: FlaskClient) -> None:
    base = start(client)
    post_page(client, f"{base}/profile", {"client__name": "Lang Test", "client__employees": "40"})
    post_page(client, f"{base}/checklist-organization", {"checklist__org__exec_sponsorship": "yes"})
    review_ja = client.get(f"{base}/review")
    assert review_ja.status_code == 200
    assert parse(review_ja).html_lang == "ja"
    assert translate(app, "Review your answers", "ja") in text(review_ja)
    assert translate(app, "not answered", "ja") in visible_text(review_ja)
    results_ja = client.get(f"{base}/results")
    assert results_ja.status_code == 200
    assert translate(app, "Your results", "ja") in text(results_ja)
    assert translate(app, "Recommended organisation phase", "ja") in text(results_ja)

    review_en = client.get(f"{base}/review?lang=en")
    assert parse(review_en).html_lang == "en"
    assert "Review your answers" in text(review_en) and "not answered" in text(review_en)
    results_en = client.get(f"{base}/results")
    assert parse(results_en).html_lang == "en"
    assert "Your results" in text(results_en) and "Recommended organisation phase" in text(results_en)


def test_static_assets_are_served(client: FlaskClient) -> None:
    # static responses stream a file: close them, or the open handle leaks (a ResourceWarning)
    with client.get("/static/app.js") as script:
        assert script.status_code == 200
        assert "data-copy" in text(script)
    with client.get("/static/app.css") as css:
        assert css.status_code == 200 and css.mimetype == "text/css"


def test_a_page_served_from_the_page_cache_carries_each_visitors_own_csrf_token(app: Flask) -> None:
    owner = app.test_client()
    base = start(owner)
    url = f"{base}/checklist-organization"
    first = owner.get(url)
    other = app.test_client()  # the same private link opened in another browser: a cache hit
    second = other.get(url)
    token_a, token_b = parse(first).hidden["csrf_token"], parse(second).hidden["csrf_token"]
    assert token_a and token_b and token_a != token_b
    assert "\x00" not in text(second)
    # Each token works in its own session only: the other's is refused (the page comes back, nothing saved).
    refused = other.post(url, data={"csrf_token": token_a, "action": "next"})
    expired = translate(
        app,
        "Your session had expired, so nothing was saved yet. "
        "Your answers are still on this page: please send them again.",
    )
    assert refused.status_code == 200 and expired in text(refused)
    assert other.post(url, data={"csrf_token": token_b, "action": "next"}).status_code in (302, 422)


def test_a_saved_answer_shows_at_once_although_the_page_was_cached(app: Flask) -> None:
    client = app.test_client()
    base = start(client)
    url = f"{base}/checklist-organization"
    before = parse(client.get(url))
    assert before.values.get("checklist__org__mql_definition") is None
    post_page(client, url, {"checklist__org__mql_definition": "partial", "action": "next"})
    after = parse(client.get(url))
    assert after.values.get("checklist__org__mql_definition") == "partial"
    english = parse(client.get(url + "?lang=en"))
    assert english.html_lang == "en" and english.values.get("checklist__org__mql_definition") == "partial"
