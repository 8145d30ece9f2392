"""One translation rule: content words from the content's YAML ``Text``, every word of the app's own from gettext.

The code holds no Japanese and does not choose its words by comparing a language code; what it says goes
through :mod:`assessment.i18n` (or Flask-Babel on the web) to the catalogue, and every message the code
marks has its Japanese there, under its context. The few exceptions are listed below, each with its reason.
"""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from assessment.i18n import N_, as_text, context_translator, translator
from assessment.vocabulary import Text

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "assessment"

# Japanese that is not the app's words, by file: the literals allowed there, and why.
JAPANESE_ALLOWED = {
    # what a client may type in an assessment file (はい, 一部, わからない ...): read, never shown
    "assessment/engine/assessment_file.py": {"はい", "済", "一部", "いいえ", "わからない", "不明"},
    # the unit words and the 万/億 a client may type after a figure (240万, 5件, 48時間): read, never shown
    "assessment/engine/typed_number.py": {"円", "件", "回", "時間", "日間", "日", "名", "人", "点", "万", "億", "ー"},
    # how an amount of yen is written in Japanese (万 and 億 units, 約 when rounded): a number format, as a
    # date format would be, with its own rounding rule; English writes ¥1,200,000
    "assessment/engine/wording.py": {"円", "億", "万", "約"},
    # the geta mark printed for a character no font can draw: typesetting, not a word
    "assessment/report/fonts.py": {"〓"},
}

# Comparisons with a language code allowed, by file and function, and why.
LANGUAGE_TESTS_ALLOWED = {
    # a content Text picks its language: that is the rule for content words
    ("assessment/vocabulary.py", "Text.get"),
    # English is the source language: it has no catalogue to read
    ("assessment/resources.py", "translations"),
    # the yen format above (万/億 grouping in Japanese, ¥ and thousands separators in English)
    ("assessment/engine/wording.py", "format_yen"),
    # a visitor's language choice read into a Lang ("en", else Japanese): no words chosen
    ("assessment/web/locale.py", "as_lang"),
}

# Hiragana, katakana, CJK ideographs, Japanese punctuation (、。「」〜) and full-width forms (（）：); not the
# ideographic space U+3000, which the code strips as white space.
JAPANESE = re.compile(r"[\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uffef]")


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        yield name, ast.parse(path.read_text(encoding="utf-8"), filename=name)


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _functions(tree: ast.Module) -> Iterator[tuple[str, ast.AST]]:
    """Every node with the qualified name of the function it sits in ("" at module level)."""

    def walk(node: ast.AST, scope: str) -> Iterator[tuple[str, ast.AST]]:
        for child in ast.iter_child_nodes(node):
            inner = scope
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = f"{scope}.{child.name}" if scope else child.name
            yield inner, child
            yield from walk(child, inner)

    return walk(tree, "")


def test_the_code_holds_no_japanese() -> None:
    found = []
    for name, tree in _sources():
        docstrings, allowed = _docstrings(tree), JAPANESE_ALLOWED.get(name, set())
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in docstrings:
                continue
            if JAPANESE.search(node.value) and node.value not in allowed:
                found.append(f"{name}:{node.lineno}: {node.value[:50]!r}")
    assert found == [], "Japanese belongs in messages.po (the app's words) or the content YAML (content words)"


def test_the_code_does_not_choose_words_by_language_code() -> None:
    found = []
    for name, tree in _sources():
        for scope, node in _functions(tree):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            language = any(isinstance(o, ast.Constant) and o.value in ("ja", "en") for o in operands)
            if language and (name, scope) not in LANGUAGE_TESTS_ALLOWED:
                found.append(f"{name}:{node.lineno} in {scope or 'the module'}: {ast.unparse(node)}")
    assert found == [], "translate with assessment.i18n instead of comparing the language"


def _makefile_keywords() -> dict[str, Any]:
    """The extraction keywords `make translations` passes to pybabel, with babel's defaults."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    command = re.search(r"pybabel extract (.*?)-o ", makefile.replace("\\\n", " "), re.S)
    assert command, "the translations target runs pybabel extract"
    words = shlex.split(command.group(1))
    return {**DEFAULT_KEYWORDS, **parse_keywords([words[i + 1] for i, w in enumerate(words) if w == "-k"])}


def _extracted(keywords: dict[str, Any]) -> set[tuple[str | None, str]]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


@pytest.fixture(scope="module")
def extracted() -> set[tuple[str | None, str]]:
    return _extracted(_makefile_keywords())


def test_the_translations_target_extracts_the_markers_of_assessment_i18n() -> None:
    keywords = _makefile_keywords()
    assert {"_", "pgettext", "N_", "as_text", "lazy_gettext"} <= set(keywords)


def test_every_message_marked_in_the_code_has_its_japanese_under_its_context(
    extracted: set[tuple[str | None, str]],
) -> None:
    with (ROOT / "assessment/translations/ja/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="ja")
    translated = {
        (m.context, m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and (m.string if isinstance(m.string, str) else all(m.string or ()))
    }
    assert len(extracted) > 400
    assert sorted(extracted - translated, key=str) == []


def _marked_in_the_code() -> Iterator[tuple[str, int, str | None, str]]:
    """Each literal message the code hands to _, gettext, pgettext, N_ or as_text, as the AST sees it."""
    for name, tree in _sources():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            if node.func.id in ("_", "gettext", "N_", "as_text") and args and args[0] is not None:
                yield name, node.lineno, None, args[0]
            elif node.func.id == "pgettext" and len(args) >= 2:
                context, message = args[0], args[1]
                if context is not None and message is not None:
                    yield name, node.lineno, context, message


def test_pybabel_sees_every_message_the_code_marks(extracted: set[tuple[str | None, str]]) -> None:
    """A message pybabel cannot see (say, a _() inside an f-string) would never get its Japanese."""
    unseen = [
        f"{name}:{line}: {message!r}"
        for name, line, context, message in _marked_in_the_code()
        if (context, message) not in extracted
    ]
    assert unseen == []


def test_a_translator_gives_the_message_in_the_language_and_english_is_the_id() -> None:
    assert translator("en")("the file is empty") == "the file is empty"
    assert translator("ja")("the file is empty") == "ファイルが空です"
    assert context_translator("ja")("list separator", "; ") == "、"
    assert context_translator("en")("list separator", "; ") == "; "
    assert N_("Anything") == "Anything"


def test_as_text_fills_content_words_in_each_language() -> None:
    label = as_text("{tool} product (optional)", tool=Text("名刺管理", "Business cards"))
    assert label == Text("名刺管理の製品名（任意）", "Business cards product (optional)")
    assert as_text("Company name") == Text("会社名", "Company name")


# Templates: the language switcher marks the language in use, and a proposal's language is named in its own
# words (日本語 / English, as every language menu does): no word is chosen by language anywhere else.
TEMPLATE_LANGUAGE_TESTS_ALLOWED = {"templates/web/base.html": 2, "templates/web/workshop/proposal.html": 1}


def test_templates_choose_no_words_by_language() -> None:
    found = {}
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.is_file():
            count = len(re.findall(r"""lang\s*==\s*["'](ja|en)["']""", path.read_text(encoding="utf-8")))
            if count:
                found[path.relative_to(ROOT).as_posix()] = count
    assert found == TEMPLATE_LANGUAGE_TESTS_ALLOWED
