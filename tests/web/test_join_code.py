"""Typing the workshop's join code: on the landing page and at /j and /join, tolerant of how people type it
(spaces, hyphens, full width, capitals); a wrong code is named on its field with 422; lookups are rate-limited."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from assessment.web.accounts import create_consultant
from assessment.web.models import Engagement, db
from tests.web import build_app, dispose, field_errors, parse, text, translate

PASSWORD = "join-code-password-123"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("join-code"), web_cache_dir, WTF_CSRF_ENABLED=False)
    with app.app_context():
        create_consultant("code@example.com", PASSWORD, "Code Consultant")
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def code(app: Flask) -> str:
    """The join code of a new round."""
    consultant = app.test_client()
    consultant.post("/login", data={"email": "code@example.com", "password": PASSWORD})
    client_id = consultant.post("/clients", data={"name": "参加コード株式会社"}).location.rsplit("/", 1)[1]
    reply = consultant.post(f"/clients/{client_id}", data={"title": "第1回", "held_on": "2026-10-01"})
    with app.app_context():
        engagement = db.session.get(Engagement, int(reply.location.rsplit("/", 1)[1]))
        assert engagement is not None
        return engagement.join_code


def spaced(code: str) -> str:
    return f" {code[:4]} {code[4:]} "


def hyphenated(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def full_width(code: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) for ch in code.upper())  # ＡＢ２Ｃ... as a Japanese keyboard types it


def japanese_hyphen(code: str) -> str:
    return f"{code[:4].upper()}ー{code[4:]}"  # the long-vowel mark a kana keyboard gives for "-"


@pytest.mark.parametrize("path", ["/j", "/join"])
def test_the_form_is_there_to_type_the_code(app: Flask, path: str) -> None:
    page = app.test_client().get(path)
    assert page.status_code == 200
    form = parse(page)
    assert 'name="code"' in text(page) and translate(app, "Workshop code") in text(page)
    assert form.html_lang == "ja"


def test_the_landing_page_has_a_code_field_that_leads_to_the_form(app: Flask) -> None:
    landing = text(app.test_client().get("/"))
    assert 'id="join-code" name="code"' in landing
    assert 'action="/j"' in landing and '<label for="join-code">' in landing


@pytest.mark.parametrize("typed", [str, str.upper, spaced, hyphenated, full_width, japanese_hyphen])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_code_as_typed_leads_to_its_join_page(
    app: Flask, code: str, typed: Callable[[str], str], method: str
) -> None:
    browser = app.test_client()
    if method == "get":
        reply = browser.get("/join", query_string={"code": typed(code)})
    else:
        reply = browser.post("/j", data={"code": typed(code)})
    assert reply.status_code == 302 and reply.location == f"/j/{code}", (reply.status_code, reply.location)
    assert browser.get(reply.location).status_code == 200


@pytest.mark.parametrize("wrong", ["zzzz9999", "ab", "あいうえおかきく", "x" * 70, "<script>"])
def test_a_wrong_code_is_named_on_its_field(app: Flask, wrong: str) -> None:
    reply = app.test_client().get("/j", query_string={"code": wrong})
    assert reply.status_code == 422
    errors = field_errors(reply)
    assert list(errors) == ["code"], errors
    message = translate(app, "No workshop has this code. Check it against the code on the workshop screen.")
    if len(wrong) <= 64:
        assert errors["code"] == message
    summary = text(reply)
    assert 'href="#code"' in summary and translate(app, "Workshop code") in summary
    assert "<script>" not in summary


def test_an_empty_code_asks_for_one(app: Flask) -> None:
    reply = app.test_client().get("/j?code=+")
    assert reply.status_code == 422
    assert field_errors(reply) == {"code": translate(app, "Enter the workshop code.")}


def test_looking_codes_up_is_rate_limited_like_joining(make_app: Callable[..., Flask]) -> None:
    app = make_app(RATELIMIT_ENABLED=True)
    browser = app.test_client()
    for attempt in range(60):
        assert browser.get(f"/j?code=zzzz{attempt:04d}").status_code == 422, attempt
    assert browser.get("/j?code=zzzz9999").status_code == 429
    assert browser.get("/j").status_code == 200  # the empty form is not a guess
