"""Correcting a round: its title and date (the comparison with the previous round follows the dates) and a
respondent's department (their answers stay as they are)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from assessment.web.models import Engagement, Respondent
from assessment.web.workshop import access, changes, lifecycle
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.forms import RoundEditForm, department_form
from assessment.web.workshop.owned import owned
from assessment.web.workshop.rounds import dashboard


@bp.route("/engagements/<int:engagement_id>/edit", methods=["GET", "POST"])
@owned
def edit_round(engagement: Engagement) -> Any:
    """The round's title and date, to correct; archiving or deleting the round (not for a reviewer)."""
    access.require_edit()
    form = RoundEditForm(obj=engagement)
    if form.validate_on_submit():
        changes.edit_round(engagement, form.title.data or "", form.held_on.data or engagement.held_on)
        flash(_("The round's title and date have been saved."))
        return redirect(url_for("workshop.engagement", engagement_id=engagement.id))
    status = 422 if request.method == "POST" else 200
    client = ws.owned_client(engagement.client_id)
    return render_template("workshop/round_edit.html", engagement=engagement, client=client, form=form), status


@bp.post("/engagements/<int:engagement_id>/respondents/<int:respondent_id>/department")
@owned
def respondent_department(engagement: Engagement, respondent: Respondent) -> Any:
    """Move a respondent to the department they really answer for; their answers are kept. Refused (409, with
    why) while the round is closed: its answers, and whom they count for, are frozen until it is reopened."""
    form = department_form()
    if lifecycle.is_closed(engagement):
        why = _("The round is closed: reopen it to change a respondent's department.")
        return dashboard(engagement, department_errors={respondent.id: [why]}), 409
    if not form.validate_on_submit():
        return dashboard(engagement, department_errors={respondent.id: list(form.department.errors)}), 422
    changes.set_department(respondent, form.department.data or respondent.department)
    flash(_("The department has been changed."))
    return redirect(url_for("workshop.engagement", engagement_id=engagement.id) + f"#respondent-{respondent.id}")
