"""Sharing a client with colleagues of the same firm: as co-facilitator (changes the rounds) or reviewer (reads
them). Only the client's own consultant shares; only active colleagues of the owner's firm can be chosen. Every
share, change of role and end of a share is in the client's history."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_login import current_user
from sqlalchemy import delete, select

from assessment.web.models import SHARE_ROLES, Client, ClientShare, Consultant, db
from assessment.web.workshop import audit


@dataclass(frozen=True)
class SharedWithMe:
    """A colleague's client shared with the signed-in consultant: who shared it and in which role."""

    owner: str
    role: str


def shares_of(client: Client) -> list[tuple[ClientShare, Consultant]]:
    """Who the client is shared with (colleagues of its firm only), by name."""
    query = (
        select(ClientShare, Consultant)
        .join(Consultant, Consultant.id == ClientShare.consultant_id)
        .where(ClientShare.client_id == client.id, Consultant.firm_id == _firm_of(client))
        .order_by(Consultant.name, Consultant.email)
    )
    return [(share, colleague) for share, colleague in db.session.execute(query).all()]


def colleagues_to_choose(client: Client) -> list[Consultant]:
    """The active colleagues of the owner's firm the client is not shared with yet, by name."""
    already = select(ClientShare.consultant_id).where(ClientShare.client_id == client.id)
    query = (
        select(Consultant)
        .where(
            Consultant.firm_id == _firm_of(client),
            Consultant.id != client.consultant_id,
            Consultant.deactivated_at.is_(None),
            Consultant.id.not_in(already),
        )
        .order_by(Consultant.name, Consultant.email)
    )
    return list(db.session.execute(query).scalars())


def share(client: Client, colleague: Consultant, role: str) -> None:
    """Share the client with an active colleague of its firm (chosen from ``colleagues_to_choose``)."""
    if role not in SHARE_ROLES or colleague.id not in {c.id for c in colleagues_to_choose(client)}:
        raise ValueError("only an active colleague of the firm, not yet sharing, in a known role")
    db.session.add(ClientShare(client_id=client.id, consultant_id=colleague.id, role=role))
    db.session.commit()
    audit.record("client.share", "client", client.id, f"#{colleague.id} {role}", client_id=client.id)


def share_with(client: Client, colleague_id: int) -> ClientShare:
    """The client's share with colleague ``colleague_id``, else 404."""
    found = db.session.execute(
        select(ClientShare).where(ClientShare.client_id == client.id, ClientShare.consultant_id == colleague_id)
    ).scalar_one_or_none()
    if found is None:
        abort(404)
    return found


def set_role(client: Client, held: ClientShare, role: str) -> None:
    """Make a colleague co-facilitator or reviewer of the client."""
    if role not in SHARE_ROLES:
        raise ValueError("unknown share role")
    if held.role == role:
        return
    held.role = role
    db.session.commit()
    audit.record("client.share_role", "client", client.id, f"#{held.consultant_id} {role}", client_id=client.id)


def stop(client: Client, held: ClientShare) -> None:
    """Stop sharing the client with a colleague: the client is a 404 for them from now on."""
    colleague_id = held.consultant_id
    db.session.delete(held)
    db.session.commit()
    audit.record("client.unshare", "client", client.id, f"#{colleague_id}", client_id=client.id)


def forget_shares(client_id: int) -> None:
    """Remove every share of a client being deleted; not committed."""
    db.session.execute(delete(ClientShare).where(ClientShare.client_id == client_id))


def shared_with_me() -> dict[int, SharedWithMe]:
    """The colleagues' clients shared with the signed-in consultant (within the firm), by client id."""
    query = (
        select(ClientShare.client_id, ClientShare.role, Consultant.name, Consultant.email)
        .join(Client, Client.id == ClientShare.client_id)
        .join(Consultant, Consultant.id == Client.consultant_id)
        .where(ClientShare.consultant_id == int(current_user.id), Consultant.firm_id == int(current_user.firm_id))
    )
    return {
        client_id: SharedWithMe(owner=name or email, role=role)
        for client_id, role, name, email in db.session.execute(query).all()
    }


def _firm_of(client: Client) -> int:
    owner = db.session.get(Consultant, client.consultant_id)
    return int(owner.firm_id) if owner is not None else -1
