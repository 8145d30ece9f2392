"""Every word the app says has its Japanese: the source is scanned as ``make translations`` scans it."""

from __future__ import annotations

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import Flask
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from assessment.web.app_form import AppForm
from tests.web import ROOT

KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "lazy_ngettext": (1, 2)}


def _source_messages() -> set[str]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_in_the_source_has_a_japanese_translation() -> None:
    with (ROOT / "assessment/translations/ja/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="ja")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    source = _source_messages()
    assert len(source) > 300  # the scan did find the app's words
    assert sorted(source - translated) == []


class _Probe(AppForm):
    name = StringField(validators=[DataRequired(), Length(max=5)])
    choice = SelectField(choices=["a", "b"])
    days = IntegerField(validators=[NumberRange(1, 90)])


EXPECTED = {
    "ja": {"name": "5 文字以内で入力してください。", "choice": "選択肢の中から選んでください。",
           "days": "1〜90 の範囲で入力してください。"},
    "en": {"name": "Field cannot be longer than 5 characters.", "choice": "Not a valid choice.",
           "days": "Number must be between 1 and 90."},
}  # fmt: skip


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_wtforms_messages_follow_the_visitor_language(app: Flask, lang: str) -> None:
    data = {"name": "長すぎる名前です", "choice": "z", "days": "0"}
    with app.test_request_context("/", method="POST", data=data, query_string={"lang": lang}):
        form = _Probe(meta={"csrf": False})
        assert not form.validate()
        assert {field: errors[0] for field, errors in form.errors.items()} == EXPECTED[lang]
    with app.test_request_context("/", method="POST", data={"name": ""}, query_string={"lang": lang}):
        form = _Probe(meta={"csrf": False})
        form.validate()
        assert form.errors["name"] == [{"ja": "入力してください。", "en": "This field is required."}[lang]]
