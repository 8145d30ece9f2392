"""Sharing a client (its own consultant only): with an active colleague of the firm as co-facilitator or
reviewer, changing the role, stopping. A colleague's or reviewer's attempt is a 403; an unknown share a 404."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from assessment.web.models import Client, Consultant, db
from assessment.web.workshop import access, shares
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.clients import client_page
from assessment.web.workshop.forms import ShareForm, ShareRoleForm
from assessment.web.workshop.owned import owned


def _back(client: Client) -> Any:
    return redirect(url_for("workshop.client", client_id=client.id) + "#sharing")


def _name(colleague: Consultant | None) -> str:
    return (colleague.name or colleague.email) if colleague is not None else ""


@bp.post("/clients/<int:client_id>/shares")
@owned
def share_client(client: Client) -> Any:
    """Share the client with a colleague of the firm, as co-facilitator or reviewer."""
    access.require_owner(client)
    form = ShareForm()
    form.colleague.choices = [(str(c.id), f"{c.name} <{c.email}>") for c in shares.colleagues_to_choose(client)]
    if not form.validate_on_submit():
        return client_page(client, share_form=form), 422
    colleague = db.session.get(Consultant, int(form.colleague.data or 0))
    if colleague is None:
        abort(404)
    shares.share(client, colleague, form.role.data or "")
    flash(_("%(client)s is now shared with %(name)s.", client=client.name, name=_name(colleague)))
    return _back(client)


@bp.post("/clients/<int:client_id>/shares/<int:colleague_id>/role")
@owned
def share_role(client: Client, colleague_id: int) -> Any:
    """Make a colleague the client is shared with co-facilitator or reviewer."""
    access.require_owner(client)
    held = shares.share_with(client, colleague_id)
    form = ShareRoleForm()
    if not form.validate_on_submit():
        return client_page(client, share_errors={colleague_id: list(map(str, form.role.errors))}), 422
    shares.set_role(client, held, form.role.data or "")
    flash(_("%(name)s's role has been changed.", name=_name(db.session.get(Consultant, colleague_id))))
    return _back(client)


@bp.post("/clients/<int:client_id>/shares/<int:colleague_id>/remove")
@owned
def stop_sharing(client: Client, colleague_id: int) -> Any:
    """Stop sharing the client with a colleague: it is a 404 for them from now on."""
    access.require_owner(client)
    held = shares.share_with(client, colleague_id)
    FlaskForm().validate_on_submit() or abort(400)
    shares.stop(client, held)
    flash(_("%(client)s is no longer shared with %(name)s.", client=client.name,
            name=_name(db.session.get(Consultant, colleague_id))))  # fmt: skip
    return _back(client)
