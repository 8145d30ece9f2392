"""The questionnaire pages: thin views that bind a page, validate it with the core, save it and render it."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf

from assessment import AssessmentError, parse_assessment
from assessment.engine.answering_time import SECONDS_PER_STATEMENT
from assessment.engine.data_quality import judge_funnel
from assessment.web import brand, current, store
from assessment.web.diagnosis.blueprint import bp
from assessment.web.fields import render_questions
from assessment.web.forms import (
    Page,
    document_value_to_form,
    form_class,
    form_value_to_document,
    read_document_value,
    write_document_value,
)
from assessment.web.locale import language_switch
from assessment.web.page_cache import CSRF_PLACEHOLDER, PageCache
from assessment.web.responses import not_saved
from assessment.web.security import limiter
from assessment.web.wording import page_words
from assessment.web.workshop import lifecycle

PAGES = PageCache()  # keyed on the viewer's header too (brand.header_identity)


@bp.get("/")
def landing() -> str:
    """What this is, how long it takes, what you get."""
    return render_template("diagnosis/landing.html", start_form=FlaskForm(), pages=current.pages())


@bp.post("/start")
@limiter.limit("30 per minute;300 per hour")  # per address: new anonymous rows are bounded
def start() -> Any:
    """Open a new self-assessment and go to its first page."""
    FlaskForm().validate_on_submit() or abort(400)
    row = store.create()
    return redirect(url_for("diagnosis.page", token=row.token, page_id=current.pages()[0].id))


@bp.get("/a/<token>/<page_id>")
def page(token: str, page_id: str) -> Any:
    """One questionnaire page, showing the saved answers and any pending draft with its error.

    The rendered page is kept per saved revision (see ``page_cache``): an unchanged page costs a
    one-column read and a fresh CSRF token, not a render.
    """
    revision, survey_only = store.revision_of(token)
    index, shown = _page(page_id, survey_only)
    deadline = ""
    if survey_only:  # a workshop round's survey link: refused once the round is closed or its deadline has passed
        row = store.load(token)
        engagement = lifecycle.round_of_survey(row.id)
        if row.closed or lifecycle.past_deadline(engagement):
            return lifecycle.survey_refused(engagement)
        deadline = lifecycle.deadline_text(engagement)
    viewer = brand.header_identity()  # a signed-in consultant's header: their firm's look, their admin link
    cacheable = "_flashes" not in session
    key = (token, revision, page_id, current.lang(), request.host_url, viewer, deadline)
    html = PAGES.get(key) if cacheable else None
    if html is None:
        row = store.load(token)
        values = _values(shown, row.document, row.drafts)
        errors = _draft_errors(shown, row.document, row.drafts)
        html = _render_page(row, index, shown, values, errors, CSRF_PLACEHOLDER)
        if cacheable and row.revision == revision:
            PAGES.put(key, html)
    return html.replace(CSRF_PLACEHOLDER, generate_csrf()), 200


@bp.post("/a/<token>/<page_id>")
def save_page(token: str, page_id: str) -> Any:
    """Save a page on next and on back; input the loader rejects is kept as a draft and shown with its error.

    A save overwrites one row (the body is capped by MAX_CONTENT_LENGTH), so it can neither grow the
    database nor reach anyone else's answers.
    """
    row = store.load(token)
    index, shown = _page(page_id, row.survey_only)
    if row.closed:  # a closed workshop round's survey link takes no change (the save checks it again)
        return _closed(row)
    if row.survey_only and lifecycle.past_deadline(engagement := lifecycle.round_of_survey(row.id)):
        return lifecycle.survey_refused(engagement)  # its deadline has passed: refused like a closed round
    pages = current.pages(row.survey_only)
    form = form_class(shown)(meta={"csrf": False})  # CSRFProtect has already checked the token
    values = {q.name: form[q.name].data for q in shown.questions}
    errors: dict[str, str] = {}
    if not g.get("csrf_failed"):
        try:  # only this page's paths are written, on the freshest revision: another page's save is kept
            row, errors = store.update(
                token, lambda read: _apply(shown, form, read.document, read.drafts), first=row,
                survey_page=not shown.id.startswith("checklist-"),
            )  # fmt: skip
        except store.NotSaved:
            return not_saved(_render_page(row, index, shown, values, errors, not_saved=True))
        except store.Closed:  # closed between showing the page and sending it: nothing was written
            return _closed(row)
        action = request.form.get("action", "next")
        switch = language_switch(action)
        if switch:  # saved (or kept as a draft with its error): the same page in the other language
            return redirect(url_for("diagnosis.page", token=token, page_id=shown.id, lang=switch))
        if action == "back" and index > 0:
            return redirect(url_for("diagnosis.page", token=token, page_id=pages[index - 1].id))
        if not errors and action == "next" and shown.id == "funnel":
            warnings = funnel_warnings(row.document)
            if warnings and request.form.get("warnings_seen") != warnings_digest(warnings):
                # Saved; figures that do not add up are shown once before moving on (a soft warning).
                return _render_page(row, index, shown, values, errors, warnings=warnings, saved=True)
        if not errors:
            if index + 1 >= len(pages):
                last = "diagnosis.survey_done" if row.survey_only else "diagnosis.review"
                return redirect(url_for(last, token=token))
            return redirect(url_for("diagnosis.page", token=token, page_id=pages[index + 1].id))
    return _render_page(row, index, shown, values, errors), (422 if errors else 200)


def _closed(row: store.Stored) -> tuple[str, int]:
    return lifecycle.closed_page(lifecycle.round_of_survey(row.id))


def _page(page_id: str, survey_only: bool = False) -> tuple[int, Page]:
    for index, candidate in enumerate(current.pages(survey_only)):
        if candidate.id == page_id:
            return index, candidate
    abort(404)


def _render_page(
    row: Any,
    index: int,
    shown: Page,
    values: dict[str, Any],
    errors: dict[str, str],
    csrf: str | None = None,
    warnings: list[str] | None = None,
    saved: bool = False,
    not_saved: bool = False,
) -> str:
    if warnings is None:
        warnings = funnel_warnings(row.document) if shown.id == "funnel" else []
    questions = page_words(shown, current.lang())
    return render_template(
        "diagnosis/page.html", row=row, page=shown, questions=questions, count=_answer_count(row.document, shown),
        fields=render_questions(questions, values, errors), errors=errors, warnings=warnings,
        warnings_seen=warnings_digest(warnings) if warnings else "", saved=saved, not_saved=not_saved,
        index=index, pages=current.pages(row.survey_only), survey_only=row.survey_only,
        deadline=lifecycle.deadline_text(lifecycle.round_of_survey(row.id)) if row.survey_only else "",
        csrf_token=csrf or generate_csrf(), csrf_failed=g.get("csrf_failed", False),
        seconds_per_statement=SECONDS_PER_STATEMENT,
    )  # fmt: skip


def _answer_count(document: dict[str, Any], shown: Page) -> dict[str, int]:
    """How many statements are answered on the other pages, and in all: the page's own radios count live (app.js)."""
    answers = document.get("checklist")
    answered = set(answers) if isinstance(answers, dict) else set()
    items = {item.id for item in current.content().checklist.items}
    here = {q.path.partition(".")[2] for q in shown.questions if q.kind == "choice" and q.path.startswith("checklist.")}
    return {"elsewhere": len((answered & items) - here), "answered": len(answered & items), "total": len(items)}


def _apply(
    shown: Page, form: FlaskForm, saved: dict[str, Any], saved_drafts: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """Merge the page into the document; values the loader rejects stay as drafts with their error."""
    document = copy.deepcopy(saved)
    drafts = {k: v for k, v in saved_drafts.items() if k not in {q.name for q in shown.questions}}
    for question in shown.questions:
        write_document_value(document, question.path, form_value_to_document(question, form[question.name].data))
    errors = _errors_for(shown, document)
    for question in shown.questions:
        if question.name in errors:
            drafts[question.name] = str(form[question.name].data or "")[:20_000]
            write_document_value(document, question.path, None)
    return document, drafts, errors


def _errors_for(shown: Page, document: dict[str, Any]) -> dict[str, str]:
    try:
        parse_assessment(document, current.content())
    except AssessmentError as error:
        by_path = {q.path: q.name for q in shown.questions}
        lang = current.lang()
        return {by_path[p.path]: p.text(lang) for p in error.problems if p.path in by_path}
    return {}


def _values(shown: Page, document: dict[str, Any], drafts: dict[str, Any]) -> dict[str, Any]:
    """What each field shows: a pending draft, else the saved value."""
    return {
        q.name: drafts.get(q.name, document_value_to_form(q, read_document_value(document, q.path)))
        for q in shown.questions
    }


def _draft_errors(shown: Page, document: dict[str, Any], drafts: dict[str, Any]) -> dict[str, str]:
    pending = [q for q in shown.questions if q.name in drafts]
    if not pending:
        return {}
    candidate = copy.deepcopy(document)
    for question in pending:
        write_document_value(candidate, question.path, form_value_to_document(question, drafts[question.name]))
    return _errors_for(shown, candidate)


def funnel_warnings(document: dict[str, Any]) -> list[str]:
    """The funnel figures that cannot be true or are implausible, in the visitor's language (the diagnosis's words)."""
    content = current.content()
    try:
        assessment = parse_assessment(document, content)
    except AssessmentError:
        return []
    labels = {figure.id: figure.label for figure in content.survey.funnel}
    quality = judge_funnel(assessment.funnel, content.benchmarks, labels)
    return [problem.message(current.lang()) for problem in quality.problems]


def warnings_digest(warnings: list[str]) -> str:
    """A short fingerprint of the warnings a visitor was shown, so the same ones do not stop them twice."""
    return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:16]
