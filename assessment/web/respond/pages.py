"""The answering pages of a respondent's link: one checklist axis per page, saved page by page."""

from __future__ import annotations

from typing import Any

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from assessment.engine.assessment_file import MAX_COMMENT, has_control_characters
from assessment.engine.wording import role_label
from assessment.web import current
from assessment.web.fields import render_questions
from assessment.web.forms import Page, document_value_to_form, form_class, form_value_to_document
from assessment.web.locale import language_switch
from assessment.web.models import Respondent
from assessment.web.respond.blueprint import audience, bp, closed_round, open_link, per_link
from assessment.web.responses import not_saved
from assessment.web.security import limiter
from assessment.web.store import Closed, NotSaved
from assessment.web.wording import control_character_message, page_words
from assessment.web.workshop import respondents as rs


@bp.get("/r/<token>")
@limiter.exempt
@open_link
def start(respondent: Respondent) -> Any:
    """A respondent's link: straight to the first page."""
    return redirect(url_for("respond.page", token=respondent.token, page_id=current.checklist_pages()[0].id))


@bp.get("/r/<token>/<page_id>")
@limiter.exempt
@open_link
def page(respondent: Respondent, page_id: str) -> Any:
    """One axis of the checklist, with the respondent's saved answers."""
    index, shown = _page(page_id)
    return _render(respondent, index, shown, _values(respondent, shown), {}), 200


@bp.post("/r/<token>/<page_id>")
@limiter.limit("60 per minute", key_func=per_link)
@open_link
def save(respondent: Respondent, page_id: str) -> Any:
    """Save the page (next or back); only this respondent's row is written."""
    index, shown = _page(page_id)
    form = form_class(shown)(meta={"csrf": False})
    answers: dict[str, str] = {}
    comments: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in shown.questions:
        item_id = question.path.split(".", 1)[1]
        value = form_value_to_document(question, form[question.name].data)
        if question.kind == "choice":
            answers[item_id] = value or ""
        else:
            text = str(value or "")
            if len(text) > MAX_COMMENT:
                errors[question.name] = _("The comment is too long (at most %(n)s characters).", n=MAX_COMMENT)
            elif has_control_characters(text):
                errors[question.name] = control_character_message()
            comments[item_id] = text.strip()
    values = {q.name: form[q.name].data for q in shown.questions}
    if errors or g.get("csrf_failed"):
        return _render(respondent, index, shown, values, errors), 422 if errors else 200
    pages = current.checklist_pages()
    last = index + 1 >= len(pages)
    try:
        rs.save_answers(respondent, answers, comments, done=last and request.form.get("action", "next") == "next")
    except NotSaved:
        return not_saved(_render(respondent, index, shown, values, {}, not_saved=True))
    except Closed:  # the round was closed after this page was shown: nothing was written
        return closed_round(respondent)
    switch = language_switch(request.form.get("action"))
    if switch:  # saved: the same page in the other language
        return redirect(url_for("respond.page", token=respondent.token, page_id=shown.id, lang=switch))
    if request.form.get("action") == "back" and index > 0:
        return redirect(url_for("respond.page", token=respondent.token, page_id=pages[index - 1].id))
    if last:
        return redirect(url_for("respond.done", token=respondent.token))
    return redirect(url_for("respond.page", token=respondent.token, page_id=pages[index + 1].id))


@bp.get("/r/<token>/done")
@limiter.exempt
@open_link
def done(respondent: Respondent) -> Any:
    """Thanks; the answers can still be changed while the link is open."""
    return render_template(
        "respond/done.html",
        respondent=respondent,
        first=current.checklist_pages()[0].id,
        total=len(current.content().checklist.items),
        **audience(respondent),
    )


def _page(page_id: str) -> tuple[int, Page]:
    for index, candidate in enumerate(current.checklist_pages()):
        if candidate.id == page_id:
            return index, candidate
    abort(404)


def _values(respondent: Respondent, shown: Page) -> dict[str, Any]:
    stored = {"checklist": respondent.answers or {}, "comments": respondent.comments or {}}
    values = {}
    for question in shown.questions:
        section, _dot, item_id = question.path.partition(".")
        values[question.name] = document_value_to_form(question, stored[section].get(item_id))
    return values


def _render(
    respondent: Respondent, index: int, shown: Page, values: dict[str, Any], errors: dict[str, str],
    not_saved: bool = False,
) -> str:  # fmt: skip
    lang = current.lang()
    questions = page_words(shown, lang)
    return render_template(
        "respond/page.html", respondent=respondent, page=shown, index=index, pages=current.checklist_pages(),
        fields=render_questions(questions, values, errors), errors=errors, questions=questions,
        csrf_token=generate_csrf(), csrf_failed=g.get("csrf_failed", False), not_saved=not_saved,
        department=role_label(respondent.department, current.content(), lang), **audience(respondent),
    )  # fmt: skip
