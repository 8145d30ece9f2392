"""The workshop's audit log: who did what and when, shown as a small history on the client's page.

An entry names the consultant (none for a respondent's own change), the action, the object's type and id and a
short detail that names no person. The history of a client shows only that client's entries by its own
consultant (or by its respondents): never anything of another consultant's clients."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import or_, select, update

from assessment.web.models import AuditEntry, Client, Consultant, db

HISTORY = 20  # entries shown on a client's page
ACTIONS = {
    "client.create": lazy_gettext("Client added"),
    "client.archive": lazy_gettext("Client archived"),
    "client.restore": lazy_gettext("Client restored"),
    "client.delete": lazy_gettext("Client deleted"),
    "round.create": lazy_gettext("Round started"),
    "round.edit": lazy_gettext("Round's title or date corrected"),
    "round.archive": lazy_gettext("Round archived"),
    "round.restore": lazy_gettext("Round restored"),
    "round.delete": lazy_gettext("Round deleted"),
    "respondent.department": lazy_gettext("Respondent's department changed"),
    "respondent.delete": lazy_gettext("Respondent deleted"),
    "client.share": lazy_gettext("Client shared with a colleague"),
    "client.share_role": lazy_gettext("Colleague's role on the client changed"),
    "client.unshare": lazy_gettext("Client no longer shared with a colleague"),
    "client.transfer": lazy_gettext("Client handed over to another consultant"),
}


def action_label(action: str) -> str:
    """An action in the reader's words."""
    return str(ACTIONS.get(action, action))


def record(
    action: str, object_type: str, object_id: int, detail: str = "", *, client_id: int | None,
    by_respondent: bool = False,
) -> None:  # fmt: skip
    """Add one entry (its own small transaction, after the change it records was committed)."""
    consultant_id = None if by_respondent else int(current_user.id)
    entry = AuditEntry(
        consultant_id=consultant_id, client_id=client_id, action=action, object_type=object_type,
        object_id=object_id, detail=detail[:200],
    )  # fmt: skip
    db.session.add(entry)
    db.session.commit()


def history(client: Client) -> list[tuple[AuditEntry, str]]:
    """The client's latest entries, newest first, each with the name of the consultant who made it ("" for a
    respondent)."""
    query = (
        select(AuditEntry, Consultant.name)
        .outerjoin(Consultant, Consultant.id == AuditEntry.consultant_id)
        .where(
            AuditEntry.client_id == client.id,
            or_(Consultant.firm_id == _firm_of(client), AuditEntry.consultant_id.is_(None)),
        )
        .order_by(AuditEntry.id.desc())
        .limit(HISTORY)
    )
    return [(entry, name or "") for entry, name in db.session.execute(query).all()]


def _firm_of(client: Client) -> int:
    owner = db.session.get(Consultant, client.consultant_id)
    return int(owner.firm_id) if owner is not None else -1


def forget_client(client_id: int) -> None:
    """Detach a deleted client's entries from its id (which SQLite may give to a new client); not committed."""
    db.session.execute(update(AuditEntry).where(AuditEntry.client_id == client_id).values(client_id=None))
