"""The password reset pages: "forgot your password?" (a link by email, the same answer whether or not the
account exists), the page a link opens to set the new password, and the firm admin's "issue a reset link"."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from assessment.web import mail
from assessment.web.accounts import resets
from assessment.web.accounts.blueprint import bp
from assessment.web.accounts.sessions import login_required
from assessment.web.accounts.store import MIN_PASSWORD
from assessment.web.app_form import AppForm
from assessment.web.security import limiter


class ForgotForm(AppForm):
    """The account's email."""

    email = EmailField(lazy_gettext("Email"), validators=[DataRequired(), Length(max=254), mail.address_field])


class ResetForm(AppForm):
    """The new password, twice."""

    new = PasswordField(lazy_gettext("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)])
    confirm = PasswordField(
        lazy_gettext("New password, again"),
        validators=[EqualTo("new", message=lazy_gettext("The two new passwords are not the same."))],
    )


def _address_asked() -> str:
    """The rate-limit key of the address a reset is asked for (any address: known or not, it counts the same)."""
    return "reset:" + (request.form.get("email") or "").strip().lower()[:254]


def _reset_limit() -> str:
    """Reset requests allowed per client address: like sign-ins (``READINESS_SIGN_IN_LIMIT``)."""
    return str(current_app.config.get("READINESS_SIGN_IN_LIMIT", "10 per minute"))


@bp.route("/account/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])  # per client address
@limiter.limit("3 per hour;10 per day", methods=["POST"], key_func=_address_asked)  # per account asked for
def forgot() -> Any:
    """Ask for a reset link by email: whatever the address, the same answer (nobody learns who has an account)."""
    form = ForgotForm()
    if not mail.configured():
        return render_template("accounts/forgot.html", form=form, configured=False)
    if not form.validate_on_submit():
        return render_template("accounts/forgot.html", form=form, configured=True), (
            422 if request.method == "POST" else 200
        )
    error = resets.mail_link(form.email.data or "")
    return render_template("accounts/forgot.html", form=form, configured=True, asked=True, failed=bool(error)), (
        503 if error else 200
    )


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def reset(token: str) -> Any:
    """The page a reset link opens: the new password, twice. Used, it ends every sign-in of the account."""
    state, found = resets.look_up(token)
    if state != resets.OPEN or found is None:
        return _closed(state)
    form = ResetForm()
    if form.validate_on_submit():
        if resets.use(found, form.new.data or "") is None:
            return _closed(resets.EXPIRED)
        flash(_("Your new password is set. Please sign in with it."))
        return redirect(url_for("accounts.login"))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/reset.html", form=form, minimum=MIN_PASSWORD), status


def _closed(state: str) -> tuple[str, int]:
    """A link that opens nothing: 404 for a token of no link, 410 for one used, expired or replaced."""
    status = 404 if state == resets.UNKNOWN else 410
    return render_template("accounts/reset_closed.html", state=state, mail_configured=mail.configured()), status


@bp.post("/accounts/<int:consultant_id>/reset-link")
@login_required
@limiter.limit("30 per minute")
def issue_reset(consultant_id: int) -> Any:
    """A firm admin issues a reset link for an account of the firm: shown once here, and mailed if the server
    has mail. Anyone else, or an account of another firm: 404."""
    target = resets.colleague(consultant_id)
    FlaskForm().validate_on_submit() or abort(400)
    if not target.is_active:
        return render_template("accounts/reset_issued.html", account=target, link="", mailed=None), 409
    token = resets.issue(target, issued_by=current_user)
    mailed = resets.mail_issued(target, token, current_user) if mail.configured() else None
    link = mail.external_url("accounts.reset", token=token)
    reason = mail.reason_text(mailed) if mailed else ""
    return render_template("accounts/reset_issued.html", account=target, link=link, mailed=mailed, reason=reason)
