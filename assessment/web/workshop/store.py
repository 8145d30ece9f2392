"""Persistence of the workshop mode. Every lookup of a client or engagement is scoped to the signed-in
consultant's clients and those shared with them (``access``): anyone else's id is a 404, exactly like an id that
does not exist."""

from __future__ import annotations

import copy
import hashlib
from datetime import date, datetime
from typing import Any

from flask import abort
from flask_login import current_user

from assessment.engine.workshop import RespondentAnswers
from assessment.web.models import Client, ClientShare, Consultant, Engagement, Proposal, Respondent, SelfAssessment, db
from assessment.web.workshop import access
from assessment.web.workshop import respondents as rs


def _consultant_id() -> int:
    return int(current_user.id)


def clients(archived: bool = False) -> list[Client]:
    """The signed-in consultant's clients and those colleagues of the firm shared with them (the archived ones,
    or the others), newest first."""
    shared = (
        db.select(ClientShare.client_id)
        .join(Client, Client.id == ClientShare.client_id)
        .join(Consultant, Consultant.id == Client.consultant_id)
        .where(ClientShare.consultant_id == _consultant_id(), Consultant.firm_id == int(current_user.firm_id))
    )
    query = (
        db.select(Client)
        .where((Client.consultant_id == _consultant_id()) | Client.id.in_(shared))
        .order_by(Client.created_at.desc(), Client.id.desc())
    )
    query = query.where(Client.archived_at.is_not(None) if archived else Client.archived_at.is_(None))
    return list(db.session.execute(query).scalars())


def create_client(name: str) -> Client:
    """Add a client for the signed-in consultant."""
    client = Client(consultant_id=_consultant_id(), name=name.strip())
    db.session.add(client)
    db.session.commit()
    return client


def owned_client(client_id: int) -> Client:
    """Client ``client_id`` if the consultant may see it (and change it, unless the request only reads), else
    404 (403 for a reviewer's change)."""
    client = db.session.get(Client, client_id)
    if client is None:
        abort(404)
    access.admit(client)
    return client


def engagements_of(client: Client) -> list[Engagement]:
    """A client's engagements, most recent round first."""
    query = (
        db.select(Engagement).filter_by(client_id=client.id).order_by(Engagement.held_on.desc(), Engagement.id.desc())
    )
    return list(db.session.execute(query).scalars())


def create_engagement(client: Client, title: str, held_on: date) -> Engagement:
    """A new diagnosis round; the survey starts from the client's previous round, if any, so that figures
    and department staffing need only be updated, while answers and notes start empty. The client's profile
    (industry, head count), when filled in, is the company profile the round starts from."""
    previous = engagements_of(client)
    document: dict[str, Any] = {"version": 1, "client": {"name": client.name}}
    if previous:
        before = assessment_of(previous[0]).document
        document["client"] = copy.deepcopy(before.get("client") or {"name": client.name})
        if before.get("survey"):
            document["survey"] = copy.deepcopy(before["survey"])
    if client.employees is not None:
        document["client"]["employees"] = client.employees
    if client.industry:
        document["client"]["industry"] = client.industry
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
    """Engagement ``engagement_id`` if the consultant may see its client (and change it, unless the request only
    reads), else 404 (403 for a reviewer's change)."""
    engagement = db.session.get(Engagement, engagement_id)
    client = db.session.get(Client, engagement.client_id) if engagement is not None else None
    if engagement is None or client is None:
        abort(404)
    access.admit(client)
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
        .filter(Engagement.archived_at.is_(None))  # an archived (test) round is not compared with
        .filter(
            (Engagement.held_on < engagement.held_on)
            | ((Engagement.held_on == engagement.held_on) & (Engagement.id < engagement.id))
        )
        .order_by(Engagement.held_on.desc(), Engagement.id.desc())
    )
    return next((e for e in db.session.execute(query).scalars() if has_answers(e)), None)


def rounds_so_far(engagement: Engagement) -> list[Engagement]:
    """The client's rounds up to and including this one, oldest first (by date, then by creation): those with
    anything answered and not archived, as ``previous_engagement`` picks them, then this one."""
    query = (
        db.select(Engagement)
        .filter(Engagement.client_id == engagement.client_id, Engagement.id != engagement.id)
        .filter(Engagement.archived_at.is_(None))
        .filter(
            (Engagement.held_on < engagement.held_on)
            | ((Engagement.held_on == engagement.held_on) & (Engagement.id < engagement.id))
        )
        .order_by(Engagement.held_on, Engagement.id)
    )
    return [*(e for e in db.session.execute(query).scalars() if has_answers(e)), engagement]


def engagement_by_join_code(code: str) -> Engagement:
    """The engagement behind a workshop join code, else 404."""
    code = code.strip().lower()
    if not (4 <= len(code) <= 16) or not code.isalnum():
        abort(404)
    engagement: Engagement | None = db.session.execute(
        db.select(Engagement).filter_by(join_code=code)
    ).scalar_one_or_none()
    if engagement is None:
        abort(404)
    return engagement


def add_proposal(engagement: Engagement, lang: str, document: dict[str, Any], previous: dict[str, Any] | None,
                 fingerprint: str, trend: list[dict[str, Any]] | None = None) -> Proposal:  # fmt: skip
    """Archive a proposal: the exact data it is built from, before its PDF exists."""
    proposal = Proposal(
        engagement_id=engagement.id, lang=lang, document=copy.deepcopy(document),
        previous_document=copy.deepcopy(previous) if previous else None, content_fingerprint=fingerprint,
        trend=copy.deepcopy(trend) if trend else None,
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


def keep_proposal_pdf(proposal: Proposal, data: bytes) -> None:
    """Store an archived proposal's rendered PDF with its SHA-256, so what was sent stays as it was."""
    proposal.pdf = data
    proposal.sha256 = hashlib.sha256(data).hexdigest()
    db.session.commit()


def set_join_open(engagement: Engagement, is_open: bool) -> None:
    """Open or close the round's join link."""
    engagement.join_open = is_open
    db.session.commit()


def set_survey_deadline(engagement: Engagement, when: datetime | None) -> None:
    """Set (a naive UTC time, as SQLite keeps it) or remove the survey link's deadline."""
    engagement.survey_deadline = when
    db.session.commit()


def respondents(engagement: Engagement) -> list[Respondent]:
    """Everyone invited to the round, in the order they were invited."""
    return rs.respondents_of(engagement)


def answers_of(engagement: Engagement) -> list[RespondentAnswers]:
    """The respondents' answers as the core reads them (revoked links no longer count); a closed round's as
    they stood when it was closed (its snapshot)."""
    frozen = snapshot_of(engagement)
    if frozen is not None:
        return [
            RespondentAnswers(str(r.get("department") or "other"), str(r.get("name") or ""),
                              dict(r.get("answers") or {}), dict(r.get("comments") or {}))
            for r in frozen.get("respondents") or []
        ]  # fmt: skip
    return rs.answers_of(engagement)


def snapshot_of(engagement: Engagement) -> dict[str, Any] | None:
    """A closed round's snapshot (``document``: the round's assessment document as of closing, ``respondents``:
    everyone's answers and comments then); None while the round is open, when the live rows count."""
    if engagement.closed_at is None or not isinstance(engagement.snapshot, dict):
        return None
    return engagement.snapshot


def has_answers(engagement: Engagement) -> bool:
    """Whether the round holds any checklist answer: a consultant's final answer or a counting respondent's."""
    if (assessment_of(engagement).document or {}).get("checklist"):
        return True
    return any(r.answers for r in answers_of(engagement))
