"""Sign-ins held on the server: a cookie opens nothing once its sign-in has ended."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar, cast

import flask_login
from flask import current_app, session
from flask_babel import lazy_gettext
from flask_login import LoginManager, login_user

from assessment.web.database import aware, now
from assessment.web.models import Consultant, LoginSession, db

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = lazy_gettext("Please sign in to see this page.")
# Flask-Login's own IP/user-agent check is off: it writes to every anonymous visitor's session (a cookie on each
# self-assessment page) and signs out people whose phone changes network. Fixation is handled by starting a
# fresh session at sign-in, and a password change ends every other session (session_version).
login_manager.session_protection = None
TOUCH_EVERY = timedelta(minutes=1)  # how often a sign-in's last activity is written (not on every request)


View = TypeVar("View", bound=Callable[..., Any])


def login_required(view: View) -> View:
    """Flask-Login's ``login_required`` with its type kept: a signed-out visitor is sent to the sign-in page."""
    return cast(View, flask_login.login_required(view))


@login_manager.user_loader  # type: ignore[untyped-decorator]  # Flask-Login publishes no types
def load_consultant(user_id: str) -> Consultant | None:
    """The signed-in consultant, if the session's password generation still matches and its sign-in is still
    open on the server (not logged out, not ended by a password change, not idle past the timeout)."""
    account, _sep, version = user_id.partition(":")
    if not account.isdigit() or not version.isdigit() or len(account) > 18:
        return None
    consultant = db.session.get(Consultant, int(account))
    if consultant is None or consultant.session_version != int(version) or not consultant.is_active:
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
    moment = now()
    idle = timedelta(hours=float(current_app.config.get("READINESS_IDLE_HOURS", 8)))
    last_seen = aware(held.last_seen_at)
    if moment - last_seen > idle:
        held.ended_at = moment
        db.session.commit()
        return False
    if moment - last_seen > TOUCH_EVERY:
        held.last_seen_at = moment
        db.session.commit()
    return True


def sign_in(consultant: Consultant) -> None:
    """A fresh session (nothing planted before sign-in carries over) with a sign-in held on the server."""
    session.clear()
    held = LoginSession(consultant_id=consultant.id)
    db.session.add(held)
    db.session.commit()
    session["sid"] = held.id
    login_user(consultant)


def end_sessions(consultant: Consultant, only: str | None = None) -> None:
    """End the consultant's open sign-ins on the server (``only``: just that one)."""
    query = db.update(LoginSession).where(LoginSession.consultant_id == consultant.id, LoginSession.ended_at.is_(None))
    if only is not None:
        query = query.where(LoginSession.id == only)
    db.session.execute(query.values(ended_at=now()))
    db.session.commit()
