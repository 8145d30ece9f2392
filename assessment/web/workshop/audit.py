"""The workshop's audit log: who did what and when, shown as a small history on the client's page.

An entry names the consultant (none for a respondent's own change), the action, the object's type and id and a
short detail that names no person. The history of a client shows only that client's entries by its own
consultant (or by its respondents): never anything of another consultant's clients."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_date, format_time, lazy_gettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select, update

from assessment.engine.wording import role_label
from assessment.web import current
from assessment.web.database import aware
from assessment.web.models import AuditEntry, Client, Consultant, Engagement, Respondent, db

HISTORY = 20  # entries shown on a client's page
ACTIONS = {
    "client.create": lazy_gettext("Client added"),
    "client.archive": lazy_gettext("Client archived"),
    "client.restore": lazy_gettext("Client restored"),
    "client.delete": lazy_gettext("Client deleted"),
    "client.profile": lazy_gettext("Client's industry, size or next round due changed"),
    "round.create": lazy_gettext("Round started"),
    "round.edit": lazy_gettext("Round's title or date corrected"),
    "round.archive": lazy_gettext("Round archived"),
    "round.restore": lazy_gettext("Round restored"),
    "round.delete": lazy_gettext("Round deleted"),
    "round.close": lazy_gettext("Round closed"),
    "round.reopen": lazy_gettext("Round reopened"),
    "respondent.department": lazy_gettext("Respondent's department changed"),
    "respondent.delete": lazy_gettext("Respondent deleted"),
    "mail.invitation": lazy_gettext("Invitation mailed"),
    "mail.reminder": lazy_gettext("Reminder mailed"),
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


@dataclass(frozen=True)
class HistoryLine:
    """One entry as the client's page shows it: when (in the app's time zone), who, what, and about what."""

    when: str
    who: str
    what: str
    about: str
    detail: str


def history_lines(client: Client) -> list[HistoryLine]:
    """The client's latest entries, newest first, in the reader's words: times in the app's time zone (as the
    round's page shows them), rounds by their title, departments by their names; no internal id or code."""
    return [
        HistoryLine(when=_when(entry.created_at), who=who, what=action_label(entry.action),
                    about=_about(entry, client), detail=_detail(entry))
        for entry, who in history(client)
    ]  # fmt: skip


def _when(at: datetime) -> str:
    """A time as the round's page shows one ("2026年11月30日 22:53"), in the app's time zone."""
    moment = aware(at)
    return f"{format_date(moment, 'long')} {format_time(moment, 'HH:mm')}"


def _round_title(engagement_id: int | None, client: Client) -> str:
    found = db.session.get(Engagement, engagement_id) if engagement_id is not None else None
    if found is None or found.client_id != client.id:
        return str(_("Round (deleted)"))
    return str(found.title)


def _about(entry: AuditEntry, client: Client) -> str:
    """What the entry is about: a round by its title, a respondent by name (or department) and round."""
    if entry.object_type == "round":
        return _round_title(entry.object_id, client)
    if entry.object_type == "respondent":
        person = db.session.get(Respondent, entry.object_id)
        if person is None or person.engagement_id is None:
            return str(_("Respondent (deleted)"))
        name = person.name or role_label(person.department, current.content(), current.lang())
        return f"{name} · {_round_title(person.engagement_id, client)}"
    return ""  # the client itself: this page


MAILED = re.compile(r"^(?P<to>.*): (?P<taken>\d+)/(?P<total>\d+) sent$")  # mailing.py's detail
MAILED_TO = {
    "survey link": lazy_gettext("the survey link"),
    "respondents": lazy_gettext("respondents"),
    "respondent": lazy_gettext("a respondent"),  # "respondent 8": one respondent, by id
}


def _detail(entry: AuditEntry) -> str:
    """The entry's detail in the reader's words (departments by name, a round's corrections, mails sent)."""
    detail = entry.detail or ""
    if entry.action == "respondent.department" and " → " in detail:
        content, lang = current.content(), current.lang()
        before, _arrow, after = detail.partition(" → ")
        return f"{role_label(before, content, lang)} → {role_label(after, content, lang)}"
    if entry.action == "round.edit":
        parts = [
            str(_("title")) if part == "title" else str(_("date %(change)s", change=part.removeprefix("date ")))
            for part in detail.split("; ")
            if part
        ]
        return "; ".join(parts)
    mailed = MAILED.match(detail)
    if entry.action.startswith("mail.") and mailed:
        whom = MAILED_TO.get(mailed.group("to"), MAILED_TO["respondent"])
        return str(_("%(to)s: %(taken)s of %(total)s sent", to=whom, taken=mailed.group("taken"),
                     total=mailed.group("total")))  # fmt: skip
    if entry.action == "round.create":
        return detail  # the round's date
    return ""
