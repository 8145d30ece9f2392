"""Handing a leaver's clients to a colleague: choose the two, see what moves, confirm."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from assessment.web.firm import handover, roster
from assessment.web.firm.blueprint import bp
from assessment.web.firm.forms import TransferForm
from assessment.web.models import Consultant


def _label(account: Consultant) -> str:
    name = f"{account.name} <{account.email}>" if account.name else account.email
    return name if account.is_active else _("%(name)s (deactivated)", name=name)


def transfer_form() -> TransferForm:
    """The form bound to the request: anyone of the firm may be the leaver, an active colleague the receiver."""
    form = TransferForm()
    form.leaver.choices = [(str(row.account.id), _label(row.account)) for row in roster.accounts()]
    form.receiver.choices = [(str(account.id), _label(account)) for account in roster.active_accounts()]
    return form


@bp.route("/transfer", methods=["GET", "POST"])
def transfer() -> Any:
    """Choose whose clients go to whom; a summary of what moves is confirmed before anything moves."""
    form = transfer_form()
    if request.method == "GET" and request.args.get("leaver", "").isdigit():
        form.leaver.data = request.args["leaver"]
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("firm/transfer.html", form=form, firm=roster.my_firm()), status
    leaver = roster.colleague(int(form.leaver.data or 0))
    receiver = roster.colleague(int(form.receiver.data or 0))
    clients = handover.clients_of(leaver)
    if not clients:
        form.leaver.errors = [_("%(name)s has no clients to hand over.", name=leaver.name or leaver.email)]
        return render_template("firm/transfer.html", form=form, firm=roster.my_firm()), 422
    if form.confirmed.data != "1":
        return render_template(
            "firm/transfer_confirm.html", form=form, leaver=leaver, receiver=receiver, clients=clients,
            firm=roster.my_firm(),
        )  # fmt: skip
    moved = handover.hand_over(leaver, receiver)
    flash(
        ngettext(
            "%(num)s client of %(leaver)s now belongs to %(receiver)s.",
            "%(num)s clients of %(leaver)s now belong to %(receiver)s.",
            moved,
            leaver=leaver.name or leaver.email,
            receiver=receiver.name or receiver.email,
        )
    )
    return redirect(url_for("firm.accounts"))
