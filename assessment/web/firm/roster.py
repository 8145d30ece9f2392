"""The firm's accounts: listing them with their clients, adding one, changing a role, deactivating a leaver (their
sign-ins end at once) and reactivating. The firm always keeps one active admin. Each change is in the audit log."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import abort
from flask_login import current_user
from sqlalchemy import func, select

from assessment.web.accounts.sessions import end_sessions
from assessment.web.accounts.store import create_consultant
from assessment.web.database import now
from assessment.web.models import Client, Consultant, Firm, db
from assessment.web.workshop import audit


class LastAdmin(Exception):
    """The change would leave the firm with no active admin."""


@dataclass(frozen=True)
class AccountRow:
    """One account of the firm, with how many clients it owns (archived ones too)."""

    account: Consultant
    clients: int


def my_firm() -> Firm:
    """The signed-in admin's firm."""
    firm = db.session.get(Firm, int(current_user.firm_id))
    if firm is None:  # an account always has a firm; a broken row is not shown as anything else
        abort(404)
    return firm


def accounts() -> list[AccountRow]:
    """The firm's accounts, active ones first, by name, each with the number of clients it owns."""
    owned = (
        select(Client.consultant_id, func.count(Client.id).label("clients")).group_by(Client.consultant_id).subquery()
    )
    query = (
        select(Consultant, func.coalesce(owned.c.clients, 0))
        .outerjoin(owned, owned.c.consultant_id == Consultant.id)
        .where(Consultant.firm_id == int(current_user.firm_id))
        .order_by(Consultant.deactivated_at.is_not(None), Consultant.name, Consultant.email)
    )
    return [AccountRow(account, int(count)) for account, count in db.session.execute(query).all()]


def colleague(account_id: int) -> Consultant:
    """Account ``account_id`` of the signed-in admin's firm, else 404 (another firm's id like a missing one)."""
    account = db.session.get(Consultant, account_id)
    if account is None or account.firm_id != int(current_user.firm_id):
        abort(404)
    return account


def active_accounts() -> list[Consultant]:
    """The firm's active accounts, by name."""
    query = (
        select(Consultant)
        .where(Consultant.firm_id == int(current_user.firm_id), Consultant.deactivated_at.is_(None))
        .order_by(Consultant.name, Consultant.email)
    )
    return list(db.session.execute(query).scalars())


def add_account(email: str, name: str, role: str, password: str = "") -> Consultant:
    """A new account in the admin's firm. Without a password it gets a random one nobody knows: it signs in
    once the admin has issued it a reset link. Raises ``ValueError`` for an email that already has an account."""
    account = create_consultant(email, password or secrets.token_urlsafe(32), name, firm=my_firm(), role=role)
    audit.record("account.create", "account", account.id, role, client_id=None)
    return account


def _active_admins(firm_id: int) -> int:
    query = select(func.count(Consultant.id)).where(
        Consultant.firm_id == firm_id, Consultant.role == "admin", Consultant.deactivated_at.is_(None)
    )
    return int(db.session.scalar(query) or 0)


def _would_leave_no_admin(account: Consultant) -> bool:
    """Whether ``account`` is the firm's last active admin."""
    return account.is_firm_admin and account.is_active and _active_admins(account.firm_id) <= 1


def set_role(account: Consultant, role: str) -> bool:
    """Make ``account`` an admin or a consultant; False when nothing changed. Raises ``LastAdmin`` rather than
    demote the firm's last active admin."""
    if account.role == role:
        return False
    if role != "admin" and _would_leave_no_admin(account):
        raise LastAdmin
    before = account.role
    account.role = role
    db.session.commit()
    audit.record("account.role", "account", account.id, f"{before} → {role}", client_id=None)
    return True


def deactivate(account: Consultant) -> None:
    """A leaver: they can no longer sign in, and every sign-in they have open ends now. Their clients stay theirs
    until handed over. Raises ``LastAdmin`` for the firm's last active admin."""
    if not account.is_active:
        return
    if _would_leave_no_admin(account):
        raise LastAdmin
    account.deactivated_at = now()
    db.session.commit()
    end_sessions(account)
    audit.record("account.deactivate", "account", account.id, client_id=None)


def reactivate(account: Consultant) -> None:
    """Let a deactivated account sign in again (with its password as it was)."""
    if account.is_active:
        return
    account.deactivated_at = None
    db.session.commit()
    audit.record("account.reactivate", "account", account.id, client_id=None)
