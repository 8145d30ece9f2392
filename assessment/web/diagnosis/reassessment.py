"""Re-assessment in self-service: keep the answers as they stand as the baseline, change what has moved, and see
the results and the proposal compared with it (scores, statements, risks, funnel KPIs); or stop comparing.

The baseline is the earlier diagnosis in the interchange format, kept on the self-assessment's row with its day
(``baseline``, ``baseline_on``). It comes from starting a re-assessment here (the answers as stored, dated today)
or from an imported file (see ``files``); the exported file carries it, so export and import keep the comparison.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from assessment import AssessmentError, diagnose, parse_assessment
from assessment.content.model import Content
from assessment.engine.assessment_file import to_document
from assessment.engine.diagnosis import Diagnosis
from assessment.presentation.view import SinceLast, since_last
from assessment.presentation.view.words import long_day
from assessment.web import current, store
from assessment.web.diagnosis.blueprint import bp
from assessment.web.models import SelfAssessment
from assessment.web.responses import local_today


def baseline_document(row: SelfAssessment, content: Content) -> dict[str, Any] | None:
    """The baseline as a file carries it (canonical, with its ``date``), or None when the link has none. A
    baseline the questionnaire can no longer read is given as stored, with its date, so it is never lost."""
    if row.baseline is None:
        return None
    dated = {"date": row.baseline_on.isoformat()} if row.baseline_on else {}
    try:
        assessment = parse_assessment({**row.baseline, "date": None, "baseline": None}, content)
    except AssessmentError:
        rest = {key: value for key, value in row.baseline.items() if key not in ("version", "date", "baseline")}
        return {"version": row.baseline.get("version", 1), **dated, **rest}
    return to_document(replace(assessment, dated=row.baseline_on, baseline=None))


def comparable_baseline(row: SelfAssessment, content: Content) -> dict[str, Any] | None:
    """The baseline to compare with (for the PDF), or None when there is none or it no longer reads."""
    document = baseline_document(row, content)
    if document is None:
        return None
    try:
        parse_assessment(document, content)
    except AssessmentError:
        return None
    return document


def since_baseline(row: SelfAssessment, diagnosis: Diagnosis) -> tuple[SinceLast | None, str | None]:
    """The change since the link's baseline in the visitor's language, or why it cannot be shown."""
    if row.baseline is None:
        return None, None
    content = current.content()
    try:
        before = parse_assessment(baseline_document(row, content) or {}, content)
    except AssessmentError as error:
        return None, "; ".join(problem.render(current.lang()) for problem in error.problems[:3])
    return since_last(diagnose(before, content), diagnosis, content, current.lang()), None


def reassessment_links(row: SelfAssessment) -> dict[str, Any]:
    """What the results page offers: start a re-assessment, and with a baseline, its day and removing it."""
    return {
        "start": url_for("diagnosis.reassess", token=row.token),
        "review": url_for("diagnosis.review", token=row.token),
        "remove": url_for("diagnosis.remove_baseline", token=row.token) if row.baseline is not None else None,
        "baseline_on": long_day(row.baseline_on, current.lang()) if row.baseline_on else None,
    }


@bp.route("/a/<token>/reassess", methods=["GET", "POST"])
def reassess(token: str) -> Any:
    """Start a re-assessment, after a page that says what it does: today's answers become the baseline."""
    row = store.find(token)
    today = local_today()
    if request.method == "GET":
        return render_template(
            "diagnosis/reassess.html", row=row, form=FlaskForm(), today=long_day(today, current.lang()),
            baseline_on=long_day(row.baseline_on, current.lang()) if row.baseline_on else None,
            has_baseline=row.baseline is not None, pages=current.pages(),
        )  # fmt: skip
    store.keep_as_baseline(token, today) or abort(404)  # CSRFProtect has already checked the form's token
    flash(
        _(
            "The re-assessment has started: your answers as of %(day)s are kept as the baseline. Change the answers "
            "that have moved since; the results and the proposal PDF show what changed.",
            day=long_day(today, current.lang()),
        )
    )
    return redirect(url_for("diagnosis.review", token=token))


@bp.route("/a/<token>/baseline/remove", methods=["GET", "POST"])
def remove_baseline(token: str) -> Any:
    """Stop comparing with the baseline, after a page that says what is lost; the answers are not touched."""
    row = store.find(token)
    if row.baseline is None:
        return redirect(url_for("diagnosis.results_page", token=token))
    if request.method == "GET":
        return render_template(
            "diagnosis/remove_baseline.html", row=row, form=FlaskForm(), pages=current.pages(),
            baseline_on=long_day(row.baseline_on, current.lang()) if row.baseline_on else None,
        )  # fmt: skip
    store.drop_baseline(token) or abort(404)
    flash(_("The baseline is removed: the results no longer compare with an earlier diagnosis."))
    return redirect(url_for("diagnosis.results_page", token=token))
