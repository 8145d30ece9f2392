"""Messages about a client's input, in Japanese and English.

A problem is kept as a code and its parameters, and turned into words only when shown, so the CLI,
the web pages and the JSON output all say the same thing in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assessment.vocabulary import Lang, Text

CATALOGUE: dict[str, tuple[str, str]] = {
    # (ja, en)
    "empty": ("ファイルが空です", "the file is empty"),
    "binary": ("テキストではないデータ（バイナリ）が含まれています", "the file holds binary data, not text"),
    "not_utf8": ("UTF-8 として読めません（{detail}）", "the file is not UTF-8 text ({detail})"),
    "too_large": ("ファイルが大きすぎます（{detail}）", "the file is too large ({detail})"),
    "too_deep": ("入れ子が深すぎます（{detail}）", "the document is nested too deeply ({detail})"),
    "too_many_nodes": ("値の数が多すぎます（{detail}）", "the document holds too many values ({detail})"),
    "recursive_alias": (
        "エイリアス {detail} が自分自身を含んでおり、終わりのない構造になります。値を直接書いてください",
        "the alias {detail} refers to a collection it sits inside, which never ends; write the values out instead",
    ),
    "not_yaml": ("YAML/JSON として読めません（{detail}）", "this is not valid YAML or JSON ({detail})"),
    "not_mapping": ("「キー: 値」の形式で書いてください", "must be a mapping of keys to values"),
    "unknown_key": ("「{key}」は使えない項目名です{suggestion}", "'{key}' is not a known field{suggestion}"),
    "unknown_item": (
        "「{key}」はチェックリストにない設問IDです{suggestion}",
        "'{key}' is not a checklist item{suggestion}",
    ),
    "bad_choice": ("'{value}' は {choices} のいずれでもありません", "'{value}' is not one of {choices}"),
    "not_number": ("'{value}' は数値ではありません", "'{value}' is not a number"),
    "not_integer": ("{value} は整数ではありません", "{value} is not a whole number"),
    "below_min": ("{value} は下限 {min} を下回っています", "{value} is below {min}"),
    "above_max": ("{value} は上限 {max} を超えています", "{value} is above {max}"),
    "not_text": ("文字列で書いてください", "must be text"),
    "control_character": (
        "目に見えない制御文字が含まれています。取り除いてから保存してください",
        "contains an invisible control character; remove it and save again",
    ),
    "bad_date": (
        "'{value}' は日付として読めません（2027-01-04 のように YYYY-MM-DD で、2000〜2100 年）",
        "'{value}' is not a date written YYYY-MM-DD (for example 2027-01-04, years 2000 to 2100)",
    ),
    "too_long": ("{max} 文字を超えています", "is longer than {max} characters"),
    "not_bool": ("'{value}' は true / false のどちらでもありません", "'{value}' is not true or false"),
    "not_list": ("リスト（- で始まる項目の並び）で書いてください", "must be a list"),
    "too_many": ("項目が多すぎます（最大 {max} 件）", "too many entries (at most {max})"),
    "required": ("必須の項目です", "is required"),
    "bad_version": (
        "version {value} には対応していません（1 を指定）",
        "version {value} is not supported; use 1",
    ),
    # warnings
    "to_confirm": (
        "「わからない」または未回答の設問が{count}問あります（要確認）",
        "Answered 'don't know' or left blank, to confirm: {count} of the statements",
    ),
    "no_employees": (
        "従業員数がないため、規模に合うフェーズを判定できません",
        "Without the number of employees the size-fit phase cannot be judged",
    ),
    "no_wins": (
        "受注数が 0 のため、必要リード数を計算できません",
        "With zero wins the leads needed cannot be worked out",
    ),
}

SUGGESTION = ("（もしかして「{0}」？）", " (did you mean '{0}'?)")


@dataclass(frozen=True)
class Notice:
    """A problem or warning about the input, at ``path`` (e.g. ``survey.funnel.connect_rate``)."""

    path: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: Lang = "ja") -> str:
        """Return the message alone, in ``lang``."""
        ja, en = CATALOGUE.get(self.code, (self.code, self.code))
        template = en if lang == "en" else ja
        params = {key: value.get(lang) if isinstance(value, Text) else value for key, value in self.params.items()}
        suggestion = params.get("suggestion")
        params["suggestion"] = (
            (SUGGESTION[1] if lang == "en" else SUGGESTION[0]).format(suggestion) if suggestion else ""
        )
        try:
            return template.format(**params)
        except (KeyError, IndexError):
            return template

    def render(self, lang: Lang = "ja") -> str:
        """Return ``path: message`` in ``lang``."""
        return f"{self.path}: {self.text(lang)}" if self.path else self.text(lang)

    def as_dict(self, lang: Lang = "ja") -> dict[str, Any]:
        """Return the notice for JSON output."""
        return {"path": self.path, "code": self.code, "message": self.text(lang)}
