"""A round's logistics: the printable A4 handout with the join QR code, the survey link's deadline, and how far
the client has filled the survey link in (shown on the round's page)."""

from __future__ import annotations

from typing import Any

import segno
from flask import render_template, url_for
from flask_babel import format_date, format_time, lazy_gettext, to_user_timezone
from wtforms import DateTimeLocalField
from wtforms.validators import DataRequired

from assessment.engine.answering_time import minutes_to_answer
from assessment.engine.survey_progress import survey_progress
from assessment.web import current
from assessment.web.app_form import AppForm
from assessment.web.database import aware
from assessment.web.models import Engagement
from assessment.web.workshop import lifecycle
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.owned import owned


class DeadlineForm(AppForm):
    """The survey link's deadline, a day and time in the consultant's time zone."""

    deadline = DateTimeLocalField(
        lazy_gettext("Survey deadline"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[DataRequired()]
    )


def deadline_form(engagement: Engagement) -> DeadlineForm:
    """The deadline form, showing the round's deadline (if any) in the consultant's time zone."""
    form = DeadlineForm()
    if not form.is_submitted() and engagement.survey_deadline is not None:
        form.deadline.data = to_user_timezone(aware(engagement.survey_deadline)).replace(tzinfo=None)
    return form


def survey_status(engagement: Engagement) -> dict[str, Any]:
    """Whether the client's survey link has been filled in, how much, and when its pages were last saved (the
    survey's own time: a consensus save or closing the round does not move it). A new round's survey starts from
    the previous round's figures: ``carried_over`` until someone saves a survey page in this round."""
    row = ws.assessment_of(engagement)
    progress = survey_progress(row.document or {}, current.content().survey)
    saved = aware(row.survey_saved_at) if progress.started and row.survey_saved_at is not None else None
    return {
        "progress": progress,
        "carried_over": progress.started and saved is None,
        "saved": f"{format_date(saved, 'long')} {format_time(saved, 'HH:mm')}" if saved else "",
        "deadline": lifecycle.deadline_text(engagement),
        "deadline_passed": lifecycle.deadline_over(engagement),
    }


@bp.get("/engagements/<int:engagement_id>/handout")
@owned
def handout(engagement: Engagement) -> Any:
    """One printable A4 page for the room: the join QR code, the short code and link, the survey deadline."""
    join_url = url_for("respond.join", code=engagement.join_code, _external=True)
    qr = segno.make(join_url, error="m").svg_inline(scale=10, dark="#000", omitsize=True)
    return render_template(
        "workshop/handout.html", engagement=engagement, client=ws.owned_client(engagement.client_id),
        join_url=join_url, code_url=url_for("respond.join_by_code", _external=True), qr=qr,
        deadline=lifecycle.deadline_text(engagement),
        minutes=minutes_to_answer(len(current.content().checklist.items)),
    )  # fmt: skip
