"""Review, results and the plan's start date of a self-assessment (and the end page of a workshop survey link)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, lazy_gettext
from flask_babel import gettext as _
from wtforms.fields import DateField
from wtforms.validators import InputRequired

from assessment import diagnose
from assessment.engine.assessment_file import plan_day
from assessment.engine.roadmap.calendar import next_monday
from assessment.presentation.view import build_view
from assessment.web import current, store
from assessment.web.app_form import AppForm
from assessment.web.diagnosis import view_cache
from assessment.web.diagnosis.blueprint import bp
from assessment.web.diagnosis.questionnaire import funnel_warnings
from assessment.web.diagnosis.reassessment import reassessment_links, since_baseline
from assessment.web.forms import Page, read_document_value
from assessment.web.team.section import team_document, team_section


@bp.get("/a/<token>/survey-done")
def survey_done(token: str) -> str:
    """The end of a workshop's survey link: what was sent, and a way back to change it."""
    row = store.find(token, survey_only_too=True)
    if not row.survey_only:
        abort(404)
    pages = current.pages(survey_only=True)
    return render_template(
        "diagnosis/review.html", row=row, pages=pages, document=row.document, assessment=current.parsed(row.document),
        read=read_document_value, index=len(pages), survey_only=True, funnel_warnings=funnel_warnings(row.document),
    )  # fmt: skip


@bp.get("/a/<token>/review")
def review(token: str, replace_form: Any = None, replace_error: str | None = None) -> str:
    """Everything answered, page by page, with a link back to each page, and how many statements are answered.

    Right after an import (``?imported=1``), or when retiring an earlier link failed, it also offers to make
    the earlier private link stop working (``diagnosis.replace``)."""
    row = store.find(token)
    pages = current.pages()
    assessment = current.parsed(row.document)
    open_items = {item for item, answer in assessment.answers.items() if answer == "unknown"}
    first_open = next((p.id for p in current.checklist_pages() if _asks_about(p, open_items)), pages[-1].id)
    return render_template(
        "diagnosis/review.html", row=row, pages=pages, document=row.document, assessment=assessment,
        read=read_document_value, index=len(pages), funnel_warnings=funnel_warnings(row.document),
        answered=len(assessment.answers) - len(open_items), statements=len(assessment.answers),
        first_open_page=first_open, replace_form=replace_form, replace_error=replace_error,
        offer_replace=replace_form is not None or request.args.get("imported") == "1",
    )  # fmt: skip


def _asks_about(page: Page, items: set[str]) -> bool:
    """Whether ``page`` holds one of the checklist ``items``."""
    return any(question.path.partition(".")[2] in items for question in page.questions)


class PlanStartForm(AppForm):
    """The day the plan starts (the roadmap, the first 90 days and the PDF show dates from it)."""

    start = DateField(lazy_gettext("Plan start date"), validators=[InputRequired()])


@bp.get("/a/<token>/results")
def results_page(token: str, form: PlanStartForm | None = None) -> Any:
    """Scores, risks with evidence, phase, funnel and the roadmap, with the plan's start date to change."""
    row = store.find(token)
    content = current.content()
    document = team_document(row)  # with the team's views once a colleague has answered
    assessment = current.parsed(document)
    start = assessment.plan_start or next_monday(date.today())
    key = view_cache.key_of(document, start, content.fingerprint)
    diagnosis = view_cache.remembered("diagnosis", key, lambda: diagnose(assessment, content, start))
    lang = current.lang()
    view = view_cache.remembered(f"view-{lang}", key, lambda: build_view(diagnosis, content, lang, _))
    form = form or PlanStartForm(data={"start": start})
    pages = current.pages()
    since, baseline_problem = since_baseline(row, diagnosis)
    return render_template(
        "diagnosis/results.html", row=row, view=view, pages=pages, index=len(pages) + 1, plan_form=form,
        plan_start_set=assessment.plan_start is not None, first_checklist_page=current.checklist_pages()[0].id,
        diagnosed_on=format_date(row.updated_at or date.today(), "long"),
        team=team_section(row),
        since=since, baseline_problem=baseline_problem, reassessment=reassessment_links(row),
    ), (422 if form.errors else 200)  # fmt: skip


@bp.post("/a/<token>/plan-start")
def plan_start(token: str) -> Any:
    """Set the day the plan starts; a date the form cannot read is shown on the results page with its error."""
    store.find(token)  # 404 for an unknown token or a survey-only link
    form = PlanStartForm(meta={"csrf": False})  # CSRFProtect has already checked the token
    if g.get("csrf_failed") or not form.validate():
        return results_page(token, form)
    chosen = form.start.data
    if chosen is None or plan_day(chosen) is None:
        form.start.errors = [_("Choose a date between the years 2000 and 2100.")]
        return results_page(token, form)

    def set_start(read: store.Stored) -> tuple[dict[str, Any], dict[str, Any], None]:
        read.document["plan"] = {"start": chosen.isoformat()}  # the only path this form owns
        return read.document, read.drafts, None

    store.update(token, set_start, survey_only_too=False)
    flash(_("The plan now starts on %(day)s.", day=format_date(chosen, "long")), "plan")  # shown by the form
    return redirect(url_for("diagnosis.results_page", token=token) + "#roadmap")
