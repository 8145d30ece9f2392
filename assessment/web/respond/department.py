"""A respondent corrects their own department while their link is open (a wrong choice on the join page should
not mean answering every statement again): their answers are kept."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from assessment.web.models import Respondent
from assessment.web.respond.blueprint import audience, bp, open_link, per_link
from assessment.web.security import limiter
from assessment.web.workshop import changes
from assessment.web.workshop.forms import department_form


@bp.route("/r/<token>/department", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"], key_func=per_link)
@open_link
def department(respondent: Respondent) -> Any:
    """The department this respondent answers for, to correct."""
    form = department_form()
    if form.validate_on_submit():
        changes.set_department(respondent, form.department.data or respondent.department, by_respondent=True)
        flash(_("The department has been changed. Your answers are kept."))
        return redirect(url_for("respond.start", token=respondent.token))
    if request.method == "GET":
        form.department.data = respondent.department
    status = 422 if request.method == "POST" else 200
    return render_template("respond/department.html", respondent=respondent, form=form, **audience(respondent)), status
