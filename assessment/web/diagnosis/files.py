"""A self-assessment's files: the proposal PDF, the assessment file to keep, the import, the sample's PDF."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any, cast

import yaml
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.file import FileField
from wtforms.fields import RadioField

from assessment import AssessmentError, diagnose, parse_assessment, resources
from assessment.documents import load_document
from assessment.engine.assessment_file import Assessment, to_document
from assessment.engine.roadmap.calendar import next_monday
from assessment.presentation.view.words import long_day
from assessment.web import current, pdf, store
from assessment.web.app_form import AppForm
from assessment.web.diagnosis.blueprint import bp
from assessment.web.diagnosis.reassessment import baseline_document, comparable_baseline
from assessment.web.locale import LANGS, as_lang
from assessment.web.responses import (
    ASSESSMENT_FILE,
    REPORT_FILE,
    company_of,
    dated_download,
    local_today,
    preparing,
    render_failed,
)
from assessment.web.security import limiter, started_a_render
from assessment.web.team.section import team_document

SAMPLE = resources.sample_path()


@bp.get("/a/<token>/report.pdf")
@limiter.limit("10 per minute", deduct_when=started_a_render)  # polls and cached PDFs are free
def report(token: str) -> Any:
    """The proposal PDF, the same renderer as the CLI."""
    row = store.find(token)
    lang = request.args.get("lang") or current.lang()
    lang = lang if lang in LANGS else "ja"
    document = team_document(row)  # the team's views in the proposal too, once a colleague has answered
    completeness = diagnose(current.parsed(document), current.content()).completeness
    if completeness.provisional:
        return _held_back(row, completeness)
    try:
        data = _pdf(document, lang, comparable_baseline(row, current.content()))
    except pdf.RenderFailed:
        return render_failed()
    if data is None:
        return preparing()
    name = company_of(row.document)
    return Response(
        data, mimetype="application/pdf", headers=dated_download(name, REPORT_FILE, local_today(), "pdf", as_lang(lang))
    )


def _held_back(row: Any, completeness: Any) -> Any:
    """Too little of the checklist is answered for a proposal: say how many statements are missing."""
    first = next(p for p in current.pages() if p.id.startswith("checklist-"))
    message = _(
        "The proposal needs at least half of the %(total)s statements answered with yes, partly or no. "
        "%(answered)s are answered: answer %(needed)s more to get it.",
        total=completeness.statements,
        answered=completeness.answered,
        needed=completeness.needed,
    )
    link = url_for("diagnosis.page", token=row.token, page_id=first.id)
    return render_template("diagnosis/held_back.html", message=message, link=link), 409


def _pdf(document: dict[str, Any], lang: str, baseline: dict[str, Any] | None = None) -> bytes | None:
    """The PDF of ``document`` (compared with ``baseline``, the earlier diagnosis with its date, when given)."""
    if not (document.get("plan") or {}).get("start"):  # dated from the next Monday, as the results page shows
        document = {**document, "plan": {"start": next_monday(date.today()).isoformat()}}
    retry = request.args.get("retry") == "1"
    return pdf.requested_pdf(document, lang, current.content().fingerprint, previous=baseline, retry=retry)


@bp.get("/a/<token>/assessment.<fmt>")
def export(token: str, fmt: str) -> Response:
    """Download the assessment file (YAML or JSON) to keep, edit or import later."""
    row = store.find(token)
    content = current.content()
    document = to_document(replace(parse_assessment(row.document, content), dated=local_today()))
    baseline = baseline_document(row, content)
    if baseline is not None:  # the earlier diagnosis travels with the answers: an import compares with it again
        document["baseline"] = baseline
    company, lang = company_of(document), current.lang()
    if fmt == "json":
        body = json.dumps(document, ensure_ascii=False, indent=2)
        headers = dated_download(company, ASSESSMENT_FILE, local_today(), "json", lang)
        return Response(body, mimetype="application/json", headers=headers)
    if fmt == "yaml":
        body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        headers = dated_download(company, ASSESSMENT_FILE, local_today(), "yaml", lang)
        return Response(body, mimetype="application/x-yaml", headers=headers)
    abort(404)


class ImportForm(AppForm):
    """Upload an assessment file, to continue its answers or to re-assess against it."""

    file = FileField()
    # plain values (each its own label: the page writes its own words; WTForms' stubs want pairs)
    use = RadioField(choices=cast(Any, ["continue", "reassess"]), default="continue")


@bp.route("/import", methods=["GET", "POST"])
@limiter.limit("20 per minute;100 per hour", methods=["POST"])
def import_file() -> Any:
    """Continue from an assessment file, or re-assess against it (the file becomes the baseline and its answers
    the ones to change): checked by the same loader as the CLI, every problem listed, nothing saved until the
    file reads."""
    form = ImportForm()
    problems: list[str] = []
    reassess = form.use.data == "reassess"
    if form.validate_on_submit():
        upload = request.files.get("file")
        raw = upload.read(1_000_001) if upload else b""
        try:
            parsed = parse_assessment(raw, current.content())
        except AssessmentError as error:
            problems = [p.render(current.lang()) for p in error.problems]
        else:
            return _imported(parsed, reassess)
    elif request.method == "POST" and form.use.errors:
        problems = [_("Choose whether to continue the file's answers or to re-assess against them.")]
    elif request.method == "POST":
        problems = [_("The form has expired. Please choose the file again.")]
    page = render_template("diagnosis/import.html", form=form, problems=problems, reassess=reassess)
    return page, (400 if problems else 200)


def _imported(parsed: Assessment, reassess: bool) -> Any:
    """Store an imported file under a new link. The canonical document is stored (answers spelled as the format
    says), without its date; the baseline is the file itself when re-assessing, else the one it carries. A
    baseline's day is its own ``date``, else today's."""
    answers = replace(parsed, dated=None, baseline=None)
    earlier = answers if reassess else parsed.baseline
    earlier_on = (parsed.dated if reassess else parsed.baseline.dated if parsed.baseline else None) or local_today()
    baseline = to_document(replace(earlier, dated=None, baseline=None)) if earlier is not None else None
    row = store.create(to_document(answers), baseline, earlier_on if baseline is not None else None)
    new_link = _(
        "The file opened under a new private link (below): keep it. A link you had before is not "
        "changed by the import and still opens the answers as they were."
    )
    day = long_day(earlier_on, current.lang())
    if reassess:
        flash(
            _(
                "The re-assessment has started: the file's answers as of %(day)s are the baseline, and the same "
                "answers are here for you to change. The results and the proposal PDF show what changed.",
                day=day,
            )
        )
    elif baseline is not None:
        flash(_("The file carries an earlier diagnosis (%(day)s): the results compare with it.", day=day))
    flash(new_link)
    return redirect(url_for("diagnosis.review", token=row.token, imported=1))


@bp.get("/sample-report.pdf")
@limiter.limit("10 per minute", deduct_when=started_a_render)
def sample_report() -> Any:
    """The proposal PDF of the bundled sample, to see what you get before starting."""
    try:
        data = _pdf(load_document(SAMPLE.read_bytes()), current.lang())
    except pdf.RenderFailed:
        return render_failed()
    if data is None:
        return preparing()
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": 'inline; filename="sample.pdf"'})
