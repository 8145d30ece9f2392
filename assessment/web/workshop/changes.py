"""Corrections of what a consultant or respondent entered: a round's title and date, a respondent's department,
archiving (hidden, kept) and deleting (gone, with the personal data). Each change is written to the audit log."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from assessment.web.database import now
from assessment.web.models import Client, Engagement, MailSent, Proposal, Respondent, SelfAssessment, db
from assessment.web.workshop import access, audit, shares


def edit_round(engagement: Engagement, title: str, held_on: date) -> None:
    """Change a round's title and date (the comparison with the previous round follows the dates)."""
    changed = []
    if engagement.title != title.strip():
        changed.append("title")
    if engagement.held_on != held_on:
        changed.append(f"date {engagement.held_on.isoformat()} → {held_on.isoformat()}")
    engagement.title, engagement.held_on = title.strip(), held_on
    db.session.commit()
    if changed:
        audit.record("round.edit", "round", engagement.id, "; ".join(changed), client_id=engagement.client_id)


def set_department(respondent: Respondent, department: str, by_respondent: bool = False) -> None:
    """Move a respondent to another department; their answers stay theirs."""
    before = respondent.department
    if before == department:
        return
    respondent.department = department
    db.session.commit()
    engagement = db.session.get(Engagement, respondent.engagement_id) if respondent.engagement_id else None
    if engagement is not None:
        audit.record(
            "respondent.department", "respondent", respondent.id, f"{before} → {department}",
            client_id=engagement.client_id, by_respondent=by_respondent,
        )  # fmt: skip


def archive(target: Client | Engagement, archived: bool) -> None:
    """Hide a client or a round from the lists (or show it again); nothing is deleted. A client only by its own
    consultant."""
    if isinstance(target, Client):
        access.require_owner(target)
    target.archived_at = now() if archived else None
    db.session.commit()
    kind = "client" if isinstance(target, Client) else "round"
    client_id = target.id if isinstance(target, Client) else target.client_id
    audit.record(f"{kind}.{'archive' if archived else 'restore'}", kind, target.id, client_id=client_id)


def delete_respondent(respondent: Respondent, client_id: int) -> None:
    """Delete a respondent with their name, email, answers and comments, and the record of mails sent to them."""
    respondent_id = respondent.id
    db.session.execute(delete(MailSent).where(MailSent.respondent_id == respondent_id))
    db.session.delete(respondent)
    db.session.commit()
    audit.record("respondent.delete", "respondent", respondent_id, client_id=client_id)


def _drop_round(engagement: Engagement) -> None:
    db.session.execute(delete(Proposal).where(Proposal.engagement_id == engagement.id))
    db.session.execute(delete(MailSent).where(MailSent.engagement_id == engagement.id))  # the addresses mailed
    db.session.execute(delete(Respondent).where(Respondent.engagement_id == engagement.id))
    assessment_id = engagement.assessment_id
    db.session.delete(engagement)
    db.session.flush()
    db.session.execute(delete(SelfAssessment).where(SelfAssessment.id == assessment_id))


def delete_round(engagement: Engagement) -> None:
    """Delete a round: its respondents (names, emails, answers, comments), survey (and its contact's email), final
    answers, proposals and the record of mails sent."""
    engagement_id, client_id = engagement.id, engagement.client_id
    _drop_round(engagement)
    db.session.commit()
    audit.record("round.delete", "round", engagement_id, client_id=client_id)


def delete_client(client: Client) -> None:
    """Delete a client with every round of it (archived ones too), its shares and all their personal data. Only by
    its own consultant."""
    access.require_owner(client)
    client_id = client.id
    rounds = db.session.execute(select(Engagement).where(Engagement.client_id == client_id)).scalars().all()
    for engagement in rounds:
        _drop_round(engagement)
    audit.forget_client(client_id)
    shares.forget_shares(client_id)
    db.session.delete(client)
    db.session.commit()
    audit.record("client.delete", "client", client_id, client_id=None)
