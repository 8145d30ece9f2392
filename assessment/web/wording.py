"""Words the page templates need from the content: choice labels, group titles, item numbers."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _

from assessment.content.model import Content
from assessment.engine.wording import format_number
from assessment.vocabulary import ANSWERS, STAFFING, TOOL_STATUSES, Lang
from assessment.web import current
from assessment.web.forms import BOOLEAN_CHOICES, Page, QuestionView, page_view


def _number(value: Any) -> str:
    """1200000 -> 1,200,000 for display; anything that is not a number is shown as it is."""
    try:
        return format_number(float(str(value).replace(",", "")))
    except ValueError:
        return str(value)


def template_words() -> dict[str, Any]:
    """The context processor: ``lang`` and the label function the review page uses."""
    lang = current.lang()
    return {
        "lang": lang,
        "choice_label": lambda question, choice: (
            choice_labels(lang).get(",".join(question.choices), {}).get(choice, choice)
        ),
        "number": _number,
        "glossary": lambda: glossary(lang),
    }


def glossary(lang: Lang) -> list[dict[str, Any]]:
    """The glossary's terms in ``lang``: what to look for in the page text, and the meaning (cached per language).

    Each term is looked for as the pages write it in ``lang`` and under its other spellings; the longest
    spelling first, so "Net Revenue Retention" is found before a shorter term inside it.
    """
    cache: dict[str, list[dict[str, Any]]] = current_app.extensions.setdefault("readiness.glossary", {})
    if lang not in cache:
        content: Content = current_app.extensions["readiness.content"]
        cache[lang] = [
            {
                "id": term.id,
                "term": term.term.get(lang),
                "spellings": sorted({term.term.get(lang), *term.also}, key=len, reverse=True),
                "definition": term.definition.get(lang),
            }
            for term in content.glossary.terms
        ]
    return cache[lang]


def choice_labels(lang: Lang) -> dict[str, dict[str, str]]:
    """Labels of every choice set, keyed by the choices joined with commas (cached per language)."""
    cache: dict[str, dict[str, dict[str, str]]] = current_app.extensions.setdefault("readiness.choice_labels", {})
    if lang not in cache:
        content: Content = current_app.extensions["readiness.content"]
        sets = {
            ANSWERS: content.checklist.answer_labels,
            STAFFING: content.survey.staffing_labels,
            TOOL_STATUSES: content.survey.tool_status_labels,
        }
        labels = {",".join(choices): {c: t.get(lang) for c, t in texts.items()} for choices, texts in sets.items()}
        labels[",".join(BOOLEAN_CHOICES)] = {"true": _("Yes"), "false": _("No")}
        cache[lang] = labels
    return cache[lang]


def page_words(page: Page, lang: Lang) -> tuple[QuestionView, ...]:
    """The page's questions in ``lang``, built once per page and language."""
    cache: dict[tuple[str, str], tuple[QuestionView, ...]] = current_app.extensions.setdefault(
        "readiness.page_views", {}
    )
    key = (page.id, lang)
    if key not in cache:
        content: Content = current_app.extensions["readiness.content"]
        numbers = {item.id: index for index, item in enumerate(content.checklist.items, start=1)}
        headings = {"departments": _("Departments"), "tools": _("Tools")}
        cache[key] = page_view(page, choice_labels(lang), headings, numbers, lang)
    return cache[key]


def control_character_message() -> str:
    """The error for text holding an invisible control character (the forms refuse it; a workbook cannot hold it)."""
    return str(_("This text contains an invisible control character. Remove it and save again."))
