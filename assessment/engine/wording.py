"""Words for values: answers, staffing, tool status and numbers, in Japanese or English.

The words of the content (answer, staffing and tool labels) come from its ``Text``; the app's own (yes, no,
within the benchmark, units) from the gettext catalogue (:mod:`assessment.i18n`).
"""

from __future__ import annotations

import math
import re

from assessment.content.conditions import FactValue
from assessment.content.model import Content
from assessment.i18n import context_translator, translator
from assessment.vocabulary import Lang


def _value_words(lang: Lang) -> dict[str, str]:
    """The words for a fact's value that are not the content's: booleans, benchmark status, funnel quality."""
    _ = translator(lang)
    pgettext = context_translator(lang)
    return {
        "none": pgettext("fact value", "not given"),
        "true": pgettext("fact value", "yes"),
        "false": pgettext("fact value", "no"),
        "gap.true": _("seen differently"),
        "gap.false": _("seen alike"),
        # where a metric falls against its benchmark (status.<metric> facts)
        "status.below": _("below the benchmark"),
        "status.within": _("within the benchmark"),
        "status.above": _("above the benchmark"),
        # whether the funnel figures can be true (quality.funnel)
        "quality.ok": _("consistent"),
        "quality.questionable": _("some figures to check"),
        "quality.invalid": _("stages contradict each other"),
    }


def _unit_patterns(lang: Lang) -> dict[str, str]:
    """A figure with its unit, by the unit names of the content (benchmarks.yaml, survey.yaml)."""
    pgettext = context_translator(lang)
    return {
        "percent": pgettext("unit", "{value}%"),
        "hours": pgettext("unit", "{value} h"),
        "days": pgettext("unit", "{value} days"),
        "multiple": pgettext("unit", "{value}×"),
        "calls": pgettext("unit", "{value} calls"),
        "count": pgettext("unit", "{value}"),  # in English a count is the bare number
        "people": pgettext("unit", "{value} people"),
    }


def unit_suffix(unit: str, lang: Lang) -> str:
    """What follows a figure of this unit in ``lang`` (30時間 / 30 h, 3.4倍 / 3.4×); empty when none."""
    pattern = _unit_patterns(lang).get(unit)
    return "" if pattern is None else pattern.format(value="")


def format_number(value: float, decimals: int = 1) -> str:
    """Format a number with thousands separators, dropping a zero fraction (1200000 -> 1,200,000)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


def format_rate(percent: float) -> str:
    """A rate in percent: one decimal, two below 1 % so that a small rate never reads 0 % (0.02%, 17.1%, 0%)."""
    return f"{format_number(percent, 2 if 0 < abs(percent) < 1 else 1)}%"


def format_yen(value: float, lang: Lang) -> str:
    """An amount of yen as a Japanese firm writes it (34万円, 1億5,000万円, 約1億2,346万円) or ¥1,200,000.

    Japanese: below 10万円 the amount is written in full (5,000円, 98,000円) unless it is whole 万 (6万円), so
    a small deal size keeps its precision; from 10万円 up it is rounded half-up to the 万 and written in 億 and
    万 units with thousands separators inside each unit, prefixed 約 whenever the rounding changed the value (337,500 ->
    約34万円). The written amount is never more than 5,000円 off. A negative amount leads with a minus
    (-約34万円). No 兆: a trillion yen reads 10,000億円, far beyond what a funnel here can hold.
    English: ¥ and thousands separators, rounded to the yen (¥1,200,000, -¥5,000).
    """
    amount = abs(value)
    yen = math.floor(amount + 0.5)
    sign = "-" if value < 0 and yen else ""
    if lang == "en":
        return f"{sign}¥{yen:,}"
    if yen < 100_000 and (yen % 10_000 or yen != amount or not yen):
        return f"{sign}{'約' if yen != amount else ''}{yen:,}円"
    man = (yen + 5_000) // 10_000
    oku, rest = divmod(man, 10_000)
    units = (f"{oku:,}億" if oku else "") + (f"{rest:,}万" if rest else "")
    return f"{sign}{'約' if man * 10_000 != amount else ''}{units}円"


def describe_value(fact: str, value: FactValue, content: Content, lang: Lang) -> str:
    """Return a fact's value in words: answer labels, staffing and tool labels, formatted numbers."""
    words = _value_words(lang)
    if value is None:
        return words["none"]
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return words[f"gap.{flag}" if fact.startswith("gap.") else flag]
    if isinstance(value, int | float):
        return format_number(value)
    namespace = fact.split(".", 1)[0]
    if namespace in ("status", "quality"):
        return words.get(f"{namespace}.{value}", value)
    labels = {
        "answer": content.checklist.answer_labels,
        "dept": content.survey.staffing_labels,
        "tool": content.survey.tool_status_labels,
    }.get(namespace, {})
    label = labels.get(value)
    return label.get(lang) if label else str(value)


def role_label(role: str, content: Content, lang: Lang) -> str:
    """A respondent's department in words: a department's title or another role's (survey.yaml)."""
    titles = {d.id: d.title for d in content.survey.departments} | {r.id: r.title for r in content.survey.other_roles}
    return titles[role].get(lang) if role in titles else role


# hiragana, katakana, CJK ideographs and full-width forms: a text holding any is written in Japanese
_JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff9f]")  # re reads the escapes


def written_in(text: str) -> Lang | None:
    """The language a free text (a consultant's note) is written in, as far as its script tells: Japanese when
    it holds kana or kanji; None otherwise (Latin letters alone may be English or a product name in a Japanese
    note)."""
    return "ja" if _JAPANESE_SCRIPT.search(text) else None
