"""Where the bundled files are found (assessment.resources), and the one way to the translations: the
compiled ``.mo`` when it is current, else the ``.po`` compiled in memory."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from assessment import resources

ROOT = Path(__file__).resolve().parents[1]
START = "Start the diagnosis"


@pytest.fixture(autouse=True)
def fresh_catalogues() -> Iterator[None]:
    """Each test reads its catalogues afresh (translations() keeps them per process)."""
    resources.translations.cache_clear()
    yield
    resources.translations.cache_clear()


def po_only(tmp_path: Path) -> Path:
    """A translations folder holding the Japanese .po and no .mo."""
    folder = tmp_path / "translations"
    (folder / "ja" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(resources.translations_dir() / "ja" / "LC_MESSAGES" / "messages.po", folder / "ja" / "LC_MESSAGES")
    return folder


def write_catalogue(path: Path, words: dict[str, str]) -> None:
    catalog = Catalog(locale="ja")
    for english, japanese in words.items():
        catalog.add(english, japanese)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    path.write_bytes(buffer.getvalue())


def test_a_checkout_finds_its_top_level_folders() -> None:
    assert not resources.installed()
    assert resources.content_dir() == ROOT / "questionnaires"
    assert resources.sample_path() == ROOT / "questionnaires" / "samples" / "sample.yaml"
    assert (resources.web_templates_dir() / "diagnosis/landing.html").is_file()
    assert (resources.report_templates_dir() / "report.html.j2").is_file()
    assert (resources.static_dir() / "app.css").is_file()
    assert (resources.migrations_dir() / "env.py").is_file()
    assert (resources.translations_dir() / "ja" / "LC_MESSAGES" / "messages.po").is_file()
    assert resources.instance_dir() == ROOT / "instance"


def test_without_a_mo_the_po_is_compiled_in_memory(tmp_path: Path) -> None:
    folder = po_only(tmp_path)
    japanese = resources.translations("ja", folder)
    assert japanese.gettext(START) == "診断をはじめる"
    assert japanese.gettext("Executive summary") == "エグゼクティブサマリー"
    closed = japanese.ngettext("%(num)s link closed.", "%(num)s links closed.", 2)
    assert closed == "%(num)s件のリンクを無効にしました。"
    assert sorted(p.name for p in folder.rglob("*")) == ["LC_MESSAGES", "ja", "messages.po"]  # nothing written


def test_a_mo_is_read_when_current_and_ignored_when_older_than_the_po(tmp_path: Path) -> None:
    folder = po_only(tmp_path)
    po = folder / "ja" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    write_catalogue(mo, {START: "（.mo の訳）"})
    os.utime(mo, (po.stat().st_mtime + 10, po.stat().st_mtime + 10))
    assert resources.translations("ja", folder).gettext(START) == "（.mo の訳）"

    resources.translations.cache_clear()
    os.utime(mo, (po.stat().st_mtime - 10, po.stat().st_mtime - 10))
    assert resources.translations("ja", folder).gettext(START) == "診断をはじめる"


def test_english_and_a_language_without_a_catalogue_keep_the_english_words(tmp_path: Path) -> None:
    folder = po_only(tmp_path)
    assert resources.translations("en", folder).gettext(START) == START
    assert resources.translations("fr", folder).gettext(START) == START


def test_the_report_reads_the_same_catalogue_as_the_web_app() -> None:
    from assessment.report.i18n import TRANSLATIONS_DIR, translations

    assert translations is resources.translations
    assert resources.translations_dir() == TRANSLATIONS_DIR
