"""Words the page templates need from the content: choice labels, group titles, item numbers."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from assessment.content.model import ANSWERS, STAFFING, TOOL_STATUSES, Content
from assessment.web.forms import BOOLEAN_CHOICES, Question
from assessment.wording import format_number


def _number(value: Any) -> str:
    """1200000 -> 1,200,000 for display; anything that is not a number is shown as it is."""
    try:
        return format_number(float(str(value).replace(",", "")))
    except ValueError:
        return str(value)


def template_words() -> dict[str, Any]:
    """The context processor: ``lang`` and the label functions every page uses."""
    content: Content = current_app.extensions["readiness.content"]
    lang = str(get_locale() or "ja")
    labels = {
        ANSWERS: content.checklist.answer_labels,
        STAFFING: content.survey.staffing_labels,
        TOOL_STATUSES: content.survey.tool_status_labels,
    }

    def choice_label(question: Question, choice: str) -> str:
        if question.choices == BOOLEAN_CHOICES:
            return _("Yes") if choice == "true" else _("No")
        text = labels.get(question.choices, {}).get(choice)
        return text.get(lang) if text else choice  # type: ignore[arg-type]

    return {
        "lang": lang,
        "choice_label": choice_label,
        "group_titles": {"departments": _("Departments"), "tools": _("Tools")},
        "item_numbers": {item.id: index for index, item in enumerate(content.checklist.items, start=1)},
        "number": _number,
    }
