"""Who may see and change a client: its consultant (the owner), a colleague it was shared with as co-facilitator
(changes the rounds) or as reviewer (reads them). Shares hold only inside one firm; anyone else gets a 404,
exactly like an id that does not exist."""

from __future__ import annotations

from flask import abort, g, request
from flask_babel import gettext as _
from flask_login import current_user

from assessment.web.models import Client, ClientShare, Consultant, db

OWNER = "owner"
FACILITATOR = "facilitator"
REVIEWER = "reviewer"
READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")


def access_to(client: Client) -> str | None:
    """The signed-in consultant's access to ``client``: owner, facilitator, reviewer, or None."""
    me = int(current_user.id)
    if client.consultant_id == me:
        return OWNER
    owner_firm = db.session.get(Consultant, client.consultant_id)
    if owner_firm is None or owner_firm.firm_id != int(current_user.firm_id):
        return None
    share = db.session.execute(
        db.select(ClientShare.role).where(ClientShare.client_id == client.id, ClientShare.consultant_id == me)
    ).scalar_one_or_none()
    return str(share) if share in (FACILITATOR, REVIEWER) else None


def admit(client: Client) -> str:
    """Check the request may go on: the client is visible (else 404) and, unless the request only reads, the
    consultant may change it (a reviewer's change is a 403). Remembers the access for the page (``g``)."""
    level = access_to(client)
    if level is None:
        abort(404)
    g.client_access = level
    if request.method not in READ_ONLY_METHODS and level == REVIEWER:
        abort(403, description=_read_only_reason())
    return level


def require_owner(client: Client) -> None:
    """Only the client's own consultant may do this (share it, delete it, archive it): a 403 for a colleague."""
    if access_to(client) != OWNER:
        abort(
            403,
            description=_(
                "Only the client's own consultant can share, archive or delete the client. Ask them, or your "
                "firm's admin, if it needs doing."
            ),
        )


def require_edit() -> None:
    """A page that only leads to a change (a deletion's confirmation, the round's correction form): a 403 for a
    reviewer, who reads the client's pages but changes nothing."""
    if not can_edit():
        abort(403, description=_read_only_reason())


def _read_only_reason() -> str:
    return str(
        _(
            "You review this client: you can read every page of it, but not change anything. Ask its consultant to "
            "make you a co-facilitator if you need to."
        )
    )


def can_edit() -> bool:
    """Whether the page being built may offer changes (owner or co-facilitator of the client it shows)."""
    return bool(g.get("client_access") in (OWNER, FACILITATOR))


def is_owner() -> bool:
    """Whether the page being built is for the client's own consultant (who alone shares, archives, deletes)."""
    return bool(g.get("client_access") == OWNER)
