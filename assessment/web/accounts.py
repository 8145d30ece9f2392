"""Consultant accounts: sign in, sign out, change password, and the CLI command that creates an account.

Passwords are hashed with werkzeug's scrypt. Signing in starts a fresh session (nothing from before survives,
so a planted session cannot be taken over), and a password change ends every other session of the account.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import click
from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from assessment.web.app_form import AppForm
from assessment.web.models import Consultant, db
from assessment.web.security import limiter

bp = Blueprint("accounts", __name__)
login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = lazy_gettext("Please sign in to see this page.")  # type: ignore[assignment]
# Flask-Login's own IP/user-agent check is off: it writes to every anonymous visitor's session (a cookie on each
# self-assessment page) and signs out people whose phone changes network. Fixation is handled by starting a
# fresh session at sign-in, and a password change ends every other session (session_version).
login_manager.session_protection = None
MIN_PASSWORD = 10
# A hash to check against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


@login_manager.user_loader
def load_consultant(user_id: str) -> Consultant | None:
    """The signed-in consultant, if the session's password generation still matches."""
    account, _sep, version = user_id.partition(":")
    if not account.isdigit() or not version.isdigit():
        return None
    consultant = db.session.get(Consultant, int(account))
    if consultant is None or consultant.session_version != int(version):
        return None
    return consultant


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password``."""
    return generate_password_hash(password, method="scrypt")


def create_consultant(email: str, password: str, name: str = "") -> Consultant:
    """Create an account; the email is stored lower-case and must be new."""
    email = email.strip().lower()
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    if db.session.execute(db.select(Consultant).filter_by(email=email)).scalar_one_or_none() is not None:
        raise ValueError(f"an account for {email} already exists")
    consultant = Consultant(email=email, name=name.strip(), password_hash=hash_password(password))
    db.session.add(consultant)
    db.session.commit()
    return consultant


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


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login() -> Any:
    """Sign in; a wrong email or password gets the same message."""
    if current_user.is_authenticated:
        return redirect(url_for("workshop.clients"))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        consultant = db.session.execute(db.select(Consultant).filter_by(email=email)).scalar_one_or_none()
        password = form.password.data or ""
        if consultant is not None and check_password_hash(consultant.password_hash, password):
            target = _safe_next(request.args.get("next"))
            session.clear()  # a fresh session: nothing planted before sign-in carries over
            login_user(consultant)
            return redirect(target)
        if consultant is None:
            check_password_hash(_DUMMY_HASH, password)
        failed = True
    elif request.method == "POST":
        failed = True
    status = 401 if failed else 200
    return render_template("workshop/login.html", form=form, failed=failed), status


@bp.post("/logout")
@login_required
def logout() -> Any:
    """Sign out and forget the session."""
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("workshop.clients"))
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
        consultant: Consultant = current_user  # type: ignore[assignment]
        if check_password_hash(consultant.password_hash, form.current.data or ""):
            consultant.password_hash = hash_password(form.new.data or "")
            consultant.session_version += 1
            db.session.commit()
            session.clear()
            login_user(consultant)
            flash(_("Your password has been changed."))
            return redirect(url_for("workshop.clients"))
        wrong_current = True
    status = 422 if (request.method == "POST") else 200
    return render_template("workshop/password.html", form=form, wrong_current=wrong_current), status


@click.command("create-consultant")
@with_appcontext
@click.argument("email")
@click.option("--name", default="", help="the consultant's name, shown on the proposals")
@click.password_option(help="at least 10 characters (asked for when not given)")
def create_consultant_command(email: str, name: str, password: str) -> None:
    """Create a consultant account (the first one, and any later one)."""
    try:
        consultant = create_consultant(email, password, name)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"created consultant {consultant.email}")


def init_accounts(app: Flask) -> None:
    """Wire Flask-Login and the CLI command into the app."""
    login_manager.init_app(app)
    app.cli.add_command(create_consultant_command)
    app.register_blueprint(bp)
