"""Archiving and deleting: respondents, rounds and clients. Deleting asks first (a confirmation page; the POST
carries the CSRF token) and removes the personal data for good; archiving only hides from the lists."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from assessment.engine.wording import role_label
from assessment.web import current
from assessment.web.models import Client, Engagement, Respondent
from assessment.web.workshop import access, changes
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.owned import owned


def _confirm(title: str, what: str, back: str, archive_url: str | None = None) -> Any:
    return render_template(
        "workshop/confirm_delete.html", title=title, what=what, back=back, archive_url=archive_url, form=FlaskForm()
    )


def _checked() -> None:
    FlaskForm().validate_on_submit() or abort(400)


@bp.route("/engagements/<int:engagement_id>/respondents/<int:respondent_id>/delete", methods=["GET", "POST"])
@owned
def delete_respondent(engagement: Engagement, respondent: Respondent) -> Any:
    """Delete a (test) respondent with their name, answers and comments, after asking."""
    access.require_edit()
    back = url_for("workshop.engagement", engagement_id=engagement.id)
    if request.method == "GET":
        name = respondent.name or role_label(respondent.department, current.content(), current.lang())
        return _confirm(_("Delete the respondent %(name)s?", name=name),
                        _("Their name, answers and comments are deleted for good."), back)  # fmt: skip
    _checked()
    changes.delete_respondent(respondent, engagement.client_id)
    flash(_("The respondent has been deleted."))
    return redirect(back)


@bp.route("/engagements/<int:engagement_id>/delete", methods=["GET", "POST"])
@owned
def delete_round(engagement: Engagement) -> Any:
    """Delete a round with everything in it, after asking (archiving is offered instead)."""
    access.require_edit()
    if request.method == "GET":
        return _confirm(
            _("Delete the round %(title)s?", title=engagement.title),
            _("Its respondents (names, answers, comments), survey, final answers and proposals are deleted for good."),
            url_for("workshop.edit_round", engagement_id=engagement.id),
            url_for("workshop.archive_round", engagement_id=engagement.id),
        )
    _checked()
    client_id = engagement.client_id
    changes.delete_round(engagement)
    flash(_("The round has been deleted."))
    return redirect(url_for("workshop.client", client_id=client_id))


@bp.post("/engagements/<int:engagement_id>/archive")
@owned
def archive_round(engagement: Engagement) -> Any:
    """Hide a round from the client's list and from comparisons (or show it again)."""
    _checked()
    changes.archive(engagement, request.form.get("archived", "1") == "1")
    return redirect(url_for("workshop.client", client_id=engagement.client_id))


@bp.route("/clients/<int:client_id>/delete", methods=["GET", "POST"])
@owned
def delete_client(client: Client) -> Any:
    """Delete a client with every round and all its personal data, after asking (archiving is offered instead).
    Only its own consultant may."""
    access.require_owner(client)
    if request.method == "GET":
        return _confirm(
            _("Delete the client %(name)s?", name=client.name),
            _(
                "Every round of this client is deleted for good: respondents' names, answers and comments, the "
                "survey, the final answers and the proposals."
            ),
            url_for("workshop.client", client_id=client.id),
            url_for("workshop.archive_client", client_id=client.id),
        )
    _checked()
    changes.delete_client(client)
    flash(_("The client has been deleted."))
    return redirect(url_for("workshop.clients"))


@bp.post("/clients/<int:client_id>/archive")
@owned
def archive_client(client: Client) -> Any:
    """Hide a client from the list (or show it again); nothing is deleted. Only its own consultant may."""
    access.require_owner(client)
    _checked()
    changes.archive(client, request.form.get("archived", "1") == "1")
    return redirect(url_for("workshop.clients"))
