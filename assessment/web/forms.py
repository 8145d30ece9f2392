"""The questionnaire pages as Flask-WTF forms, generated from the content files.

Each page is a list of :class:`Question` built from ``questionnaires/*.yaml``: adding an item to the
checklist adds it to its axis page with no code change. Labels and titles are content ``Text``, or the
app's own words in every language (:func:`assessment.i18n.as_text`). The form classes carry CSRF and bind the
request; the answers are then checked by the same loader as the CLI (:func:`parse_assessment`), so a
page and an imported file get the same messages, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Field, RadioField, StringField, TextAreaField

from assessment.content.model import Content
from assessment.engine.assessment_file import MAX_CLIENT_NAME, unix_newlines
from assessment.i18n import as_text
from assessment.vocabulary import ANSWERS, STAFFING, TOOL_STATUSES, Lang, Text

BOOLEAN_CHOICES = ("true", "false")


@dataclass(frozen=True)
class Question:
    """One field of a page: where its value lives in the assessment document, and how it is asked."""

    name: str
    path: str
    kind: str  # choice | text | number | comment
    label: Text
    hint: Text | None = None
    choices: tuple[str, ...] = ()
    group: str = ""
    unit: str = ""
    suggestions: tuple[str, ...] = ()
    suffix: Text | None = None  # the unit shown after the input (円 beside an amount)
    maxlength: int = 0  # the most characters the loader takes (0: no limit told)


@dataclass(frozen=True)
class Page:
    """A step of the questionnaire."""

    id: str
    title: Text
    questions: tuple[Question, ...]


def field_name(path: str) -> str:
    """The HTML name of the field for a document path (dots are not welcome in ids)."""
    return path.replace(".", "__")


def build_pages(content: Content) -> tuple[Page, ...]:
    """All questionnaire pages in order: profile, funnel, then one page per checklist axis."""
    return (_profile_page(content), _funnel_page(content), *_checklist_pages(content))


def _profile_page(content: Content) -> Page:
    questions = [
        Question(field_name("client.name"), "client.name", "text", as_text("Company name"),
                 as_text("Up to {max} characters (it goes on the proposal's cover)", max=MAX_CLIENT_NAME),
                 maxlength=MAX_CLIENT_NAME),
        Question(field_name("client.employees"), "client.employees", "number", as_text("Employees"),
                 unit="people"),
        Question(field_name("client.industry"), "client.industry", "text", as_text("Industry")),
    ]  # fmt: skip
    for dept in content.survey.departments:
        path = f"survey.departments.{dept.id}"
        questions.append(Question(field_name(path), path, "choice", dept.title, dept.role, STAFFING, "departments"))
    for tool in content.survey.tools:
        path = f"survey.tools.{tool.id}"
        questions.append(Question(field_name(path), path, "choice", tool.title, None, TOOL_STATUSES, "tools"))
        product = f"survey.tools.{tool.id}_product"
        label = as_text("{tool} product (optional)", tool=tool.title)
        questions.append(
            Question(field_name(product), product, "text", label, group="tools", suggestions=tool.products)
        )
    spreadsheet = "survey.tools.spreadsheet"
    label = as_text("The funnel (lead to deal) is run in spreadsheets")
    questions.append(Question(field_name(spreadsheet), spreadsheet, "choice", label, None, BOOLEAN_CHOICES, "tools"))
    return Page("profile", as_text("Company and organisation"), tuple(questions))


def _funnel_page(content: Content) -> Page:
    questions = tuple(
        Question(field_name(f"survey.funnel.{figure.id}"), f"survey.funnel.{figure.id}", "number", figure.label,
                 unit=figure.unit, suffix=_suffix(figure.unit))
        for figure in content.survey.funnel
    )  # fmt: skip
    return Page("funnel", as_text("Monthly funnel figures"), questions)


def _suffix(unit: str) -> Text | None:
    """The unit written after an amount's input (円); other figures say theirs in the label."""
    return as_text("JPY") if unit == "yen" else None


def _checklist_pages(content: Content) -> list[Page]:
    pages = []
    for axis in content.checklist.axes:
        questions: list[Question] = []
        for item in content.checklist.items:
            if item.axis != axis.id:
                continue
            path = f"checklist.{item.id}"
            questions.append(Question(field_name(path), path, "choice", item.text, item.hint, ANSWERS, item.id))
            comment = f"comments.{item.id}"
            label = as_text("Comment (optional)")
            questions.append(Question(field_name(comment), comment, "comment", label, group=item.id))
        pages.append(Page(f"checklist-{axis.id}", axis.title, tuple(questions)))
    return pages


def _plain(choices: tuple[str, ...]) -> Any:
    """Choices as plain values (each its own label: the page shows its own words; WTForms' stubs want pairs)."""
    return list(choices)


@lru_cache(maxsize=32)
def form_class(page: Page) -> type[FlaskForm]:
    """A FlaskForm class with one field per question of ``page`` (built once per page)."""
    fields: dict[str, Field] = {}
    for question in page.questions:
        if question.kind == "choice":
            fields[question.name] = RadioField(choices=_plain(question.choices), validate_choice=False)
        elif question.kind == "comment":
            fields[question.name] = TextAreaField()
        else:
            fields[question.name] = StringField()
    return type(f"{page.id.title().replace('-', '')}Form", (FlaskForm,), fields)


def read_document_value(document: Mapping[str, Any], path: str) -> Any:
    """Return the value at ``path`` in an assessment document (checklist/comment keys contain dots)."""
    section, _, rest = path.partition(".")
    node = document.get(section)
    if section in ("checklist", "comments"):
        return node.get(rest) if isinstance(node, dict) else None
    for part in rest.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def write_document_value(document: dict[str, Any], path: str, value: Any) -> None:
    """Set (or, for None, remove) the value at ``path`` in an assessment document."""
    section, _, rest = path.partition(".")
    keys = [rest] if section in ("checklist", "comments") else rest.split(".")
    node = document.setdefault(section, {})
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    if value is None or value == "":
        node.pop(keys[-1], None)
    else:
        node[keys[-1]] = value


def form_value_to_document(question: Question, raw: Any) -> Any:
    """Turn a submitted field into the document's value (the loader then judges it)."""
    if raw is None:
        return None
    text = unix_newlines(str(raw)).strip()  # a textarea's CR LF is one line break
    if not text:
        return None
    if question.choices == BOOLEAN_CHOICES and text in BOOLEAN_CHOICES:
        return text == "true"
    return text  # anything else goes to the loader as typed, which names the problem


def document_value_to_form(question: Question, value: Any) -> Any:
    """Turn a document value into what the field shows."""
    if value is None:
        return None
    if question.choices == BOOLEAN_CHOICES:
        return "true" if value is True else ("false" if value is False else None)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class QuestionView:
    """A question with every word resolved for one language (built once per page and language)."""

    name: str
    kind: str
    label: str
    hint: str
    choices: tuple[tuple[str, str], ...]
    number: str
    heading: str
    suggestions: tuple[str, ...]
    radios: tuple[tuple[str, Markup, Markup], ...] = ()  # (choice, markup unchecked, markup checked)
    suffix: str = ""
    maxlength: int = 0


def page_view(page: Page, choice_labels: Mapping[str, Mapping[str, str]], headings: Mapping[str, str],
              numbers: Mapping[str, int], lang: Lang) -> tuple[QuestionView, ...]:  # fmt: skip
    """Resolve a page's words for ``lang``: labels, hints, choice labels, item numbers, group headings."""
    views = []
    seen_groups: set[str] = set()
    for question in page.questions:
        heading = ""
        if page.id == "profile" and question.group and question.group not in seen_groups:
            seen_groups.add(question.group)
            heading = headings.get(question.group, "")
        labels = choice_labels.get(",".join(question.choices), {})
        views.append(
            QuestionView(
                name=question.name,
                kind=question.kind,
                label=question.label.get(lang),
                hint=question.hint.get(lang) if question.hint else "",
                choices=tuple((choice, labels.get(choice, choice)) for choice in question.choices),
                number=str(numbers[question.group]) if question.path.startswith("checklist.") else "",
                heading=heading,
                suggestions=question.suggestions,
                radios=_radios(question.name, tuple((c, labels.get(c, c)) for c in question.choices)),
                suffix=question.suffix.get(lang) if question.suffix else "",
                maxlength=question.maxlength,
            )
        )
    return tuple(views)


def _radios(name: str, choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, Markup, Markup], ...]:
    """Each radio button's markup, escaped once per page and language instead of on every request."""
    radios = []
    for choice, label in choices:
        html = '<label class="choice"><input type="radio" name="{0}" value="{1}"{3}><span>{2}</span></label>'
        off = Markup(html).format(name, choice, label, "")
        on = Markup(html).format(name, choice, label, Markup(" checked"))
        radios.append((choice, off, on))
    return tuple(radios)


def single_line(value: Any) -> Any:
    """WTForms filter for names and titles: control characters and line breaks removed, spaces trimmed."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if ch.isprintable()).strip()
