"""Password reset links: one-time, valid for an hour, only the token's SHA-256 stored. A consultant asks for one
by email ("forgot your password?"), or the firm's admin issues one (shown once on the admin's page, and mailed
when the server has mail). A new link ends the account's older unused ones; using one sets the new password and
ends every sign-in of the account. A deactivated account gets no working link."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import update

from assessment.web import mail
from assessment.web.accounts.sessions import end_sessions
from assessment.web.accounts.store import account_for, hash_password
from assessment.web.database import aware, now
from assessment.web.models import Consultant, PasswordReset, db, token_shaped

log = logging.getLogger(__name__)
VALID_FOR = timedelta(hours=1)
OPEN, EXPIRED, USED, UNKNOWN = "open", "expired", "used", "unknown"
RESETS = PasswordReset.__table__


def token_hash(token: str) -> str:
    """What is stored of a link's token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(consultant: Consultant, issued_by: Consultant | None = None) -> str:
    """A new link's token for an active account (valid an hour); the account's older unused links stop working."""
    if not consultant.is_active:
        raise ValueError("a deactivated account gets no reset link")
    withdraw(consultant)
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordReset(
            consultant_id=consultant.id, token_hash=token_hash(token),
            issued_by=issued_by.id if issued_by is not None else None, expires_at=now() + VALID_FOR,
        )
    )  # fmt: skip
    db.session.commit()
    return token


def withdraw(consultant: Consultant) -> None:
    """End the account's unused links (a new link, a password changed otherwise); not committed."""
    moment = now()
    db.session.execute(
        update(RESETS)
        .where(RESETS.c.consultant_id == consultant.id, RESETS.c.used_at.is_(None), RESETS.c.expires_at > moment)
        .values(expires_at=moment)
    )


def look_up(token: str) -> tuple[str, PasswordReset | None]:
    """The link a token opens and its state: open, expired (also: replaced, or the account deactivated), used or
    unknown (a token of no link, or not even shaped like one)."""
    if not token_shaped(token):
        return UNKNOWN, None
    reset: PasswordReset | None = db.session.execute(
        db.select(PasswordReset).filter_by(token_hash=token_hash(token))
    ).scalar_one_or_none()
    if reset is None:
        return UNKNOWN, None
    if reset.used_at is not None:
        return USED, reset
    consultant = db.session.get(Consultant, reset.consultant_id)
    if consultant is None or not consultant.is_active or aware(reset.expires_at) <= now():
        return EXPIRED, reset
    return OPEN, reset


def use(reset: PasswordReset, new_password: str) -> Consultant | None:
    """Set the account's new password through an open link, once: the link is marked used in the same statement
    that checks it is open (two sends of the form: one wins), and every sign-in of the account ends. None if the
    link was no longer open."""
    moment = now()
    taken = db.session.execute(
        update(RESETS)
        .where(RESETS.c.id == reset.id, RESETS.c.used_at.is_(None), RESETS.c.expires_at > moment)
        .values(used_at=moment)
        .returning(RESETS.c.id)
    ).first()
    consultant = db.session.get(Consultant, reset.consultant_id)
    if taken is None or consultant is None or not consultant.is_active:
        db.session.rollback()
        return None
    consultant.password_hash = hash_password(new_password)
    consultant.session_version += 1
    withdraw(consultant)
    db.session.commit()
    end_sessions(consultant)
    return consultant


def mail_link(email: str) -> str:
    """Mail a link to the active account ``email`` names; with no such account, only talk to the mail server as
    a send would. "" if it went (or nobody was there), else why not: the same answer either way."""
    consultant = account_for(email)
    if consultant is None or not consultant.is_active:
        return mail.probe()
    token = issue(consultant)
    [error] = mail.send_all([reset_mail(consultant, token, None)])
    if error:
        log.warning("password reset link for account %s not mailed: %s", consultant.id, error)
    return error


def mail_issued(consultant: Consultant, token: str, issued_by: Consultant) -> str:
    """Mail a link the firm's admin issued to its account: "" if the server took it, else why not."""
    [error] = mail.send_all([reset_mail(consultant, token, issued_by)])
    return error


def reset_mail(consultant: Consultant, token: str, issued_by: Consultant | None) -> mail.Mail:
    """The mail carrying a reset link: Japanese, then English."""
    link = mail.external_url("accounts.reset", token=token)

    def body() -> str:
        if issued_by is None:
            why = _("Someone (we hope you) asked to reset the password of the Readiness account %(email)s.",
                    email=consultant.email)  # fmt: skip
        else:
            why = _("%(admin)s, your firm's admin, issued a link to reset the password of your Readiness account "
                    "%(email)s.", admin=issued_by.name or issued_by.email, email=consultant.email)  # fmt: skip
        use_it = _("Set a new password with this link. It works once, for one hour:")
        ignore = _("If you did not ask for this, ignore this mail: your password stays as it is.")
        return f"{why}\n\n{use_it}\n{link}\n\n{ignore}"

    subject = mail.in_both_languages(lambda: _("Readiness: set a new password"), " / ")
    return mail.Mail(to=consultant.email, subject=subject, body=mail.in_both_languages(body))


def colleague(consultant_id: int) -> Consultant:
    """An account of the signed-in firm admin's firm, else 404 (also for anyone who is not a firm admin)."""
    target = db.session.get(Consultant, consultant_id)
    if not current_user.is_firm_admin or target is None or target.firm_id != current_user.firm_id:
        abort(404)
    return target
