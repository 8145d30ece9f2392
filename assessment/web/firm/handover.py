"""Handing a leaver's clients to a colleague of the same firm: every client they own, archived ones too, with all
its rounds. The receiver owns them from then on, so any share the receiver held on them is removed; the other
colleagues' shares stay. Each client's move is in its history (the audit log)."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from assessment.web.models import Client, ClientShare, Consultant, Engagement, db
from assessment.web.workshop import audit


def clients_of(account: Consultant) -> list[Client]:
    """Every client ``account`` owns (archived ones too), by name."""
    query = select(Client).where(Client.consultant_id == account.id).order_by(Client.name, Client.id)
    return list(db.session.execute(query).scalars())


def hand_over(leaver: Consultant, receiver: Consultant) -> int:
    """Move every client of ``leaver`` and its rounds to ``receiver`` (both of one firm); how many moved."""
    if leaver.firm_id != receiver.firm_id or leaver.id == receiver.id:
        raise ValueError("a handover is between two accounts of one firm")
    moved = [client.id for client in clients_of(leaver)]
    if not moved:
        return 0
    db.session.execute(update(Client).where(Client.id.in_(moved)).values(consultant_id=receiver.id))
    db.session.execute(update(Engagement).where(Engagement.client_id.in_(moved)).values(consultant_id=receiver.id))
    db.session.execute(
        delete(ClientShare).where(ClientShare.client_id.in_(moved), ClientShare.consultant_id == receiver.id)
    )
    db.session.commit()
    for client_id in moved:
        detail = f"#{leaver.id} → #{receiver.id}"
        audit.record("client.transfer", "client", client_id, detail, client_id=client_id)
    return len(moved)
