"""The consultant's clients (their own and those colleagues shared with them), and each client's rounds."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from assessment.web.models import Client
from assessment.web.workshop import audit, shares
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.forms import SHARE_ROLE_CHOICES, SHARE_ROLE_NAMES, ClientForm, EngagementForm, ShareForm
from assessment.web.workshop.owned import owned


@bp.route("/clients", methods=["GET", "POST"])
def clients() -> Any:
    """The consultant's clients, and a form to add one."""
    form = ClientForm()
    if form.validate_on_submit():
        added = ws.create_client(form.name.data or "")
        audit.record("client.create", "client", added.id, client_id=added.id)
        return redirect(url_for("workshop.client", client_id=added.id))
    status = 422 if request.method == "POST" else 200
    rows = [(each, ws.engagements_of(each)) for each in ws.clients()]
    return render_template(
        "workshop/clients.html", form=form, rows=rows, archived=ws.clients(archived=True), toggle_form=FlaskForm(),
        shared=shares.shared_with_me(), role_names=SHARE_ROLE_NAMES,
    ), status  # fmt: skip


@bp.route("/clients/<int:client_id>", methods=["GET", "POST"])
@owned
def client(client: Client) -> Any:
    """A client's diagnosis rounds, and a form to start the next one."""
    form = EngagementForm()
    if form.validate_on_submit():
        engagement = ws.create_engagement(client, form.title.data or "", form.held_on.data or date.today())
        audit.record("round.create", "round", engagement.id, engagement.held_on.isoformat(), client_id=client.id)
        return redirect(url_for("workshop.engagement", engagement_id=engagement.id))
    return client_page(client, form), (422 if request.method == "POST" else 200)


def client_page(
    client: Client, form: EngagementForm | None = None, share_form: ShareForm | None = None,
    share_errors: dict[int, list[str]] | None = None,
) -> str:  # fmt: skip
    """The client's page: its rounds, the next round's form, who it is shared with (its owner shares) and its
    history. A reviewer gets it with no editing form."""
    rounds = ws.engagements_of(client)
    if share_form is None:
        share_form = ShareForm(formdata=None)
    share_form.colleague.choices = share_form.colleague.choices or [
        (str(c.id), f"{c.name} <{c.email}>") for c in shares.colleagues_to_choose(client)
    ]
    return render_template(
        "workshop/client.html", client=client, form=form or EngagementForm(formdata=None), toggle_form=FlaskForm(),
        history=audit.history_lines(client),
        engagements=[e for e in rounds if e.archived_at is None], archived=[e for e in rounds if e.archived_at],
        shares=shares.shares_of(client), share_form=share_form, share_errors=share_errors or {},
        share_roles=dict(SHARE_ROLE_CHOICES), role_names=SHARE_ROLE_NAMES,
        my_share=shares.shared_with_me().get(client.id),
    )  # fmt: skip
