"""The pages of the self-service diagnosis. Thin: bind -> validate with the core -> save -> render."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)  # fmt: skip
from flask_babel import format_date, get_locale, lazy_gettext
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from flask_wtf.file import FileField
from wtforms.fields import DateField
from wtforms.validators import InputRequired

from assessment import AssessmentError, diagnose, parse_assessment
from assessment.content.model import Content
from assessment.engine.assessment_file import plan_day, to_document
from assessment.engine.data_quality import judge_funnel
from assessment.engine.roadmap.calendar import next_monday
from assessment.report.branding import Branding
from assessment.report.context import build_context
from assessment.web import pdf, store
from assessment.web.app_form import AppForm
from assessment.web.fields import render_questions
from assessment.web.forms import (
    Page,
    document_value_to_form,
    form_class,
    form_value_to_document,
    read_document_value,
    write_document_value,
)
from assessment.web.page_cache import CSRF_PLACEHOLDER, PageCache
from assessment.web.security import limiter
from assessment.web.wording import page_words

bp = Blueprint("diagnosis", __name__)
PAGES = PageCache()
SAMPLE = Path(__file__).resolve().parents[2] / "questionnaires" / "samples" / "sample.yaml"


def _content() -> Content:
    return current_app.extensions["readiness.content"]  # type: ignore[no-any-return]


def _pages(survey_only: bool = False) -> tuple[Page, ...]:
    """The questionnaire's pages; a workshop's survey link has the company and funnel pages only."""
    pages: tuple[Page, ...] = current_app.extensions["readiness.pages"]
    return tuple(p for p in pages if not p.id.startswith("checklist-")) if survey_only else pages


def _lang() -> str:
    return str(get_locale() or "ja")


@bp.after_app_request
def remember_language(response: Response) -> Response:
    """Keep a language chosen with ?lang= for the next pages."""
    wanted = request.args.get("lang")
    if wanted in ("ja", "en") and request.endpoint != "diagnosis.report":  # a PDF's language is not the site's
        response.set_cookie("lang", wanted, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.get("/")
def landing() -> str:
    """What this is, how long it takes, what you get."""
    return render_template("landing.html", start_form=FlaskForm(), pages=_pages())


@bp.post("/start")
@limiter.limit("30 per minute;300 per hour")  # per address: new anonymous rows are bounded
def start() -> Any:
    """Open a new self-assessment and go to its first page."""
    FlaskForm().validate_on_submit() or abort(400)
    row = store.create()
    return redirect(url_for("diagnosis.page", token=row.token, page_id=_pages()[0].id))


@bp.get("/a/<token>/<page_id>")
def page(token: str, page_id: str) -> Any:
    """One questionnaire page, showing the saved answers and any pending draft with its error.

    The rendered page is kept per saved revision (see ``page_cache``): an unchanged page costs a
    one-column read and a fresh CSRF token, not a render.
    """
    revision, survey_only = store.revision_of(token)
    index, current = _page(page_id, survey_only)
    signed_in = "_user_id" in session
    cacheable = "_flashes" not in session
    key = (token, revision, page_id, _lang(), request.host_url, signed_in)
    html = PAGES.get(key) if cacheable else None
    if html is None:
        row = store.load(token)
        values = _values(current, row.document, row.drafts)
        errors = _draft_errors(current, row.document, row.drafts)
        html = _render_page(row, index, current, values, errors, CSRF_PLACEHOLDER)
        if cacheable and row.revision == revision:
            PAGES.put(key, html)
    return html.replace(CSRF_PLACEHOLDER, generate_csrf()), 200


@bp.post("/a/<token>/<page_id>")
def save_page(token: str, page_id: str) -> Any:
    """Save a page on next and on back; input the loader rejects is kept as a draft and shown with its error.

    A save overwrites one row (the body is capped by MAX_CONTENT_LENGTH), so it can neither grow the
    database nor reach anyone else's answers; the limiter's bookkeeping cost a sixth of a save's time.
    """
    row = store.load(token)
    index, current = _page(page_id, row.survey_only)
    pages = _pages(row.survey_only)
    form = form_class(current)(meta={"csrf": False})  # CSRFProtect has already checked the token
    values = {q.name: form[q.name].data for q in current.questions}
    errors: dict[str, str] = {}
    if not g.get("csrf_failed"):
        try:  # only this page's paths are written, on the freshest revision: another page's save is kept
            row, errors = store.update(token, lambda read: _apply(current, form, read.document, read.drafts), first=row)
        except store.NotSaved:
            return _not_saved(_render_page(row, index, current, values, errors, not_saved=True))
        document = row.document
        action = request.form.get("action", "next")
        if action == "back" and index > 0:
            return redirect(url_for("diagnosis.page", token=token, page_id=pages[index - 1].id))
        if not errors and action == "next" and current.id == "funnel":
            warnings = _warnings(document)
            if warnings and request.form.get("warnings_seen") != warnings_digest(warnings):
                # Saved; figures that do not add up are shown once before moving on (a soft warning).
                return _render_page(row, index, current, values, errors, warnings=warnings, saved=True)
        if not errors:
            if index + 1 >= len(pages):
                last = "diagnosis.survey_done" if row.survey_only else "diagnosis.review"
                return redirect(url_for(last, token=token))
            return redirect(url_for("diagnosis.page", token=token, page_id=pages[index + 1].id))
    return _render_page(row, index, current, values, errors), (422 if errors else 200)


QUESTIONNAIRE_PAGES = frozenset({"diagnosis.page", "diagnosis.save_page"})


@limiter.request_filter
def _questionnaire_page() -> bool:
    """Showing and saving a questionnaire page skip the limiter: both sit behind a 256-bit token, and new
    tokens come only from the rate-limited /start. A request filter ends the limiter's work at once
    (``@limiter.exempt`` still resolves every limit first: an eighth of a cached page's time)."""
    return request.endpoint in QUESTIONNAIRE_PAGES


def _page(page_id: str, survey_only: bool = False) -> tuple[int, Page]:
    for index, candidate in enumerate(_pages(survey_only)):
        if candidate.id == page_id:
            return index, candidate
    abort(404)


def _render_page(
    row: Any,
    index: int,
    current: Page,
    values: dict[str, Any],
    errors: dict[str, str],
    csrf: str | None = None,
    warnings: list[str] | None = None,
    saved: bool = False,
    not_saved: bool = False,
) -> str:
    if warnings is None:
        warnings = _warnings(row.document) if current.id == "funnel" else []
    questions = page_words(current, _lang())
    return render_template(
        "page.html", row=row, page=current, questions=questions, fields=render_questions(questions, values, errors),
        errors=errors, warnings=warnings, warnings_seen=warnings_digest(warnings) if warnings else "", saved=saved,
        not_saved=not_saved,
        index=index, pages=_pages(row.survey_only), base=f"/a/{row.token}/", survey_only=row.survey_only,
        csrf_token=csrf or generate_csrf(), csrf_failed=g.get("csrf_failed", False),
    )  # fmt: skip


def _not_saved(body: str) -> Any:
    """The database did not take the write: 503, try again shortly, with what was typed still on the page."""
    return body, 503, store.NOT_SAVED_HEADERS


def _apply(
    current: Page, form: FlaskForm, saved: dict[str, Any], saved_drafts: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """Merge the page into the document; values the loader rejects stay as drafts with their error."""
    document = copy.deepcopy(saved)
    drafts = {k: v for k, v in saved_drafts.items() if k not in {q.name for q in current.questions}}
    for question in current.questions:
        write_document_value(document, question.path, form_value_to_document(question, form[question.name].data))
    errors = _errors_for(current, document)
    for question in current.questions:
        if question.name in errors:
            drafts[question.name] = str(form[question.name].data or "")[:20_000]
            write_document_value(document, question.path, None)
    return document, drafts, errors


def _errors_for(current: Page, document: dict[str, Any]) -> dict[str, str]:
    try:
        parse_assessment(document, _content())
    except AssessmentError as error:
        by_path = {q.path: q.name for q in current.questions}
        lang = _lang()
        return {by_path[p.path]: p.text(lang) for p in error.problems if p.path in by_path}  # type: ignore[arg-type]
    return {}


def _values(current: Page, document: dict[str, Any], drafts: dict[str, Any]) -> dict[str, Any]:
    """What each field shows: a pending draft, else the saved value."""
    return {
        q.name: drafts.get(q.name, document_value_to_form(q, read_document_value(document, q.path)))
        for q in current.questions
    }


def _draft_errors(current: Page, document: dict[str, Any], drafts: dict[str, Any]) -> dict[str, str]:
    pending = [q for q in current.questions if q.name in drafts]
    if not pending:
        return {}
    candidate = copy.deepcopy(document)
    for question in pending:
        write_document_value(candidate, question.path, form_value_to_document(question, drafts[question.name]))
    return _errors_for(current, candidate)


def _warnings(document: dict[str, Any]) -> list[str]:
    """The funnel figures that cannot be true or are implausible, in the visitor's language (the diagnosis's words)."""
    try:
        assessment = parse_assessment(document, _content())
    except AssessmentError:
        return []
    content = _content()
    labels = {figure.id: figure.label for figure in content.survey.funnel}
    quality = judge_funnel(assessment.funnel, content.benchmarks, labels)
    return [problem.message(_lang()) for problem in quality.problems]  # type: ignore[arg-type]


def warnings_digest(warnings: list[str]) -> str:
    """A short fingerprint of the warnings a visitor was shown, so the same ones do not stop them twice."""
    return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:16]


@bp.get("/a/<token>/survey-done")
def survey_done(token: str) -> str:
    """The end of a workshop's survey link: what was sent, and a way back to change it."""
    row = store.find(token, survey_only_too=True)
    if not row.survey_only:
        abort(404)
    pages = _pages(survey_only=True)
    return render_template(
        "review.html", row=row, pages=pages, document=row.document, assessment=_parsed(row.document),
        read=read_document_value, index=len(pages), survey_only=True, funnel_warnings=_warnings(row.document),
    )  # fmt: skip


@bp.get("/a/<token>/review")
def review(token: str) -> str:
    """Everything answered, page by page, with a link back to each page."""
    row = store.find(token)
    assessment = _parsed(row.document)
    return render_template(
        "review.html", row=row, pages=_pages(), document=row.document, assessment=assessment,
        read=read_document_value, index=len(_pages()), funnel_warnings=_warnings(row.document),
    )  # fmt: skip


class PlanStartForm(AppForm):
    """The day the plan starts (the roadmap, the first 90 days and the PDF show dates from it)."""

    start = DateField(lazy_gettext("Plan start date"), validators=[InputRequired()])


@bp.get("/a/<token>/results")
def results_page(token: str, form: PlanStartForm | None = None) -> Any:
    """Scores, risks with evidence, phase, funnel and the roadmap, with the plan's start date to change."""
    row = store.find(token)
    content = _content()
    assessment = _parsed(row.document)
    start = assessment.plan_start or next_monday(date.today())
    diagnosis = diagnose(assessment, content, start)
    view = build_context(diagnosis, content, _lang(), Branding(), date.today(), _)  # type: ignore[arg-type]
    form = form or PlanStartForm(data={"start": start})
    return render_template(
        "results.html", row=row, view=view, pages=_pages(), index=len(_pages()) + 1, plan_form=form,
        plan_start_set=assessment.plan_start is not None,
    ), (422 if form.errors else 200)  # fmt: skip


@bp.post("/a/<token>/plan-start")
def plan_start(token: str) -> Any:
    """Set the day the plan starts; a date the form cannot read is shown on the results page with its error."""
    store.find(token)  # 404 for an unknown token or a survey-only link
    form = PlanStartForm(meta={"csrf": False})  # CSRFProtect has already checked the token
    if g.get("csrf_failed") or not form.validate():
        return results_page(token, form)
    chosen = form.start.data
    if plan_day(chosen) is None:
        form.start.errors = [_("Choose a date between the years 2000 and 2100.")]
        return results_page(token, form)

    def set_start(read: store.Stored) -> tuple[dict[str, Any], dict[str, Any], None]:
        read.document["plan"] = {"start": chosen.isoformat()}  # the only path this form owns
        return read.document, read.drafts, None

    store.update(token, set_start, survey_only_too=False)
    flash(_("The plan now starts on %(day)s.", day=format_date(chosen, "long")), "plan")  # shown by the form
    return redirect(url_for("diagnosis.results_page", token=token) + "#roadmap")


def _parsed(document: dict[str, Any]) -> Any:
    """The stored document as an Assessment; a document the loader rejects is a 400 with its messages."""
    try:
        return parse_assessment(document, _content())
    except AssessmentError as error:
        message = "; ".join(p.render(_lang()) for p in error.problems[:5])  # type: ignore[arg-type]
        abort(400, description=message)


@bp.get("/a/<token>/report.pdf")
@limiter.limit("10 per minute", deduct_when=pdf.started_a_render)  # polls and cached PDFs are free
def report(token: str) -> Any:
    """The proposal PDF, the same renderer as the CLI."""
    row = store.find(token)
    lang = request.args.get("lang") or _lang()
    lang = lang if lang in ("ja", "en") else "ja"
    completeness = diagnose(_parsed(row.document), _content()).completeness
    if completeness.provisional:
        return _held_back(row, completeness)
    data = _pdf(row.document, lang)
    if data is None:
        return _preparing()
    name = f"readiness-{lang}.pdf"
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _held_back(row: Any, completeness: Any) -> Any:
    """Too little of the checklist is answered for a proposal: say how many statements are missing."""
    first = next(p for p in _pages() if p.id.startswith("checklist-"))
    message = _(
        "The proposal needs at least half of the %(total)s statements answered with yes, partly or no. "
        "%(answered)s are answered: answer %(needed)s more to get it.",
        total=completeness.statements,
        answered=completeness.answered,
        needed=completeness.needed,
    )
    link = url_for("diagnosis.page", token=row.token, page_id=first.id)
    return render_template("held_back.html", message=message, link=link), 409


def _pdf(document: dict[str, Any], lang: str) -> bytes | None:
    if not (document.get("plan") or {}).get("start"):  # dated from the next Monday, as the results page shows
        document = {**document, "plan": {"start": next_monday(date.today()).isoformat()}}
    wait = float(current_app.config.get("READINESS_PDF_WAIT", 0))
    return pdf.pdf_for(document, lang, Path(current_app.instance_path) / "pdf", _content().fingerprint, wait)


def _preparing() -> Any:
    """The PDF is being made in the background: a page that reloads itself (no script) until it is there."""
    return render_template("preparing.html"), 202, {"Retry-After": "2", "Cache-Control": "no-store"}


@bp.get("/a/<token>/assessment.<fmt>")
def export(token: str, fmt: str) -> Response:
    """Download the assessment file (YAML or JSON) to keep, edit or import later."""
    row = store.find(token)
    document = to_document(parse_assessment(row.document, _content()))
    if fmt == "json":
        body = json.dumps(document, ensure_ascii=False, indent=2)
        return Response(body, mimetype="application/json", headers=_attachment("assessment.json"))
    if fmt == "yaml":
        body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        return Response(body, mimetype="application/x-yaml", headers=_attachment("assessment.yaml"))
    abort(404)


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


class ImportForm(AppForm):
    """Upload an assessment file."""

    file = FileField()


@bp.route("/import", methods=["GET", "POST"])
@limiter.limit("20 per minute;100 per hour", methods=["POST"])
def import_file() -> Any:
    """Continue from an assessment file: checked by the same loader as the CLI, every problem listed."""
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = request.files.get("file")
        raw = upload.read(1_000_001) if upload else b""
        try:
            assessment_document = _checked_document(raw)
        except AssessmentError as error:
            problems = [p.render(_lang()) for p in error.problems]  # type: ignore[arg-type]
        else:
            row = store.create(assessment_document)
            return redirect(url_for("diagnosis.review", token=row.token))
    elif request.method == "POST":
        problems = [_("The form has expired. Please choose the file again.")]
    return render_template("import.html", form=form, problems=problems), (400 if problems else 200)


def _checked_document(raw: bytes) -> dict[str, Any]:
    """Validate with the CLI's loader; store the canonical document (answers spelled as the format says)."""
    return to_document(parse_assessment(raw, _content()))


@bp.get("/sample-report.pdf")
@limiter.limit("10 per minute", deduct_when=pdf.started_a_render)
def sample_report() -> Any:
    """The proposal PDF of the bundled sample, to see what you get before starting."""
    from assessment.documents import load_document

    lang = _lang()
    document = load_document(SAMPLE.read_bytes())
    data = _pdf(document, lang)
    if data is None:
        return _preparing()
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": 'inline; filename="sample.pdf"'})
