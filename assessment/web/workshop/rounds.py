"""A diagnosis round's home: the survey link, the join link, the invite links with their state, and next steps."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, to_utc
from flask_login import current_user
from flask_wtf import FlaskForm

from assessment.engine.wording import role_label
from assessment.web import current
from assessment.web.database import is_database_id
from assessment.web.models import Engagement, Respondent
from assessment.web.security import limiter
from assessment.web.workshop import lifecycle, logistics, mailing
from assessment.web.workshop import respondents as rs
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.forms import InviteForm, department_choices, invite_form
from assessment.web.workshop.owned import owned

REOPEN_DAYS = 14  # a reopened link stays open at least this long


@bp.get("/engagements/<int:engagement_id>")
@owned
def engagement(engagement: Engagement) -> Any:
    """The round's home: survey link, join link, invite links with their state, and the next steps."""
    return dashboard(engagement), 200


def dashboard(
    engagement: Engagement, form: InviteForm | None = None, department_errors: dict[int, list[str]] | None = None,
    mail_errors: dict[int | None, tuple[str, list[str]]] | None = None, refused: str = "",
) -> str:  # fmt: skip
    """The round's home page; ``department_errors``: why a respondent's department could not be changed;
    ``mail_errors``: an email refused, as typed, with why (by respondent id; None: the client contact's);
    ``refused``: why a change sent from a page that was out of date was not made."""
    content, lang = current.content(), current.lang()
    total = len(content.checklist.items)
    rows = [
        {"respondent": r, "state": rs.link_state(r), "answered": len(r.answers or {}), "total": total,
         "department": role_label(r.department, content, lang)}
        for r in ws.respondents(engagement)
    ]  # fmt: skip
    return render_template(
        "workshop/engagement.html", engagement=engagement, client=ws.owned_client(engagement.client_id),
        assessment=ws.assessment_of(engagement), form=form or invite_form(), rows=rows,
        departments=department_choices(), department_errors=department_errors or {},
        previous=ws.previous_engagement(engagement),
        join_url=url_for("respond.join", code=engagement.join_code, _external=True), toggle_form=FlaskForm(),
        lifecycle=lifecycle.state(engagement), survey=logistics.survey_status(engagement),
        deadline_form=logistics.deadline_form(engagement),
        mail=mailing.page_state(engagement), mail_errors=mail_errors or {}, refused=refused,
    )  # fmt: skip


def closed_refusal(engagement: Engagement) -> tuple[str, int] | None:
    """A closed round takes no change to its links, join link or deadline (its page no longer offers them; a page
    left open from before the closing may still send one): the round's page, saying so, with a 409."""
    if not lifecycle.is_closed(engagement):
        return None
    why = _(
        "Not changed: this round is closed, so its links, join link and deadline stay as they are. Reopen the "
        "round first."
    )
    return dashboard(engagement, refused=why), 409


@bp.post("/engagements/<int:engagement_id>/invites")
@limiter.limit("120 per minute")
@owned
def add_invite(engagement: Engagement) -> Any:
    """Create an answering link for one respondent."""
    if (refusal := closed_refusal(engagement)) is not None:
        return refusal
    form = invite_form()
    if not form.validate_on_submit():
        return dashboard(engagement, form), 422
    try:
        respondent = rs.invite(
            engagement, form.department.data or "other", form.name.data or "", form.days.data or 14,
            email=form.email.data or "",
        )  # fmt: skip
    except rs.RoundFull:
        form.department.errors = [
            _(
                "This round already has %(n)s respondents, as many as one round takes. Revoke links nobody "
                "uses, or start another round.",
                n=rs.respondent_count(engagement),
            )
        ]
        return dashboard(engagement, form), 422
    name = respondent.name or role_label(respondent.department, current.content(), current.lang())
    flash(_("Link created for %(name)s.", name=name))
    return redirect(url_for("workshop.engagement", engagement_id=engagement.id) + f"#respondent-{respondent.id}")


@bp.post("/engagements/<int:engagement_id>/respondents/<int:respondent_id>/revoke")
@owned
def revoke(engagement: Engagement, respondent: Respondent) -> Any:
    """Close one respondent's link; their answers stop counting until it is reopened."""
    if (refusal := closed_refusal(engagement)) is not None:
        return refusal
    FlaskForm().validate_on_submit() or abort(400)
    rs.revoke(respondent)
    return redirect(url_for("workshop.engagement", engagement_id=engagement.id))


@bp.post("/engagements/<int:engagement_id>/respondents/revoke")
@owned
def revoke_selected(engagement: Engagement) -> Any:
    """Close several respondents' links at once (after a flood of joins, or at the end of a round)."""
    if (refusal := closed_refusal(engagement)) is not None:
        return refusal
    FlaskForm().validate_on_submit() or abort(400)
    chosen = [int(value) for value in request.form.getlist("respondent")[:1000] if is_database_id(value)]
    closed = rs.revoke_many(engagement, chosen)
    flash(ngettext("%(num)s link closed.", "%(num)s links closed.", closed))
    return redirect(url_for("workshop.engagement", engagement_id=engagement.id))


@bp.post("/engagements/<int:engagement_id>/respondents/<int:respondent_id>/reopen")
@owned
def reopen(engagement: Engagement, respondent: Respondent) -> Any:
    """Open a revoked or expired link again (for another two weeks at least); its answers count again."""
    if (refusal := closed_refusal(engagement)) is not None:
        return refusal
    FlaskForm().validate_on_submit() or abort(400)
    rs.reopen(respondent, REOPEN_DAYS)
    return redirect(url_for("workshop.engagement", engagement_id=engagement.id) + f"#respondent-{respondent.id}")


@bp.post("/engagements/<int:engagement_id>/join")
@owned
def toggle_join(engagement: Engagement) -> Any:
    """Open or close the workshop's join link."""
    if (refusal := closed_refusal(engagement)) is not None:
        return refusal
    FlaskForm().validate_on_submit() or abort(400)
    ws.set_join_open(engagement, request.form.get("open") == "1")
    return redirect(url_for("workshop.engagement", engagement_id=engagement.id))


@bp.post("/engagements/<int:engagement_id>/close")
@owned
def close_round(engagement: Engagement) -> Any:
    """Close the round: every answer is kept, no edit is taken, the results and the PDF keep what is there now."""
    FlaskForm().validate_on_submit() or abort(400)
    if lifecycle.close(engagement, current_user):
        flash(_("The round is closed. Its answers are kept as they are now; nobody can change them."))
    return redirect(url_for("workshop.engagement", engagement_id=engagement.id) + "#round-state")


@bp.post("/engagements/<int:engagement_id>/reopen")
@owned
def reopen_round(engagement: Engagement) -> Any:
    """Open a closed round again: its links take edits and the results follow the live answers."""
    FlaskForm().validate_on_submit() or abort(400)
    if lifecycle.reopen(engagement, current_user):
        flash(_("The round is open again: answers can be changed until you close it."))
    return redirect(url_for("workshop.engagement", engagement_id=engagement.id) + "#round-state")


@bp.post("/engagements/<int:engagement_id>/deadline")
@owned
def set_deadline(engagement: Engagement) -> Any:
    """Set, move or remove the survey link's deadline (a day and time in the consultant's time zone)."""
    if (refusal := closed_refusal(engagement)) is not None:
        return refusal
    form = logistics.DeadlineForm()
    if request.form.get("action") == "clear":
        FlaskForm().validate_on_submit() or abort(400)
        ws.set_survey_deadline(engagement, None)
        flash(_("The survey deadline is removed: the survey link takes changes until the round is closed."))
    elif form.validate_on_submit() and form.deadline.data is not None:
        ws.set_survey_deadline(engagement, to_utc(form.deadline.data))  # typed in the consultant's time zone
        flash(_("The survey link takes changes until %(when)s.", when=lifecycle.deadline_text(engagement)))
    else:
        flash(_("The deadline was not changed: please give it as a day and a time."))
    return redirect(url_for("workshop.engagement", engagement_id=engagement.id) + "#survey")
