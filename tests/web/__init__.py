"""Flask test-client tests of the web app, and the small helpers they share.

The helpers live here (not in conftest.py) so test modules can import them: ``from tests.web import ...``.
"""

from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from assessment.web import create_app
from assessment.web.models import SelfAssessment, db
from tests import databases

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PATH = ROOT / "questionnaires" / "samples" / "sample.yaml"
PAGE_IDS = ("profile", "funnel", "checklist-organization", "checklist-tools", "checklist-data")

TOKEN_URL = re.compile(r"^(?:https?://[^/]+)?/a/([A-Za-z0-9_-]+)/")


def build_app(folder: Path, cache_dir: Path | str, **overrides: Any) -> Flask:
    """A test app on its own fresh database (a SQLite file under ``folder``, or a PostgreSQL database with
    READINESS_TEST_DATABASE: tests/databases.py); ``overrides`` go into the test config."""
    folder.mkdir(parents=True, exist_ok=True)
    cloned = "SQLALCHEMY_DATABASE_URI" not in overrides and databases.on_postgresql()  # the tables came with it
    if "SQLALCHEMY_DATABASE_URI" not in overrides:
        overrides["SQLALCHEMY_DATABASE_URI"] = databases.app_database(folder)
    config: dict[str, Any] = {
        "TESTING": True,
        "RATELIMIT_ENABLED": False,
        "ENVIRON": {
            "READINESS_ENV": "development",
            "READINESS_CACHE_DIR": str(cache_dir),
            "READINESS_INSTANCE_DIR": str(folder / "instance"),
        },
    }
    config.update(overrides)
    app = create_app(config)
    # The PDF cache lives under the instance folder (the repository's instance/ unless told otherwise).
    app.instance_path = str(folder / "instance")
    if not cloned:
        with app.app_context():
            db.create_all()
    return app


def dispose(app: Flask) -> None:
    """Close the app's database connections (and drop its PostgreSQL database, when the tests made one)."""
    with app.app_context():
        db.engine.dispose()
    databases.release(str(app.config["SQLALCHEMY_DATABASE_URI"]))


def text(response: TestResponse) -> str:
    """The response body as text."""
    return response.get_data(as_text=True)


@dataclass
class ParsedPage:
    """What the tests look at in an HTML page."""

    values: dict[str, str] = field(default_factory=dict)  # text inputs, checked radios, textareas
    radios: dict[str, list[str]] = field(default_factory=dict)  # every radio value offered, by name
    hidden: dict[str, str] = field(default_factory=dict)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)  # (attributes, inline body)
    handler_attributes: list[str] = field(default_factory=list)  # on*=, style=
    style_elements: int = 0
    html_lang: str | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._textarea: str | None = None
        self._script: dict[str, str] | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for name in a:
            if name.startswith("on") or name == "style":
                self.page.handler_attributes.append(f"<{tag} {name}=...>")
        if tag == "html":
            self.page.html_lang = a.get("lang")
        elif tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind == "radio":
                self.page.radios.setdefault(a["name"], []).append(a.get("value", ""))
                if "checked" in a:
                    self.page.values[a["name"]] = a.get("value", "")
            elif kind == "hidden":
                self.page.hidden[a["name"]] = a.get("value", "")
            elif kind in ("text", "number"):
                self.page.values[a["name"]] = a.get("value", "")
        elif tag == "textarea" and "name" in a:
            self._textarea, self._buffer = a["name"], []
        elif tag == "script":
            self._script, self._buffer = a, []
        elif tag == "style":
            self.page.style_elements += 1

    def handle_data(self, data: str) -> None:
        if self._textarea is not None or self._script is not None:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            # HTML drops one newline right after <textarea>; keep the value as the browser would show it
            self.page.values[self._textarea] = "".join(self._buffer).removeprefix("\n")
            self._textarea = None
        elif tag == "script" and self._script is not None:
            self.page.scripts.append((self._script, "".join(self._buffer)))
            self._script = None


def parse(body: str | TestResponse) -> ParsedPage:
    """Parse a page (or a response) for its form values, scripts and language."""
    parser = _Parser()
    parser.feed(body if isinstance(body, str) else text(body))
    parser.close()
    return parser.page


def csrf_token(body: str | TestResponse) -> str:
    """The hidden ``csrf_token`` of the page's form."""
    token = parse(body).hidden.get("csrf_token")
    assert token, "the page has no hidden csrf_token input"
    return token


def fetch_csrf(client: FlaskClient, url: str) -> str:
    """GET ``url`` and return its CSRF token."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return csrf_token(response)


def field_errors(body: str | TestResponse) -> dict[str, str]:
    """The per-field error messages of a questionnaire page, by field name."""
    source = body if isinstance(body, str) else text(body)
    found = re.findall(r'<p class="field-error" id="([^"]+)-error">(.*?)</p>', source, re.S)
    return {name: html_module.unescape(message) for name, message in found}


def error_summary(body: str | TestResponse) -> str:
    """The text of the error summary box ('' when there is none)."""
    source = body if isinstance(body, str) else text(body)
    match = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', source, re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", match.group(1))) if match else ""


def visible_text(body: str | TestResponse) -> str:
    """The page text without tags (entities decoded), whitespace collapsed."""
    source = body if isinstance(body, str) else text(body)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", source)).split())


def start(client: FlaskClient) -> str:
    """Open a new self-assessment (through the landing page's form); return its base URL ``/a/<token>``."""
    body = client.get("/")
    data = {"csrf_token": csrf_token(body)} if "csrf_token" in parse(body).hidden else {}
    response = client.post("/start", data=data)
    assert response.status_code == 302, response.status_code
    match = TOKEN_URL.match(response.location)
    assert match and response.location.endswith("/profile"), response.location
    return f"/a/{match.group(1)}"


def post_page(client: FlaskClient, url: str, data: dict[str, str], *, csrf: bool = True) -> TestResponse:
    """GET a questionnaire page for its CSRF token (when ``csrf``) and POST ``data`` to it."""
    payload = dict(data)
    if csrf:
        payload["csrf_token"] = fetch_csrf(client, url)
    return client.post(url, data=payload)


def translate(app: Flask, msgid: str, lang: str = "ja") -> str:
    """What the app says for ``msgid`` in ``lang`` (the app's own catalogue, so rewording keeps tests valid)."""
    with app.test_request_context("/"), force_locale(lang):
        return str(babel_gettext(msgid))


def count_rows(app: Flask) -> int:
    """How many self-assessments are stored."""
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(SelfAssessment)) or 0)


def stored(app: Flask, token: str) -> SelfAssessment:
    """The stored row behind ``token`` (detached copy of its fields)."""
    with app.app_context():
        row = db.session.execute(select(SelfAssessment).filter_by(token=token)).scalar_one()
        db.session.expunge(row)
        return row


def token_of(base_url: str) -> str:
    """The token in ``/a/<token>`` or a full page URL."""
    match = TOKEN_URL.match(base_url.rstrip("/") + "/")
    assert match, base_url
    return match.group(1)


def consultant_client(app: Flask, email: str, password: str = "consultant-password-1") -> FlaskClient:
    """A browser signed in as ``email`` (the account is made when it does not exist yet); CSRF-off apps only."""
    from assessment.web.accounts import create_consultant
    from assessment.web.models import Consultant

    with app.app_context():
        if db.session.execute(select(Consultant).filter_by(email=email)).scalar_one_or_none() is None:
            create_consultant(email, password, email.split("@")[0])
    client = app.test_client()
    reply = client.post("/login", data={"email": email, "password": password})
    assert reply.status_code == 302, reply.status_code
    return client


def new_workshop_round(client: FlaskClient, client_name: str, title: str = "第1回") -> int:
    """A new client with one round; the round's id."""
    client_id = int(client.post("/clients", data={"name": client_name}).location.rsplit("/", 1)[1])
    reply = client.post(f"/clients/{client_id}", data={"title": title, "held_on": "2026-11-20"})
    assert reply.status_code == 302, text(reply)[:300]
    return int(reply.location.rsplit("/", 1)[1])
