"""The web app speaks Japanese from the .po when no .mo was compiled (an install that never ran make setup):
Flask-Babel's catalogue comes from assessment.resources.translations, as the report's does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from assessment import resources
from assessment.web import catalogue
from tests.web import text

MARKER = "診断をはじめる（.po から）"


def test_pages_are_japanese_from_the_po_alone(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "translations" / "ja" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = (resources.translations_dir() / "ja" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    entry = 'msgid "Start the diagnosis"\nmsgstr "{}"'
    marked = po.replace(entry.format("診断をはじめる"), entry.format(MARKER))
    assert marked != po
    (folder / "messages.po").write_text(marked, encoding="utf-8")
    monkeypatch.setattr(catalogue, "translations", lambda lang: resources.translations(lang, tmp_path / "translations"))
    client = make_app().test_client()

    page = text(client.get("/"))
    assert '<html lang="ja"' in page
    assert MARKER in page  # the words come from this .po, compiled in memory, not from any .mo
    assert "THE MODEL 導入準備度診断" in page
    assert "Start the diagnosis" not in page

    english = text(client.get("/?lang=en"))
    assert '<html lang="en"' in english
    assert "Start the diagnosis" in english
    assert not list(tmp_path.rglob("*.mo"))
