"""Words for values: answers, staffing, tool status and numbers, in Japanese or English."""

from __future__ import annotations

from assessment.content.conditions import FactValue
from assessment.content.model import Content, Lang

NOT_GIVEN = {"ja": "未回答", "en": "not given"}
BOOLEAN = {True: {"ja": "はい", "en": "yes"}, False: {"ja": "いいえ", "en": "no"}}


def format_number(value: float, decimals: int = 1) -> str:
    """Format a number with thousands separators, dropping a zero fraction (1200000 -> 1,200,000)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


def format_rate(percent: float) -> str:
    """A rate in percent: one decimal, two below 1 % so that a small rate never reads 0 % (0.02%, 17.1%, 0%)."""
    return f"{format_number(percent, 2 if 0 < abs(percent) < 1 else 1)}%"


def describe_value(fact: str, value: FactValue, content: Content, lang: Lang) -> str:
    """Return a fact's value in words: answer labels, staffing and tool labels, formatted numbers."""
    if value is None:
        return NOT_GIVEN[lang]
    if isinstance(value, bool):
        return BOOLEAN[value][lang]
    if isinstance(value, int | float):
        return format_number(value)
    namespace = fact.split(".", 1)[0]
    labels = {
        "answer": content.checklist.answer_labels,
        "dept": content.survey.staffing_labels,
        "tool": content.survey.tool_status_labels,
    }.get(namespace, {})
    label = labels.get(value)
    return label.get(lang) if label else str(value)


_EXTRA_ROLES = {"management": {"ja": "経営層", "en": "Management"}, "other": {"ja": "その他", "en": "Other"}}


def role_label(role: str, content: Content, lang: Lang) -> str:
    """A respondent's department in words (the four departments, management or other)."""
    department = next((d for d in content.survey.departments if d.id == role), None)
    if department is not None:
        return department.title.get(lang)
    return _EXTRA_ROLES.get(role, {}).get(lang, role)
