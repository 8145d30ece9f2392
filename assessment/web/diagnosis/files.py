"""A self-assessment's files: the proposal PDF, the assessment file to keep, the import, the sample's PDF."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.file import FileField

from assessment import AssessmentError, diagnose, parse_assessment, resources
from assessment.documents import load_document
from assessment.engine.assessment_file import to_document
from assessment.engine.roadmap.calendar import next_monday
from assessment.web import current, pdf, store
from assessment.web.app_form import AppForm
from assessment.web.diagnosis.blueprint import bp
from assessment.web.locale import LANGS, as_lang
from assessment.web.responses import ASSESSMENT_FILE, REPORT_FILE, company_of, dated_download, local_today, preparing
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
    data = _pdf(document, lang)
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


def _pdf(document: dict[str, Any], lang: str) -> bytes | None:
    if not (document.get("plan") or {}).get("start"):  # dated from the next Monday, as the results page shows
        document = {**document, "plan": {"start": next_monday(date.today()).isoformat()}}
    wait = float(current_app.config.get("READINESS_PDF_WAIT", 0))
    return pdf.pdf_for(document, lang, Path(current_app.instance_path) / "pdf", current.content().fingerprint, wait)


@bp.get("/a/<token>/assessment.<fmt>")
def export(token: str, fmt: str) -> Response:
    """Download the assessment file (YAML or JSON) to keep, edit or import later."""
    row = store.find(token)
    document = to_document(parse_assessment(row.document, current.content()))
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
        try:  # the canonical document is stored (answers spelled as the format says)
            document = to_document(parse_assessment(raw, current.content()))
        except AssessmentError as error:
            problems = [p.render(current.lang()) for p in error.problems]
        else:
            row = store.create(document)
            flash(
                _(
                    "The file opened under a new private link (below): keep it. A link you had before is not "
                    "changed by the import and still opens the answers as they were."
                )
            )
            return redirect(url_for("diagnosis.review", token=row.token))
    elif request.method == "POST":
        problems = [_("The form has expired. Please choose the file again.")]
    return render_template("diagnosis/import.html", form=form, problems=problems), (400 if problems else 200)


@bp.get("/sample-report.pdf")
@limiter.limit("10 per minute", deduct_when=started_a_render)
def sample_report() -> Any:
    """The proposal PDF of the bundled sample, to see what you get before starting."""
    data = _pdf(load_document(SAMPLE.read_bytes()), current.lang())
    if data is None:
        return preparing()
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": 'inline; filename="sample.pdf"'})
