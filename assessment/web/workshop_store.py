"""Persistence of the workshop mode. Every lookup of a client or engagement is scoped to the signed-in
consultant: another consultant's id is a 404, exactly like an id that does not exist."""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from assessment.engine.workshop import RespondentAnswers
from assessment.web.models import Client, Engagement, Proposal, Respondent, SelfAssessment, db, token_shaped
from assessment.web.store import ATTEMPTS, NotSaved, write


def _consultant_id() -> int:
    return int(current_user.id)


def now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: read them as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def clients() -> list[Client]:
    """The signed-in consultant's clients, newest first."""
    query = db.select(Client).filter_by(consultant_id=_consultant_id()).order_by(Client.created_at.desc())
    return list(db.session.execute(query).scalars())


def create_client(name: str) -> Client:
    """Add a client for the signed-in consultant."""
    client = Client(consultant_id=_consultant_id(), name=name.strip())
    db.session.add(client)
    db.session.commit()
    return client


def owned_client(client_id: int) -> Client:
    """The consultant's client ``client_id``, else 404."""
    client = db.session.get(Client, client_id)
    if client is None or client.consultant_id != _consultant_id():
        abort(404)
    return client


def engagements_of(client: Client) -> list[Engagement]:
    """A client's engagements, most recent round first."""
    query = (
        db.select(Engagement)
        .filter_by(client_id=client.id, consultant_id=_consultant_id())
        .order_by(Engagement.held_on.desc(), Engagement.id.desc())
    )
    return list(db.session.execute(query).scalars())


def create_engagement(client: Client, title: str, held_on: date) -> Engagement:
    """A new diagnosis round; the survey starts from the client's previous round, if any, so that figures
    and department staffing need only be updated, while answers and notes start empty."""
    previous = engagements_of(client)
    document: dict[str, Any] = {"version": 1, "client": {"name": client.name}}
    if previous:
        before = assessment_of(previous[0]).document
        document["client"] = copy.deepcopy(before.get("client") or {"name": client.name})
        if before.get("survey"):
            document["survey"] = copy.deepcopy(before["survey"])
    assessment = SelfAssessment(document=document, drafts={}, survey_only=True)
    db.session.add(assessment)
    db.session.flush()
    engagement = Engagement(
        consultant_id=_consultant_id(), client_id=client.id, title=title.strip(), held_on=held_on,
        assessment_id=assessment.id,
    )  # fmt: skip
    db.session.add(engagement)
    db.session.commit()
    return engagement


def owned_engagement(engagement_id: int) -> Engagement:
    """The consultant's engagement ``engagement_id``, else 404."""
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or engagement.consultant_id != _consultant_id():
        abort(404)
    return engagement


def assessment_of(engagement: Engagement) -> SelfAssessment:
    """The engagement's survey, final answers and narrative (a self-assessment row with its own link)."""
    return db.session.get(SelfAssessment, engagement.assessment_id)  # type: ignore[return-value]


def previous_engagement(engagement: Engagement) -> Engagement | None:
    """The client's last round before this one (by date, then by creation) with anything answered, if any.

    A round created by mistake or not held yet has no answers: comparing with it would show every item as
    newly in place, so it is passed over.
    """
    query = (
        db.select(Engagement)
        .filter(Engagement.client_id == engagement.client_id, Engagement.id != engagement.id)
        .filter(
            (Engagement.held_on < engagement.held_on)
            | ((Engagement.held_on == engagement.held_on) & (Engagement.id < engagement.id))
        )
        .order_by(Engagement.held_on.desc(), Engagement.id.desc())
    )
    return next((e for e in db.session.execute(query).scalars() if has_answers(e)), None)


def has_answers(engagement: Engagement) -> bool:
    """Whether the round holds any checklist answer: a consultant's final answer or a counting respondent's."""
    if (assessment_of(engagement).document or {}).get("checklist"):
        return True
    return any(r.answers for r in answers_of(engagement))


def respondents(engagement: Engagement) -> list[Respondent]:
    """Everyone invited to the round, in the order they were invited."""
    query = db.select(Respondent).filter_by(engagement_id=engagement.id).order_by(Respondent.id)
    return list(db.session.execute(query).scalars())


def answers_of(engagement: Engagement) -> list[RespondentAnswers]:
    """The respondents' answers as the core reads them (revoked links no longer count)."""
    return [
        RespondentAnswers(r.department, r.name, dict(r.answers or {}), dict(r.comments or {}))
        for r in respondents(engagement)
        if r.revoked_at is None
    ]


class RoundFull(Exception):
    """The round already has as many respondents as one round accepts (READINESS_MAX_RESPONDENTS)."""


def respondent_count(engagement: Engagement) -> int:
    """How many respondents the round has (open, expired and revoked links alike)."""
    return int(
        db.session.execute(
            select(func.count()).select_from(Respondent).where(Respondent.engagement_id == engagement.id)
        ).scalar_one()
    )


def revoke_many(engagement: Engagement, respondent_ids: list[int]) -> int:
    """Close the links of several of this round's respondents at once; ids of other rounds are ignored."""
    chosen = (
        db.session.execute(
            db.select(Respondent).where(
                Respondent.engagement_id == engagement.id,
                Respondent.id.in_(respondent_ids),
                Respondent.revoked_at.is_(None),
            )
        )
        .scalars()
        .all()
    )
    for respondent in chosen:
        respondent.revoked_at = now()
    db.session.commit()
    return len(chosen)


def invite(engagement: Engagement, department: str, name: str, days: int, join_key: str = "") -> Respondent:
    """A private answering link for one respondent, valid for ``days`` days.

    ``join_key`` is the join form's one-time key: the same form sent twice (a double tap, back and resend)
    finds the respondent it created rather than adding a second one, also when both sends race.
    """
    key = hashlib.sha256(f"{engagement.id}:{join_key}".encode()).hexdigest() if join_key else None
    if key and (existing := _joined(key)) is not None:
        return existing
    if respondent_count(engagement) >= int(current_app.config.get("READINESS_MAX_RESPONDENTS", 200)):
        raise RoundFull(engagement.id)
    respondent = Respondent(
        engagement_id=engagement.id, department=department, name=name.strip(), answers={}, comments={},
        expires_at=now() + timedelta(days=days), join_key=key,
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


def owned_respondent(engagement: Engagement, respondent_id: int) -> Respondent:
    """A respondent of this engagement, else 404."""
    respondent = db.session.get(Respondent, respondent_id)
    if respondent is None or respondent.engagement_id != engagement.id:
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


def save_answers(respondent: Respondent, answers: dict[str, str], comments: dict[str, str], done: bool) -> None:
    """Store one respondent's page: a single-row UPDATE of that respondent only, so that many people saving
    at once never overwrite one another. The page's items are merged into the freshest row and the UPDATE is
    conditional on its revision, so the same person saving two pages from two tabs keeps both."""
    table = Respondent.__table__
    read = select(table.c.answers, table.c.comments, table.c.revision).where(table.c.id == respondent.id)
    for _attempt in range(ATTEMPTS):
        stored_answers, stored_comments, revision = write(read, {})[0]
        merged_answers = {k: v for k, v in {**(stored_answers or {}), **answers}.items() if v}
        merged_comments = {k: v for k, v in {**(stored_comments or {}), **comments}.items() if v}
        values: dict[str, Any] = {"answers": merged_answers, "comments": merged_comments, "revision": revision + 1}
        if done:
            values["submitted_at"] = now()
        conditional = (
            update(table)
            .where(table.c.id == respondent.id, table.c.revision == revision)
            .values(**values)
            .returning(table.c.id)
        )
        if write(conditional, {}):
            db.session.expire(respondent)
            return
    raise NotSaved("the answers kept changing under every attempt")


def engagement_by_join_code(code: str) -> Engagement:
    """The engagement behind a workshop join code, else 404."""
    code = code.strip().lower()
    if not (4 <= len(code) <= 16) or not code.isalnum():
        abort(404)
    engagement = db.session.execute(db.select(Engagement).filter_by(join_code=code)).scalar_one_or_none()
    if engagement is None:
        abort(404)
    return engagement


def add_proposal(engagement: Engagement, lang: str, document: dict[str, Any], previous: dict[str, Any] | None,
                 fingerprint: str) -> Proposal:  # fmt: skip
    """Archive a proposal: the exact data it is built from, before its PDF exists."""
    proposal = Proposal(
        engagement_id=engagement.id, lang=lang, document=copy.deepcopy(document),
        previous_document=copy.deepcopy(previous) if previous else None, content_fingerprint=fingerprint,
    )  # fmt: skip
    db.session.add(proposal)
    db.session.commit()
    return proposal


def proposals(engagement: Engagement) -> list[Proposal]:
    """The engagement's archived proposals, newest first."""
    query = db.select(Proposal).filter_by(engagement_id=engagement.id).order_by(Proposal.id.desc())
    return list(db.session.execute(query).scalars())


def owned_proposal(engagement: Engagement, proposal_id: int) -> Proposal:
    """A proposal of this engagement, else 404."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.engagement_id != engagement.id:
        abort(404)
    return proposal
