"""A round's lifecycle: open, then closed by the consultant (every answer kept, no edit taken, the diagnosis
frozen as a snapshot), and reopened if need be; who closed and reopened it, and when, is kept on the round.

Closing and every save agree through the database: each save's UPDATE carries the condition that the round is
open, in the same statement, and closing flips that flag first and then, in the same transaction (holding
SQLite's write lock), reads the answers into the snapshot. A save either committed before the flag (and is in
the snapshot) or finds the round closed and writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import render_template
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import null, update

from assessment.engine.workshop import workshop_document
from assessment.web import current
from assessment.web.database import aware, now
from assessment.web.models import Client, Consultant, Engagement, Respondent, SelfAssessment, db
from assessment.web.workshop import access, audit
from assessment.web.workshop import respondents as rs
from assessment.web.workshop import store as ws

ROUNDS = Engagement.__table__
ROWS = SelfAssessment.__table__


def close(engagement: Engagement, by: Consultant) -> bool:
    """Close the round: stop every edit and keep the round's diagnosis as of now. False if it was closed."""
    flipped = db.session.execute(
        update(ROUNDS)
        .where(ROUNDS.c.id == engagement.id, ROUNDS.c.closed_at.is_(None))
        .values(closed_at=now())
        .returning(ROUNDS.c.id)
    ).first()
    if flipped is None:
        db.session.rollback()
        return False
    db.session.execute(
        update(ROWS)
        .where(ROWS.c.id == engagement.assessment_id)
        .values(closed=True, revision=ROWS.c.revision + 1, updated_at=ROWS.c.updated_at)  # not a save: no new time
    )
    db.session.expire_all()  # read what is stored now, inside this transaction: no save can land any more
    people = rs.answers_of(engagement)
    document = workshop_document(ws.assessment_of(engagement).document, people, current.content())
    engagement.snapshot = {
        "document": document,
        "respondents": [
            {"department": p.department, "name": p.name, "answers": p.answers, "comments": p.comments} for p in people
        ],
    }
    _record(engagement, "closed", by)
    db.session.commit()
    audit.record("round.close", "round", engagement.id, client_id=engagement.client_id)
    return True


def reopen(engagement: Engagement, by: Consultant) -> bool:
    """Open the round again: edits are taken and the live answers count (the snapshot is dropped until the
    round is closed again). False if it was open."""
    flipped = db.session.execute(
        update(ROUNDS)
        .where(ROUNDS.c.id == engagement.id, ROUNDS.c.closed_at.is_not(None))
        .values(closed_at=None, snapshot=null())
        .returning(ROUNDS.c.id)
    ).first()
    if flipped is None:
        db.session.rollback()
        return False
    db.session.execute(
        update(ROWS).where(ROWS.c.id == engagement.assessment_id).values(closed=False, updated_at=ROWS.c.updated_at)
    )
    db.session.expire_all()
    _record(engagement, "reopened", by)
    db.session.commit()
    audit.record("round.reopen", "round", engagement.id, client_id=engagement.client_id)
    return True


def _record(engagement: Engagement, event: str, by: Consultant) -> None:
    entry = {"event": event, "at": now().isoformat(), "by": str(by.name or by.email), "by_id": int(by.id)}
    engagement.lifecycle = [*(engagement.lifecycle or []), entry]


def history(engagement: Engagement) -> list[str]:
    """The round's closings and reopenings, oldest first, as sentences ("2026年11月30日 10:05 山田が締め切り")."""
    lines = []
    for entry in engagement.lifecycle or []:
        try:
            at = datetime.fromisoformat(str(entry.get("at")))
        except ValueError:
            continue
        when = f"{format_date(at, 'long')} {format_time(at, 'HH:mm')}"
        name = str(entry.get("by") or "")
        if entry.get("event") == "closed":
            lines.append(_("%(when)s: closed by %(name)s", when=when, name=name))
        else:
            lines.append(_("%(when)s: reopened by %(name)s", when=when, name=name))
    return lines


def round_of(respondent: Respondent) -> Engagement | None:
    """The workshop round a respondent answers in (None for a manager's colleague)."""
    return db.session.get(Engagement, respondent.engagement_id) if respondent.engagement_id is not None else None


def round_of_survey(assessment_id: int) -> Engagement | None:
    """The round whose survey link (and final answers) a self-assessment row holds, if any."""
    found: Engagement | None = db.session.execute(
        db.select(Engagement).filter_by(assessment_id=assessment_id)
    ).scalar_one_or_none()
    return found


def closed_page(engagement: Engagement | None, deadline: str = "") -> tuple[str, int]:
    """What a respondent's link, the join code or the survey link answer while the round is closed (or, with
    ``deadline``, the survey link after its deadline): kindly, whom to ask. 410 like any closed link (the private
    paths are never cached, so reopening or moving the deadline shows at once)."""
    consultant = db.session.get(Consultant, engagement.consultant_id) if engagement is not None else None
    name = str(consultant.name or "") if consultant is not None else ""
    return render_template("respond/round_closed.html", consultant=name, deadline=deadline), 410


def past_deadline(engagement: Engagement | None) -> bool:
    """Whether the round's survey deadline has passed. The round's own consultant, signed in, is not bound by it
    (they may still fill the survey in for the client); closing the round binds everyone."""
    if engagement is None or (current_user.is_authenticated and _may_edit(engagement)):
        return False
    return deadline_over(engagement)


def _may_edit(engagement: Engagement) -> bool:
    client = db.session.get(Client, engagement.client_id)
    return client is not None and access.access_to(client) in (access.OWNER, access.FACILITATOR)


def deadline_over(engagement: Engagement) -> bool:
    """Whether the round has a survey deadline and it is now past."""
    return engagement.survey_deadline is not None and aware(engagement.survey_deadline) <= now()


def survey_refused(engagement: Engagement | None) -> tuple[str, int]:
    """The survey link's answer when it takes no change: the round is closed, or its deadline has passed."""
    if engagement is None or is_closed(engagement):
        return closed_page(engagement)
    return closed_page(engagement, deadline=deadline_text(engagement))


def deadline_text(engagement: Engagement | None) -> str:
    """The round's survey deadline in the reader's words and time zone ("2026年12月4日 17:00"), or ""."""
    if engagement is None or engagement.survey_deadline is None:
        return ""
    at = aware(engagement.survey_deadline)
    return f"{format_date(at, 'long')} {format_time(at, 'HH:mm')}"


def is_closed(engagement: Engagement) -> bool:
    """Whether the round is closed."""
    return engagement.closed_at is not None


def state(engagement: Engagement) -> dict[str, Any]:
    """What the round's page shows of its lifecycle: closed or not, since when, and the history."""
    return {"closed": is_closed(engagement), "history": history(engagement)}
