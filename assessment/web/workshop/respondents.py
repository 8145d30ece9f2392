"""The respondents of a round or of a manager's team: their links (invited or joined), the links' state, and the
answers they save. Each respondent's answers live in their own row, so people answering at once never overwrite
one another.

A respondent belongs to an *owner*: a consultant's workshop round (an ``Engagement``) or a manager's self-service
diagnosis (a ``SelfAssessment``, the colleagues the manager invited). Every function here takes either, so both
have the same links, limits, expiry, revocation and conditional saves."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from flask import abort, current_app
from sqlalchemy import ColumnElement, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from assessment.engine.workshop import RespondentAnswers
from assessment.web.database import aware, now
from assessment.web.models import Engagement, Respondent, SelfAssessment, db, token_shaped
from assessment.web.store import ATTEMPTS, Closed, NotSaved, write

Owner = Engagement | SelfAssessment
MAX_DAYS = 90  # the longest a link stays open, also after extending it


class RoundFull(Exception):
    """The owner already has as many respondents as one round (READINESS_MAX_RESPONDENTS) or one manager's team
    (READINESS_MAX_TEAM_RESPONDENTS) accepts."""


def _of(owner: Owner) -> ColumnElement[bool]:
    """The respondents of ``owner``, as a WHERE clause."""
    if isinstance(owner, Engagement):
        return Respondent.engagement_id == owner.id
    return Respondent.self_assessment_id == owner.id


def _owner_ids(owner: Owner) -> dict[str, int | None]:
    is_round = isinstance(owner, Engagement)
    return {"engagement_id": owner.id if is_round else None, "self_assessment_id": None if is_round else owner.id}


def max_respondents(owner: Owner) -> int:
    """How many respondents one round, or one manager's team, takes."""
    if isinstance(owner, Engagement):
        return int(current_app.config.get("READINESS_MAX_RESPONDENTS", 200))
    return int(current_app.config.get("READINESS_MAX_TEAM_RESPONDENTS", 30))


def respondent_count(owner: Owner) -> int:
    """How many respondents the owner has (open, expired and revoked links alike)."""
    return int(db.session.execute(select(func.count()).select_from(Respondent).where(_of(owner))).scalar_one())


def respondents_of(owner: Owner) -> list[Respondent]:
    """Everyone invited, in the order they were invited."""
    return list(db.session.execute(db.select(Respondent).where(_of(owner)).order_by(Respondent.id)).scalars())


def answers_of(owner: Owner) -> list[RespondentAnswers]:
    """The respondents' answers as the core reads them (revoked links no longer count), each numbered by the
    order of invitation (a revoked link keeps its number, so the others' numbers never shift)."""
    return answers_from(respondents_of(owner))


def answers_from(invited: list[Respondent]) -> list[RespondentAnswers]:
    """``answers_of`` for an owner's respondents already loaded (everyone invited, in the order of invitation)."""
    return [
        RespondentAnswers(
            r.department,
            r.name,
            dict(r.answers or {}),
            dict(r.comments or {}),
            number,
            aware(r.answered_at) if r.answered_at is not None else None,
        )
        for number, r in enumerate(invited, start=1)
        if r.revoked_at is None
    ]


def revoke_many(owner: Owner, respondent_ids: list[int]) -> int:
    """Close the links of several of this owner's respondents at once; ids of others are ignored."""
    chosen = (
        db.session.execute(
            db.select(Respondent).where(_of(owner), Respondent.id.in_(respondent_ids), Respondent.revoked_at.is_(None))
        )
        .scalars()
        .all()
    )
    for respondent in chosen:
        respondent.revoked_at = now()
    db.session.commit()
    return len(chosen)


def invite(owner: Owner, department: str, name: str, days: int, join_key: str = "", email: str = "") -> Respondent:
    """A private answering link for one respondent, valid for ``days`` days (``email``: where the invitation and
    reminders go, if the consultant gave one).

    ``join_key`` is the join form's one-time key: the same form sent twice (a double tap, back and resend)
    finds the respondent it created rather than adding a second one, also when both sends race.
    """
    key = hashlib.sha256(f"{owner.id}:{join_key}".encode()).hexdigest() if join_key else None
    if key and (existing := _joined(key)) is not None:
        return existing
    if respondent_count(owner) >= max_respondents(owner):
        raise RoundFull(owner.id)
    respondent = Respondent(
        **_owner_ids(owner), department=department, name=name.strip(), answers={}, comments={},
        expires_at=now() + timedelta(days=min(days, MAX_DAYS)), join_key=key, email=email,
    )  # fmt: skip
    db.session.add(respondent)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _joined(key) if key else None
        if existing is None:
            raise
        return existing
    return respondent


def joined_with_key(engagement: Engagement, join_key: str) -> bool:
    """Whether the join form with this one-time key already created a respondent (a resend, not a new join)."""
    if not join_key:
        return False
    return _joined(hashlib.sha256(f"{engagement.id}:{join_key}".encode()).hexdigest()) is not None


def _joined(key: str) -> Respondent | None:
    return db.session.execute(db.select(Respondent).filter_by(join_key=key)).scalar_one_or_none()


def owned_respondent(owner: Owner, respondent_id: int) -> Respondent:
    """A respondent of this round or self-assessment, else 404 (another owner's id is not found either)."""
    respondent: Respondent | None = db.session.execute(
        db.select(Respondent).where(_of(owner), Respondent.id == respondent_id)
    ).scalar_one_or_none()
    if respondent is None:
        abort(404)
    return respondent


def revoke(respondent: Respondent) -> None:
    """Close a respondent's link; their answers stop counting (until :func:`reopen`)."""
    respondent.revoked_at = respondent.revoked_at or now()
    db.session.commit()


def reopen(respondent: Respondent, days: int) -> None:
    """Undo a revocation and give the link at least ``days`` more days; the answers count again."""
    respondent.revoked_at = None
    respondent.expires_at = max(aware(respondent.expires_at), now() + timedelta(days=days))
    db.session.commit()


def extend(respondent: Respondent, days: int) -> None:
    """Keep an open or expired link open ``days`` longer than it would have been (from today if it has expired),
    at most MAX_DAYS from today; a revoked link stays revoked (reopening it is :func:`reopen`)."""
    start = max(aware(respondent.expires_at), now())
    respondent.expires_at = min(start + timedelta(days=days), now() + timedelta(days=MAX_DAYS))
    db.session.commit()


def team_of(respondent: Respondent) -> SelfAssessment | None:
    """The manager's self-assessment a colleague answers for (None for a workshop respondent)."""
    if respondent.self_assessment_id is None:
        return None
    return db.session.get(SelfAssessment, respondent.self_assessment_id)


def respondent_by_token(token: str) -> Respondent:
    """The respondent behind an answering link, else 404 (expiry and revocation are the caller's to show)."""
    respondent = find_respondent(token)
    if respondent is None:
        abort(404)
    return respondent


def find_respondent(token: str) -> Respondent | None:
    """The respondent behind an answering link, or None for a token that is malformed or unknown."""
    if not token_shaped(token):
        return None
    return db.session.execute(db.select(Respondent).filter_by(token=token)).scalar_one_or_none()


def link_state(respondent: Respondent) -> str:
    """open, expired or revoked."""
    if respondent.revoked_at is not None:
        return "revoked"
    if aware(respondent.expires_at) <= now():
        return "expired"
    return "open"


def round_closed(respondent: Respondent) -> bool:
    """Whether the respondent answers in a workshop round that the consultant has closed."""
    if respondent.engagement_id is None:
        return False
    engagement = db.session.get(Engagement, respondent.engagement_id)
    return engagement is not None and engagement.closed_at is not None


def save_answers(respondent: Respondent, answers: dict[str, str], comments: dict[str, str], done: bool) -> None:
    """Store one respondent's page: a single-row UPDATE of that respondent only, so that many people saving
    at once never overwrite one another. The page's items are merged into the freshest row and the UPDATE is
    conditional on its revision, so the same person saving two pages from two tabs keeps both.

    The UPDATE is also conditional on the respondent's round being open, in the same statement: a save racing
    with the consultant closing the round either lands before the close (and is in its snapshot) or writes
    nothing and raises Closed. It reads the round's row under a share lock: the close holds that row's update
    lock until it commits, so on PostgreSQL (read committed, where the close's flag is invisible until then) a
    save arriving during the close waits and then reads the round closed, instead of landing after the close
    read the answers. On SQLite the close's write lock makes the save wait the same way (the lock clause is
    not rendered there)."""
    table = Respondent.__table__
    rounds = Engagement.__table__
    closed = exists().where(rounds.c.id == table.c.engagement_id, rounds.c.closed_at.is_not(None))
    still_open = or_(
        table.c.engagement_id.is_(None),  # a manager's colleague: no round to close
        exists(
            select(rounds.c.id)
            .where(rounds.c.id == table.c.engagement_id, rounds.c.closed_at.is_(None))
            .with_for_update(read=True)
        ),
    )
    read = select(table.c.answers, table.c.comments, table.c.revision, closed).where(table.c.id == respondent.id)
    for _attempt in range(ATTEMPTS):
        stored_answers, stored_comments, revision, is_closed = write(read, {})[0]
        if is_closed:
            raise Closed(respondent.id)
        merged_answers = {k: v for k, v in {**(stored_answers or {}), **answers}.items() if v}
        merged_comments = {k: v for k, v in {**(stored_comments or {}), **comments}.items() if v}
        values: dict[str, Any] = {
            "answers": merged_answers, "comments": merged_comments, "revision": revision + 1, "answered_at": now(),
        }  # fmt: skip
        if done:
            values["submitted_at"] = now()
        conditional = (
            update(table)
            .where(table.c.id == respondent.id, table.c.revision == revision, still_open)
            .values(**values)
            .returning(table.c.id)
        )
        if write(conditional, {}):
            db.session.expire(respondent)
            return
    raise NotSaved("the answers kept changing under every attempt")
