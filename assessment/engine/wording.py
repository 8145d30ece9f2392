"""Words for values: answers, staffing, tool status and numbers, in Japanese or English."""

from __future__ import annotations

import math

from assessment.content.conditions import FactValue
from assessment.content.model import Content
from assessment.vocabulary import Lang

NOT_GIVEN = {"ja": "未回答", "en": "not given"}
# where a metric falls against its benchmark (status.<metric> facts)
BENCHMARK_STATUS = {
    "below": {"ja": "目安を下回る", "en": "below the benchmark"},
    "within": {"ja": "目安の範囲内", "en": "within the benchmark"},
    "above": {"ja": "目安を上回る", "en": "above the benchmark"},
}
BOOLEAN = {True: {"ja": "はい", "en": "yes"}, False: {"ja": "いいえ", "en": "no"}}
PERCEPTION_GAP = {
    True: {"ja": "部門で認識が分かれている", "en": "seen differently"},
    False: {"ja": "部門の認識は一致", "en": "seen alike"},
}


FUNNEL_QUALITY = {
    "ok": {"ja": "整合している", "en": "consistent"},
    "questionable": {"ja": "一部に要確認の数値", "en": "some figures to check"},
    "invalid": {"ja": "段階どうしが矛盾", "en": "stages contradict each other"},
}


# The unit written after a figure, by the unit names of the content (benchmarks.yaml, survey.yaml).
UNIT_SUFFIX: dict[str, tuple[str, str]] = {
    "percent": ("%", "%"),
    "hours": ("時間", " h"),
    "days": ("日", " days"),
    "multiple": ("倍", "×"),
    "calls": ("件", " calls"),
    "count": ("件", ""),
    "people": ("名", " people"),
}


def unit_suffix(unit: str, lang: Lang) -> str:
    """What follows a figure of this unit in ``lang`` (30時間 / 30 h, 3.4倍 / 3.4×); empty when none."""
    pair = UNIT_SUFFIX.get(unit)
    return "" if pair is None else pair[1 if lang == "en" else 0]


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
    if value is None:
        return NOT_GIVEN[lang]
    if isinstance(value, bool):
        if fact.startswith("gap."):
            return PERCEPTION_GAP[value][lang]
        return BOOLEAN[value][lang]
    if isinstance(value, int | float):
        return format_number(value)
    namespace = fact.split(".", 1)[0]
    if namespace == "status":
        return BENCHMARK_STATUS.get(value, {}).get(lang, value)
    if namespace == "quality":
        return FUNNEL_QUALITY.get(value, {}).get(lang, value)
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
