"""When the database cannot take a write, the app says so: 503 with Retry-After, what was typed still on the
page, nothing claimed as saved, and the stored answers untouched. Page views go on while the lock is held."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask import Flask

from tests.web import start, stored, text, token_of, visible_text


@contextmanager
def write_locked(app: Flask) -> Iterator[None]:
    """Another process holds SQLite's write lock (a long transaction, a backup, a migration)."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.sqlite_only  # SQLite's write lock, held by another connection
def test_a_save_the_database_refuses_answers_503_keeps_the_typing_and_saves_nothing(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(WTF_CSRF_ENABLED=False, READINESS_SQLITE_BUSY_MS=50)
    client = app.test_client()
    base = start(client)
    assert client.post(f"{base}/profile", data={"client__name": "元の名前", "action": "next"}).status_code == 302
    before = stored(app, token_of(base))
    with write_locked(app):
        reply = client.post(f"{base}/profile", data={"client__name": "新しい名前 <b>", "client__employees": "42"})
        assert reply.status_code == 503 and reply.headers["Retry-After"] == "5"
        body = text(reply)
        assert "保存されていません" in visible_text(body) and "保存しました" not in visible_text(body)
        assert 'value="新しい名前 &lt;b&gt;"' in body and 'value="42"' in body  # the typing is kept, escaped
        assert "Traceback" not in body
        page = client.get(f"{base}/funnel")  # reading goes on while the lock is held
        assert page.status_code == 200
    after = stored(app, token_of(base))
    assert after.document == before.document and after.revision == before.revision
    again = client.post(f"{base}/profile", data={"client__name": "新しい名前", "action": "next"})
    assert again.status_code == 302
    assert stored(app, token_of(base)).document["client"]["name"] == "新しい名前"


@pytest.mark.sqlite_only  # SQLite's write lock, held by another connection
def test_the_plan_start_and_other_writes_answer_503_not_500(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=False, READINESS_SQLITE_BUSY_MS=50)
    client = app.test_client()
    base = start(client)
    with write_locked(app):
        reply = client.post(f"{base}/plan-start", data={"start": "2027-01-04"})
        assert reply.status_code == 503 and "Retry-After" in reply.headers
        assert "保存されていません" in visible_text(text(reply))
        landing = client.post("/start")  # a new assessment: an INSERT through the ORM
        assert landing.status_code == 503 and "保存されていません" in visible_text(text(landing))
    assert "plan" not in stored(app, token_of(base)).document


def test_the_error_page_never_says_saved(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    templates = (app.jinja_loader.get_source(app.jinja_env, "error.html")[0],)  # type: ignore[union-attr]
    assert all(not re.search(r"are saved|保存されています", source) for source in templates)
