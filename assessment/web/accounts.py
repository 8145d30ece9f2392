"""Consultant accounts: sign in, sign out, change password, and the CLI command that creates an account.

Passwords are hashed with werkzeug's scrypt. Signing in starts a fresh session (nothing from before survives,
so a planted session cannot be taken over) and records the sign-in on the server (``LoginSession``). Every
request checks it: logging out, a password change (which ends every sign-in of the account) or the idle
timeout (``READINESS_IDLE_HOURS``, 8 by default) end it, and a copied cookie then opens nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import click
from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from assessment.web.app_form import AppForm
from assessment.web.models import Consultant, LoginSession, db
from assessment.web.security import limiter
from assessment.web.workshop_store import aware

bp = Blueprint("accounts", __name__)
login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = lazy_gettext("Please sign in to see this page.")  # type: ignore[assignment]
# Flask-Login's own IP/user-agent check is off: it writes to every anonymous visitor's session (a cookie on each
# self-assessment page) and signs out people whose phone changes network. Fixation is handled by starting a
# fresh session at sign-in, and a password change ends every other session (session_version).
login_manager.session_protection = None
MIN_PASSWORD = 10
TOUCH_EVERY = timedelta(minutes=1)  # how often a sign-in's last activity is written (not on every request)
# A hash to check against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


@login_manager.user_loader
def load_consultant(user_id: str) -> Consultant | None:
    """The signed-in consultant, if the session's password generation still matches and its sign-in is still
    open on the server (not logged out, not ended by a password change, not idle past the timeout)."""
    account, _sep, version = user_id.partition(":")
    if not account.isdigit() or not version.isdigit() or len(account) > 18:
        return None
    consultant = db.session.get(Consultant, int(account))
    if consultant is None or consultant.session_version != int(version):
        return None
    if not _session_alive(consultant):
        return None
    return consultant


def _session_alive(consultant: Consultant) -> bool:
    """Whether the cookie's sign-in is open on the server; touches it (at most once a minute) when it is."""
    sid = session.get("sid")
    if not isinstance(sid, str) or not sid:
        return False
    held = db.session.get(LoginSession, sid)
    if held is None or held.consultant_id != consultant.id or held.ended_at is not None:
        return False
    current = datetime.now(UTC)
    idle = timedelta(hours=float(current_app.config.get("READINESS_IDLE_HOURS", 8)))
    last_seen = aware(held.last_seen_at)
    if current - last_seen > idle:
        held.ended_at = current
        db.session.commit()
        return False
    if current - last_seen > TOUCH_EVERY:
        held.last_seen_at = current
        db.session.commit()
    return True


def _sign_in(consultant: Consultant) -> None:
    """A fresh session (nothing planted before sign-in carries over) with a sign-in held on the server."""
    session.clear()
    held = LoginSession(consultant_id=consultant.id)
    db.session.add(held)
    db.session.commit()
    session["sid"] = held.id
    login_user(consultant)


def _end_sessions(consultant: Consultant, only: str | None = None) -> None:
    """End the consultant's open sign-ins on the server (``only``: just that one)."""
    query = db.update(LoginSession).where(LoginSession.consultant_id == consultant.id, LoginSession.ended_at.is_(None))
    if only is not None:
        query = query.where(LoginSession.id == only)
    db.session.execute(query.values(ended_at=datetime.now(UTC)))
    db.session.commit()


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


def _account_tried() -> str:
    """The rate-limit key of the account a sign-in names (its failures back off that account, from any address)."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])  # per address (the client's, behind trusted proxies)
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
        email = (form.email.data or "").strip().lower()
        consultant = db.session.execute(db.select(Consultant).filter_by(email=email)).scalar_one_or_none()
        password = form.password.data or ""
        if consultant is not None and check_password_hash(consultant.password_hash, password):
            target = _safe_next(request.args.get("next"))
            _sign_in(consultant)
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
    sid = session.get("sid")
    _end_sessions(current_user, only=sid if isinstance(sid, str) else None)  # type: ignore[arg-type]
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
            _end_sessions(consultant)  # every sign-in of the account, this one included
            _sign_in(consultant)
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
