"""The firm's snippet library (issue 16): every consultant of the firm reads it and adds to it; a snippet is edited
or deleted (after a confirmation) by its author or a firm admin, a colleague gets a 403; another firm's snippet is a
404 exactly like one that does not exist. Titles up to 200 characters, texts up to 5,000; markup is shown as text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.web.accounts import create_consultant
from assessment.web.models import Firm, Snippet, db
from tests.web import build_app, dispose, fetch_csrf, field_errors, parse, text, translate, visible_text

PASSWORD = "snippet-password-2026"
BODY = "MQLの定義を、マーケとインサイドセールスで一枚の紙に合意します。\n<script>alert(1)</script> & 次の一歩"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("snippets"), web_cache_dir)
    with app.app_context():
        firm = Firm(name="山田コンサルティング")
        db.session.add(firm)
        db.session.commit()
        create_consultant("admin@example.com", PASSWORD, "管理者", firm=firm, role="admin")
        create_consultant("author@example.com", PASSWORD, "著者", firm=firm)
        create_consultant("colleague@example.com", PASSWORD, "同僚", firm=firm)
        create_consultant("outsider@example.com", PASSWORD, "他社")  # a firm of their own
    yield app
    dispose(app)


def signed_in(app: Flask, email: str) -> FlaskClient:
    browser = app.test_client()
    reply = browser.post(
        "/login", data={"csrf_token": fetch_csrf(browser, "/login"), "email": email, "password": PASSWORD}
    )
    assert reply.status_code == 302
    return browser


def add(browser: FlaskClient, lang: str, title: str, body: str) -> int:
    reply = browser.post(
        "/snippets", data={"csrf_token": fetch_csrf(browser, "/snippets"), "lang": lang, "title": title, "body": body}
    )
    assert reply.status_code == 302, (reply.status_code, field_errors(reply))
    found = re.search(r"#snippet-(\d+)$", reply.location)
    assert found and reply.location.startswith(f"/snippets?language={lang}"), reply.location
    return int(found.group(1))


def stored(app: Flask, snippet_id: int) -> Snippet | None:
    with app.app_context():
        snippet = db.session.get(Snippet, snippet_id)
        if snippet is not None:
            db.session.expunge(snippet)
        return snippet


def test_a_consultant_adds_a_snippet_that_the_firm_reads_with_its_markup_as_text(app: Flask) -> None:
    author = signed_in(app, "author@example.com")
    snippet_id = add(author, "ja", "<b>MQL合意</b>の導入文", BODY.replace("\n", "\r\n"))
    assert stored(app, snippet_id).body == BODY  # type: ignore[union-attr]  # one line break, as typed
    page = author.get("/snippets")
    assert page.headers["Cache-Control"] == "no-store"
    body = text(page)
    assert "<script>alert(1)</script>" not in body and "<b>MQL" not in body
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 次の一歩" in body and "&lt;b&gt;MQL合意&lt;/b&gt;の導入文" in body
    )
    assert f'href="/snippets/{snippet_id}/edit"' in body  # the author may change it

    colleague = signed_in(app, "colleague@example.com")
    seen = text(colleague.get("/snippets"))
    assert "&lt;b&gt;MQL合意&lt;/b&gt;の導入文" in seen and f'href="/snippets/{snippet_id}/edit"' not in seen
    assert translate(app, "By %(name)s", "ja").replace("%(name)s", "著者") in visible_text(seen)
    outsider = signed_in(app, "outsider@example.com")
    assert "MQL合意" not in text(outsider.get("/snippets"))


def test_the_list_filters_by_language(app: Flask) -> None:
    author = signed_in(app, "author@example.com")
    add(author, "en", "Agree the MQL", "Agree one definition of a qualified lead.")
    add(author, "ja", "リードの定義", "リードの定義を合意する。")
    english = visible_text(author.get("/snippets?language=en&lang=en"))
    assert "Agree the MQL" in english and "リードの定義" not in english
    japanese = visible_text(author.get("/snippets?language=ja&lang=ja"))
    assert "リードの定義" in japanese and "Agree the MQL" not in japanese
    assert translate(app, "Snippet library", "ja") in japanese and "Snippet library" not in japanese
    every = visible_text(author.get("/snippets"))
    assert "Agree the MQL" in every and "リードの定義" in every
    assert '<option selected value="en">' in text(author.get("/snippets?language=en"))  # added in the shown language


def test_only_the_author_or_a_firm_admin_edits_or_deletes(app: Flask) -> None:
    author = signed_in(app, "author@example.com")
    snippet_id = add(author, "ja", "作者の定型文", "元の文章")
    colleague = signed_in(app, "colleague@example.com")
    token = fetch_csrf(colleague, "/snippets")
    assert colleague.get(f"/snippets/{snippet_id}/edit").status_code == 403
    assert (
        colleague.post(
            f"/snippets/{snippet_id}/edit", data={"csrf_token": token, "lang": "ja", "title": "乗っ取り", "body": "x"}
        ).status_code
        == 403
    )
    assert colleague.get(f"/snippets/{snippet_id}/delete").status_code == 403
    assert colleague.post(f"/snippets/{snippet_id}/delete", data={"csrf_token": token}).status_code == 403
    assert stored(app, snippet_id).title == "作者の定型文"  # type: ignore[union-attr]

    edit = author.get(f"/snippets/{snippet_id}/edit")
    assert edit.status_code == 200 and parse(edit).values["title"] == "作者の定型文"
    saved = author.post(
        f"/snippets/{snippet_id}/edit",
        data={
            "csrf_token": fetch_csrf(author, f"/snippets/{snippet_id}/edit"),
            "lang": "en",
            "title": "Author's passage",
            "body": "Rewritten",
        },
    )
    assert saved.status_code == 302 and saved.location == f"/snippets?language=en#snippet-{snippet_id}"
    assert (stored(app, snippet_id).lang, stored(app, snippet_id).body) == ("en", "Rewritten")  # type: ignore[union-attr]

    admin = signed_in(app, "admin@example.com")
    assert f'href="/snippets/{snippet_id}/edit"' in text(admin.get("/snippets"))
    confirm = admin.get(f"/snippets/{snippet_id}/delete?lang=ja")
    assert confirm.status_code == 200 and "Author's passage" in visible_text(confirm)
    assert translate(app, "This cannot be undone.", "ja") in visible_text(confirm)
    assert admin.post(f"/snippets/{snippet_id}/delete").status_code == 400  # no CSRF token: nothing deleted
    assert stored(app, snippet_id) is not None
    gone = admin.post(f"/snippets/{snippet_id}/delete", data={"csrf_token": fetch_csrf(admin, "/snippets")})
    assert gone.status_code == 302 and gone.location == "/snippets?language=en"
    assert stored(app, snippet_id) is None
    assert author.get(f"/snippets/{snippet_id}/edit").status_code == 404


def test_another_firms_snippet_is_a_404_like_one_that_does_not_exist(app: Flask) -> None:
    author = signed_in(app, "author@example.com")
    snippet_id = add(author, "ja", "社外秘の定型文", "社外秘の本文")
    outsider = signed_in(app, "outsider@example.com")
    token = fetch_csrf(outsider, "/snippets")
    for url in (f"/snippets/{snippet_id}/edit", f"/snippets/{snippet_id}/delete", "/snippets/987654/edit"):
        for reply in (
            outsider.get(url),
            outsider.post(url, data={"csrf_token": token, "lang": "ja", "title": "x", "body": "x"}),
        ):
            assert reply.status_code == 404, url
            assert "社外秘" not in text(reply)
    assert stored(app, snippet_id).title == "社外秘の定型文"  # type: ignore[union-attr]


def test_limits_and_bad_input_are_a_422_that_names_the_field_and_keeps_the_text(app: Flask) -> None:
    author = signed_in(app, "author@example.com")
    token = fetch_csrf(author, "/snippets")
    before = visible_text(author.get("/snippets?lang=ja"))
    cases = [
        ({"title": "題" * 201, "body": "本文"}, "title"),
        ({"title": "", "body": "本文"}, "title"),
        ({"title": "長すぎる本文", "body": "文" * 5001}, "body"),
        ({"title": "空の本文", "body": "  \r\n  "}, "body"),
        ({"title": "制御文字", "body": "見えない\x07文字"}, "body"),
        ({"title": "言語", "body": "本文", "lang": "fr"}, "lang"),
    ]
    for fields, wrong in cases:
        reply = author.post("/snippets?lang=en", data={"csrf_token": token, "lang": "ja", **fields})
        assert reply.status_code == 422, fields
        assert set(field_errors(reply)) == {wrong}, (fields, field_errors(reply))
        assert parse(reply).values.get("title") == fields["title"]
        if wrong != "body":
            assert fields["body"].strip() in text(reply)  # what was typed is still there
    assert visible_text(author.get("/snippets?lang=ja")) == before
    exactly = add(author, "ja", "題" * 200, "文" * 4999 + "\r\n")  # the limits themselves are fine
    assert len(stored(app, exactly).body) == 4999  # type: ignore[union-attr]
