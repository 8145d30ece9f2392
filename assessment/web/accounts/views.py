"""The account pages: sign in, sign out, change password (the reset links' pages are in ``reset_pages``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from assessment.web.accounts import resets
from assessment.web.accounts.blueprint import bp
from assessment.web.accounts.sessions import end_sessions, login_required, sign_in
from assessment.web.accounts.store import MIN_PASSWORD, authenticate, replace_password
from assessment.web.app_form import AppForm
from assessment.web.models import Consultant
from assessment.web.security import limiter


class LoginForm(AppForm):
    """Email and password."""

    email = EmailField(lazy_gettext("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=200)])


class PasswordForm(AppForm):
    """The current password and the new one, twice."""

    current = PasswordField(lazy_gettext("Current password"), validators=[DataRequired(), Length(max=200)])
    new = PasswordField(lazy_gettext("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)])
    confirm = PasswordField(
        lazy_gettext("New password, again"),
        validators=[EqualTo("new", message=lazy_gettext("The two new passwords are not the same."))],
    )


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no //) is followed after sign-in."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("workshop.clients")


def _account_tried() -> str:
    """The rate-limit key of the account a sign-in names (its failures back off that account, from any address)."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _sign_in_limit() -> str:
    """Sign-in attempts allowed per address (``READINESS_SIGN_IN_LIMIT``, 10 a minute unless configured)."""
    return str(current_app.config.get("READINESS_SIGN_IN_LIMIT", "10 per minute"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])  # per address (the client's, behind trusted proxies)
@limiter.limit(
    "5 per minute;20 per hour", methods=["POST"], key_func=_account_tried, deduct_when=lambda r: r.status_code == 401
)
def login() -> Any:
    """Sign in; a wrong email or password gets the same message."""
    if current_user.is_authenticated:
        return redirect(url_for("workshop.clients"))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        consultant = authenticate(form.email.data or "", form.password.data or "")
        if consultant is not None:
            target = _safe_next(request.args.get("next"))
            sign_in(consultant)
            return redirect(target)
        failed = True
    elif request.method == "POST":
        failed = True
    return render_template("accounts/login.html", form=form, failed=failed), (401 if failed else 200)


@bp.post("/logout")
@login_required
def logout() -> Any:
    """Sign out and forget the session."""
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("workshop.clients"))
    sid = session.get("sid")
    end_sessions(current_user, only=sid if isinstance(sid, str) else None)
    logout_user()
    session.clear()
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])
def change_password() -> Any:
    """Change the password; every other signed-in session of the account ends."""
    form = PasswordForm()
    wrong_current = False
    if form.validate_on_submit():
        consultant: Consultant = current_user
        if replace_password(consultant, form.current.data or "", form.new.data or ""):
            resets.withdraw(consultant)  # a reset link asked for before is no longer needed
            end_sessions(consultant)  # every sign-in of the account, this one included
            sign_in(consultant)
            flash(_("Your password has been changed."))
            return redirect(url_for("workshop.clients"))
        wrong_current = True
    status = 422 if (request.method == "POST") else 200
    return render_template("accounts/password.html", form=form, wrong_current=wrong_current), status
