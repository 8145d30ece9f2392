"""What the web app stores: self-assessments (the document in the interchange format) and the workshop mode's
consultants, clients, engagements, respondents and archived proposals."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the app's tables."""


db = SQLAlchemy(model_class=Base)


def new_token() -> str:
    """An unguessable token for a resume link (256 bits)."""
    return secrets.token_urlsafe(32)


def token_shaped(text: str) -> bool:
    """Whether ``text`` could be one of our tokens (URL-safe, 20-64 characters): anything else is not looked up."""
    return 20 <= len(text) <= 64 and text.replace("-", "").replace("_", "").isalnum()


def new_join_code() -> str:
    """A short code for the workshop's join link and QR code (8 characters, about 40 bits; the link can be closed)."""
    alphabet = "23456789abcdefghjkmnpqrstuvwxyz"  # nothing that reads alike on a projector (0/o, 1/l/i)
    return "".join(secrets.choice(alphabet) for _ in range(8))


def _now() -> datetime:
    return datetime.now(UTC)


class SelfAssessment(db.Model):  # type: ignore[name-defined,misc]
    """A manager's diagnosis in progress or done, reachable only through its secret token."""

    __tablename__ = "self_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True, default=new_token)
    document: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    drafts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # A workshop round's survey link: the client may fill in the company profile and funnel only; the
    # checklist (the consultant's final answers), notes, results and exports stay with the consultant.
    survey_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A re-assessment's baseline: the earlier diagnosis (a document in the same format) and the day it stood so.
    baseline: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    baseline_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # A closed workshop round's survey link and final answers: every save is conditional on this being false.
    closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
    # When the survey's pages (company profile, funnel figures) were last saved: the survey's own "last saved",
    # which neither a consensus save nor closing the round moves. None: never saved here (a new round's survey
    # holds the previous round's figures, carried over and not yet confirmed).
    survey_saved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Firm(db.Model):  # type: ignore[name-defined,misc]
    """A consulting firm: its consultants, its look on screen and in proposals, its library of narrative snippets.
    Nothing is ever shared across firms."""

    __tablename__ = "firms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # Branding set by the firm's admin in the UI (empty: the server's READINESS_* branding, else neutral).
    accent_color: Mapped[str] = mapped_column(String(7), default="", server_default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # a checked PNG or JPEG
    logo_type: Mapped[str] = mapped_column(String(20), default="", server_default="")  # image/png, image/jpeg
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


ROLES = ("admin", "consultant")  # a firm admin also runs workshops: the role adds the firm's accounts and look


class Consultant(db.Model):  # type: ignore[name-defined,misc]
    """A consultant's account in a firm: sees their own clients and those a colleague shared with them."""

    __tablename__ = "consultants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id", name="fk_consultants_firm_id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="consultant", server_default="consultant")
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(400))
    session_version: Mapped[int] = mapped_column(Integer, default=0)  # bumped on password change: other sessions end
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # a leaver

    # Flask-Login's user interface (written out: UserMixin's get_id would not carry the session version).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        """A deactivated account cannot sign in, and its sessions end."""
        return self.deactivated_at is None

    @property
    def is_firm_admin(self) -> bool:
        """Whether the account manages its firm's accounts, look and snippets."""
        return self.role == "admin"

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: the account and its session version."""
        return f"{self.id}:{self.session_version}"


class LoginSession(db.Model):  # type: ignore[name-defined,misc]
    """One sign-in of a consultant, held on the server: logout, a password change or the idle timeout end it,
    and a copied cookie of an ended session opens nothing."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_token)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("consultants.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Client(db.Model):  # type: ignore[name-defined,misc]
    """A consultant's client company."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("consultants.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # hidden, kept
    # The portfolio's fields: the client's industry, its head count, and when its next round is due.
    industry: Mapped[str] = mapped_column(String(100), default="", server_default="")
    employees: Mapped[int | None] = mapped_column(Integer, nullable=True)
    next_round_on: Mapped[date | None] = mapped_column(Date, nullable=True)


SHARE_ROLES = ("facilitator", "reviewer")  # co-facilitator: edits the rounds; reviewer: reads them


class ClientShare(db.Model):  # type: ignore[name-defined,misc]
    """A client shared by its consultant with a colleague of the same firm, as co-facilitator or reviewer."""

    __tablename__ = "client_shares"
    __table_args__ = (UniqueConstraint("client_id", "consultant_id", name="uq_client_shares_client_consultant"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("consultants.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Engagement(db.Model):  # type: ignore[name-defined,misc]
    """One dated diagnosis round for a client: survey, respondents, consensus, proposals."""

    __tablename__ = "engagements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("consultants.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessments.id"))  # survey, final answers, notes
    join_code: Mapped[str] = mapped_column(String(16), unique=True, index=True, default=new_join_code)
    join_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # Closed: no answer of the round changes (respondents' saves are conditional on this being empty), and the
    # results, the PDF and the next round's comparison read ``snapshot``, the round's document as of closing.
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # Who closed and reopened the round, when: [{"event": "closed"|"reopened", "at": ISO time, "by": name}, ...]
    lifecycle: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # hidden, kept
    # When the client's survey link stops taking changes (shown on it and on the respondents' pages); None: no date.
    survey_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The client's contact the survey link is mailed to (optional; personal data, deleted with the round).
    survey_email: Mapped[str] = mapped_column(String(254), default="", server_default="")


# A respondent answers either in a consultant's workshop round or for a manager's self-service diagnosis (their
# team's view): exactly one of the two is set.
ONE_OWNER = (
    "(engagement_id IS NOT NULL AND self_assessment_id IS NULL) OR "
    "(engagement_id IS NULL AND self_assessment_id IS NOT NULL)"
)


class Respondent(db.Model):  # type: ignore[name-defined,misc]
    """One person answering for their department through a private link; their answers are theirs alone.

    They belong to a workshop round (``engagement_id``) or to a manager's self-assessment (``self_assessment_id``,
    a colleague the manager invited): the same pages, saves and link guarantees serve both."""

    __tablename__ = "respondents"
    __table_args__ = (CheckConstraint(ONE_OWNER, name="ck_respondents_one_owner"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagements.id"), index=True, nullable=True)
    self_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("self_assessments.id", name="fk_respondents_self_assessment_id"), index=True, nullable=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True, default=new_token)
    department: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # the last save
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # The join form's one-time key: sending the same form twice (double tap, back and resend) finds this
    # respondent again instead of adding a second one. Empty for links the consultant made.
    join_key: Mapped[str | None] = mapped_column(String(64), unique=True, index=True, nullable=True)
    # Bumped by every save; a save is conditional on the revision it read (two tabs of one person merge).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Where invitations and reminders go (optional; personal data, deleted with the respondent).
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")


class Proposal(db.Model):  # type: ignore[name-defined,misc]
    """A generated proposal PDF, kept with the exact data it was built from."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"), index=True)
    lang: Mapped[str] = mapped_column(String(2))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    previous_document: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # The client's rounds up to this one with their scores, for the trend chart (three or more; else None)
    trend: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    content_fingerprint: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class AuditEntry(db.Model):  # type: ignore[name-defined,misc]
    """Who did what and when in the workshop: shown as a client's history. ``consultant_id`` is empty for a
    respondent's own change; ``client_id`` is emptied when the client is deleted (its ids may be given again).
    The detail is short and names no person: it outlives the personal data it was about."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("consultants.id"), index=True, nullable=True)
    client_id: Mapped[int | None] = mapped_column(Integer, index=True, nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Snippet(db.Model):  # type: ignore[name-defined,misc]
    """A reusable passage of a proposal's narrative, kept in the firm's library, in one language."""

    __tablename__ = "snippets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id"), index=True)
    lang: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("consultants.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class PasswordReset(db.Model):  # type: ignore[name-defined,misc]
    """A one-time password reset link: sent by email, or issued by the firm's admin. Only the token's SHA-256 is
    kept, so the table gives no link away."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("consultants.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("consultants.id"), nullable=True)  # None: by email
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class MailSent(db.Model):  # type: ignore[name-defined,misc]
    """One invitation or reminder mailed for a round: to a respondent's private link or to the survey link.
    The address is personal data: it goes with the round."""

    __tablename__ = "mail_sent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id"), index=True)
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("respondents.id"), index=True, nullable=True)
    address: Mapped[str] = mapped_column(String(254))
    purpose: Mapped[str] = mapped_column(String(20))  # invitation, reminder
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    error: Mapped[str] = mapped_column(String(200), default="", server_default="")  # empty: the server took it


class RenderedPdf(db.Model):  # type: ignore[name-defined,misc]
    """A finished PDF in the shared store (``READINESS_PDF_STORAGE=database``, the default with a job queue): every
    app node and every PDF worker sees it, whichever machine rendered it. Keyed like the local cache's file name
    (the hash of the answers, language, content and renderer); bounded by ``flask purge`` like that folder."""

    __tablename__ = "rendered_pdfs"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
