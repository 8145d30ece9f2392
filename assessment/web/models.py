"""What the web app stores: one row per self-assessment, the document in the interchange format."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the app's tables."""


db = SQLAlchemy(model_class=Base)


def new_token() -> str:
    """An unguessable token for a resume link (256 bits)."""
    return secrets.token_urlsafe(32)


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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
