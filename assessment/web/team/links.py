"""The team page: the manager creates a private answering link per department or per person, copies it, sees
whether it was answered, and revokes, extends or reopens it. Revoking keeps the answers but stops them counting
until the link is reopened, as in a workshop round."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from assessment.engine.wording import role_label
from assessment.web import current
from assessment.web.database import aware
from assessment.web.models import Respondent, SelfAssessment
from assessment.web.security import limiter
from assessment.web.team.blueprint import bp, managed, per_diagnosis
from assessment.web.team.section import answered
from assessment.web.workshop import respondents as rs
from assessment.web.workshop.forms import InviteForm, invite_form

EXTEND_DAYS = 14  # extending or reopening a link adds two weeks


@bp.get("/a/<token>/team")
@managed
def team(row: SelfAssessment) -> Any:
    """The manager's colleagues: their links with their state, and the form for a new link."""
    return _team_page(row, invite_form()), 200


def _team_page(row: SelfAssessment, form: InviteForm) -> str:
    content, lang = current.content(), current.lang()
    total = len(content.checklist.items)
    rows = [
        {"respondent": r, "state": rs.link_state(r), "answered": len(r.answers or {}), "total": total,
         "department": role_label(r.department, content, lang), "expires": format_date(aware(r.expires_at)),
         "last": format_datetime(aware(r.answered_at), "short") if r.answered_at else "",
         "url": url_for("respond.start", token=r.token, _external=True)}
        for r in rs.respondents_of(row)
    ]  # fmt: skip
    errors = [(field.id, field.label.text, " ".join(map(str, field.errors))) for field in form if field.errors]
    return render_template(
        "team/team.html", row=row, form=form, rows=rows, errors=errors, action_form=FlaskForm(),
        answered=len(answered(row)), limit=rs.max_respondents(row), extend_days=EXTEND_DAYS, statements=total,
    )  # fmt: skip


@bp.post("/a/<token>/team/links")
@limiter.limit("20 per minute;100 per hour", key_func=per_diagnosis)
@limiter.limit("60 per minute;300 per hour")  # per address
@managed
def add_link(row: SelfAssessment) -> Any:
    """Create a private answering link for a department (optionally for a named person)."""
    form = invite_form()
    if not form.validate_on_submit():
        return _team_page(row, form), 422
    try:
        respondent = rs.invite(row, form.department.data or "other", form.name.data or "", form.days.data or 14)
    except rs.RoundFull:
        form.department.errors = [
            _(
                "This diagnosis already has %(n)s answering links, as many as it takes. Revoked and expired "
                "links count too: reopen one of them rather than creating another.",
                n=rs.respondent_count(row),
            )
        ]
        return _team_page(row, form), 422
    name = respondent.name or role_label(respondent.department, current.content(), current.lang())
    flash(_("Link created for %(name)s. Copy it and send it to them.", name=name))
    return redirect(url_for("team.team", token=row.token) + f"#link-{respondent.id}")


@bp.post("/a/<token>/team/links/<int:respondent_id>/revoke")
@managed
def revoke(row: SelfAssessment, respondent: Respondent) -> Any:
    """Close a link: it opens nothing any more; its answers are kept but stop counting until it is reopened."""
    FlaskForm().validate_on_submit() or abort(400)
    rs.revoke(respondent)
    flash(_("The link is revoked. Its answers no longer count; reopen it to count them again."))
    return redirect(url_for("team.team", token=row.token) + f"#link-{respondent.id}")


@bp.post("/a/<token>/team/links/<int:respondent_id>/extend")
@managed
def extend(row: SelfAssessment, respondent: Respondent) -> Any:
    """Keep a link open two weeks longer; a revoked link is reopened (its answers count again)."""
    FlaskForm().validate_on_submit() or abort(400)
    if respondent.revoked_at is not None:
        rs.reopen(respondent, EXTEND_DAYS)
    else:
        rs.extend(respondent, EXTEND_DAYS)
    flash(_("The link is open until %(day)s.", day=format_date(aware(respondent.expires_at))))
    return redirect(url_for("team.team", token=row.token) + f"#link-{respondent.id}")
