"""The respondents' pages: no account, a private link each (or the workshop's join code), one page per axis.

Each respondent's answers are stored in their own row and saved page by page, so a phone that drops off the
network loses at most the page on screen, and many people answering at once never overwrite one another.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale, lazy_gettext
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from assessment.engine.assessment_file import MAX_COMMENT, has_control_characters
from assessment.engine.perception import DEPARTMENT_ROLES
from assessment.engine.wording import role_label
from assessment.web import workshop_store as ws
from assessment.web.app_form import AppForm
from assessment.web.fields import render_questions
from assessment.web.forms import Page, document_value_to_form, form_class, form_value_to_document, single_line
from assessment.web.models import Respondent, token_shaped
from assessment.web.security import limiter
from assessment.web.store import NOT_SAVED_HEADERS, NotSaved
from assessment.web.wording import control_character_message, page_words

bp = Blueprint("respond", __name__)
JOIN_LINK_DAYS = 7
JOINS_PER_BROWSER = 5  # respondents one browser may create in a round (a shared tablet makes a few)


def _lang() -> str:
    return str(get_locale() or "ja")


def _content() -> Any:
    return current_app.extensions["readiness.content"]


def _checklist_pages() -> tuple[Page, ...]:
    pages = current_app.extensions["readiness.pages"]
    return tuple(p for p in pages if p.id.startswith("checklist-"))


def _open_respondent(token: str) -> Respondent | Any:
    respondent = ws.respondent_by_token(token)
    state = ws.link_state(respondent)
    if state != "open":
        return render_template("workshop/link_closed.html", state=state), 410
    return respondent


@bp.get("/r/<token>")
@limiter.exempt
def start(token: str) -> Any:
    """A respondent's link: straight to the first page."""
    found = _open_respondent(token)
    if not isinstance(found, Respondent):
        return found
    return redirect(url_for("respond.page", token=token, page_id=_checklist_pages()[0].id))


@bp.get("/r/<token>/<page_id>")
@limiter.exempt
def page(token: str, page_id: str) -> Any:
    """One axis of the checklist, with the respondent's saved answers."""
    found = _open_respondent(token)
    if not isinstance(found, Respondent):
        return found
    index, current = _page(page_id)
    return _render(found, index, current, _values(found, current), {}), 200


def _per_link() -> str:
    """Workshop participants share the venue's Wi-Fi, so one address is many people: limit per link instead."""
    args = request.view_args or {}
    return str(args.get("token") or args.get("code") or request.remote_addr)


@bp.post("/r/<token>/<page_id>")
@limiter.limit("60 per minute", key_func=_per_link)
def save(token: str, page_id: str) -> Any:
    """Save the page (next or back); only this respondent's row is written."""
    found = _open_respondent(token)
    if not isinstance(found, Respondent):
        return found
    index, current = _page(page_id)
    form = form_class(current)(meta={"csrf": False})
    answers: dict[str, str] = {}
    comments: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in current.questions:
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
    values = {q.name: form[q.name].data for q in current.questions}
    if errors or g.get("csrf_failed"):
        return _render(found, index, current, values, {k: str(v) for k, v in errors.items()}), 422 if errors else 200
    pages = _checklist_pages()
    last = index + 1 >= len(pages)
    try:
        ws.save_answers(found, answers, comments, done=last and request.form.get("action", "next") == "next")
    except NotSaved:
        body = _render(found, index, current, values, {}, not_saved=True)
        return body, 503, NOT_SAVED_HEADERS
    if request.form.get("action") == "back" and index > 0:
        return redirect(url_for("respond.page", token=token, page_id=pages[index - 1].id))
    if last:
        return redirect(url_for("respond.done", token=token))
    return redirect(url_for("respond.page", token=token, page_id=pages[index + 1].id))


@bp.get("/r/<token>/done")
@limiter.exempt
def done(token: str) -> Any:
    """Thanks; the answers can still be changed while the link is open."""
    found = _open_respondent(token)
    if not isinstance(found, Respondent):
        return found
    return render_template(
        "workshop/respond_done.html",
        respondent=found,
        first=_checklist_pages()[0].id,
        total=len(_content().checklist.items),
    )


def _page(page_id: str) -> tuple[int, Page]:
    for index, candidate in enumerate(_checklist_pages()):
        if candidate.id == page_id:
            return index, candidate
    abort(404)


def _values(respondent: Respondent, current: Page) -> dict[str, Any]:
    stored = {"checklist": respondent.answers or {}, "comments": respondent.comments or {}}
    values = {}
    for question in current.questions:
        section, _dot, item_id = question.path.partition(".")
        values[question.name] = document_value_to_form(question, stored[section].get(item_id))
    return values


def _render(
    respondent: Respondent, index: int, current: Page, values: dict[str, Any], errors: dict[str, str],
    not_saved: bool = False,
) -> str:  # fmt: skip
    questions = page_words(current, _lang())
    return render_template(
        "workshop/respond.html", respondent=respondent, page=current, index=index, pages=_checklist_pages(),
        fields=render_questions(questions, values, errors), errors=errors, questions=questions,
        csrf_token=generate_csrf(), csrf_failed=g.get("csrf_failed", False), not_saved=not_saved,
        department=role_label(respondent.department, _content(), _lang()),
    )  # fmt: skip


class JoinForm(AppForm):
    """Who is answering: department and, optionally, a name; ``key`` makes sending the form twice harmless."""

    department = SelectField(
        lazy_gettext("Your department"), choices=list(DEPARTMENT_ROLES), validators=[DataRequired()]
    )
    name = StringField(
        lazy_gettext("Your name (optional)"), validators=[Optional(), Length(max=200)], filters=[single_line]
    )
    key = HiddenField()  # never an error the person could not see: a key that is not ours is ignored


@bp.route("/j/<code>", methods=["GET", "POST"])
@limiter.limit("200 per minute", methods=["POST"], key_func=_per_link)
@limiter.limit("60 per minute;300 per hour", methods=["POST"])  # per address: a room on one Wi-Fi fits
def join(code: str) -> Any:
    """The workshop's short link and QR code: pick a department, get a private link of one's own."""
    engagement = ws.engagement_by_join_code(code)
    if not engagement.join_open:
        return render_template("workshop/link_closed.html", state="closed"), 410
    form = JoinForm()
    form.department.choices = [(role, role_label(role, _content(), _lang())) for role in DEPARTMENT_ROLES]  # type: ignore[arg-type]
    if form.validate_on_submit():
        key = form.key.data if token_shaped(form.key.data or "") else ""
        joined = _joins_from_this_browser(engagement.id)
        if joined >= JOINS_PER_BROWSER and not ws.joined_with_key(engagement, key):
            return render_template("workshop/link_closed.html", state="too_many_joins"), 429
        try:
            respondent = ws.invite(
                engagement, form.department.data or "other", form.name.data or "", JOIN_LINK_DAYS, key
            )
        except ws.RoundFull:
            return render_template("workshop/link_closed.html", state="full"), 409
        _remember(engagement.id, respondent.token)
        return redirect(url_for("respond.start", token=respondent.token))
    if not token_shaped(form.key.data or ""):
        form.key.data = secrets.token_urlsafe(16)
    status = 422 if request.method == "POST" else 200
    joined = _joined(engagement.id)
    department = role_label(joined.department, _content(), _lang()) if joined else ""
    return render_template(
        "workshop/join.html", form=form, code=engagement.join_code, joined=joined, joined_department=department
    ), status


def _remember(engagement_id: int, token: str) -> None:
    """Keep this browser's link for the workshop, so scanning the code again offers to continue; count the
    respondents this browser has created in it."""
    joined = {k: v for k, v in (session.get("joined") or {}).items() if k != str(engagement_id)}
    session["joined"] = dict([*list(joined.items())[-4:], (str(engagement_id), token)])
    counts = {k: v for k, v in (session.get("joins") or {}).items() if k != str(engagement_id)}
    session["joins"] = dict(
        [*list(counts.items())[-4:], (str(engagement_id), _joins_from_this_browser(engagement_id) + 1)]
    )


def _joins_from_this_browser(engagement_id: int) -> int:
    """How many respondents this browser has created in the workshop (one tablet passed round makes several)."""
    count = (session.get("joins") or {}).get(str(engagement_id), 0)
    return count if isinstance(count, int) else JOINS_PER_BROWSER


def _joined(engagement_id: int) -> Respondent | None:
    """The respondent this browser joined as, while their link is still open."""
    token = (session.get("joined") or {}).get(str(engagement_id))
    if not isinstance(token, str):
        return None
    respondent = ws.find_respondent(token)
    if respondent is None or respondent.engagement_id != engagement_id or ws.link_state(respondent) != "open":
        return None
    return respondent
