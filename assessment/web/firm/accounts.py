"""The firm's accounts page: the list, a new account, a role, deactivating a leaver and reactivating."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from assessment.web.accounts.store import account_for
from assessment.web.firm import roster
from assessment.web.firm.blueprint import bp
from assessment.web.firm.forms import AccountForm, RoleForm


def _page(form: AccountForm | None = None, account_errors: dict[int, str] | None = None) -> str:
    return render_template(
        "firm/accounts.html", firm=roster.my_firm(), rows=roster.accounts(), form=form or AccountForm(),
        role_form=RoleForm(), toggle_form=FlaskForm(), account_errors=account_errors or {},
    )  # fmt: skip


def _last_admin(account_id: int) -> Any:
    message = _("The firm needs at least one active admin: make another account an admin first.")
    return _page(account_errors={account_id: message}), 422


@bp.route("/accounts", methods=["GET", "POST"])
def accounts() -> Any:
    """The firm's accounts with their role, state and clients, and a form to add one."""
    form = AccountForm()
    if form.validate_on_submit():
        if account_for(form.email.data or "") is not None:
            form.email.errors = [_("An account with this email already exists.")]
            return _page(form), 422
        password = form.password.data or ""
        account = roster.add_account(form.email.data or "", form.name.data or "", form.role.data or "", password)
        if password:
            flash(_("The account for %(email)s has been created.", email=account.email))
        else:
            flash(
                _(
                    "The account for %(email)s has been created without a password: issue a reset link from its "
                    "row so they can choose one.",
                    email=account.email,
                )
            )
        return redirect(url_for("firm.accounts") + f"#account-{account.id}")
    return _page(form), (422 if request.method == "POST" else 200)


@bp.post("/accounts/<int:account_id>/role")
def account_role(account_id: int) -> Any:
    """Make an account an admin or a consultant (never the firm's last active admin a consultant)."""
    account = roster.colleague(account_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _page(account_errors={account.id: "; ".join(map(str, form.role.errors)) or _("Please try again.")}), 422
    try:
        if roster.set_role(account, form.role.data or ""):
            flash(_("%(name)s's role has been changed.", name=account.name or account.email))
    except roster.LastAdmin:
        return _last_admin(account.id)
    return redirect(url_for("firm.accounts") + f"#account-{account.id}")


@bp.post("/accounts/<int:account_id>/deactivate")
def deactivate(account_id: int) -> Any:
    """A leaver: they cannot sign in any more and their open sign-ins end now; their clients stay until handed
    over."""
    account = roster.colleague(account_id)
    FlaskForm().validate_on_submit() or abort(400)
    try:
        roster.deactivate(account)
    except roster.LastAdmin:
        return _last_admin(account.id)
    flash(_("%(name)s's account has been deactivated: they are signed out and cannot sign in.",
            name=account.name or account.email))  # fmt: skip
    return redirect(url_for("firm.accounts") + f"#account-{account.id}")


@bp.post("/accounts/<int:account_id>/reactivate")
def reactivate(account_id: int) -> Any:
    """Let a deactivated account sign in again."""
    account = roster.colleague(account_id)
    FlaskForm().validate_on_submit() or abort(400)
    roster.reactivate(account)
    flash(_("%(name)s's account is active again.", name=account.name or account.email))
    return redirect(url_for("firm.accounts") + f"#account-{account.id}")
