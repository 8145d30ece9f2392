"""Persistence of self-assessments: create, find by token, save a page. Views call only these.

The questionnaire's hot paths (showing and saving a page) bypass the ORM and read and write through
``hot_sql``: one autocommit connection per request, statements compiled once. A save is a single UPDATE,
atomic on its own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

from flask import abort
from sqlalchemy import Executable, bindparam, select, update

from assessment.web import hot_sql
from assessment.web.hot_sql import HotStatement
from assessment.web.models import SelfAssessment, db, token_shaped

_TABLE = SelfAssessment.__table__


class Stored(NamedTuple):
    """A self-assessment as read for one page: what the views need, nothing tracked by the ORM."""

    id: int
    token: str
    document: dict[str, Any]
    drafts: dict[str, Any]
    revision: int
    survey_only: bool


def create(document: dict[str, Any] | None = None) -> SelfAssessment:
    """Create a self-assessment with a fresh secret token."""
    row = SelfAssessment(document=document or {"version": 1}, drafts={})
    db.session.add(row)
    db.session.commit()
    return row


def _plausible(token: str) -> None:
    if not token_shaped(token):
        abort(404)


_REVISION = select(_TABLE.c.revision, _TABLE.c.survey_only).where(_TABLE.c.token == bindparam("token"))
_LOAD = select(
    _TABLE.c.id, _TABLE.c.token, _TABLE.c.document, _TABLE.c.drafts, _TABLE.c.revision, _TABLE.c.survey_only
).where(_TABLE.c.token == bindparam("token"))
_SAVE = update(_TABLE).where(_TABLE.c.id == bindparam("row_id")).values(revision=_TABLE.c.revision + 1)
_HOT_REVISION = HotStatement(_REVISION)
_HOT_LOAD = HotStatement(_LOAD)
_HOT_SAVE = HotStatement(_SAVE, column_keys=["document", "drafts", "updated_at"])


def revision_of(token: str) -> tuple[int, bool]:
    """The saved revision of the self-assessment behind ``token`` and whether it is a survey-only link
    (a two-column read), or 404."""
    _plausible(token)
    found = _HOT_REVISION.run({"token": token})
    if not found:
        abort(404)
    revision, survey_only = found[0]
    return int(revision or 0), bool(survey_only)


def find(token: str, survey_only_too: bool = False) -> SelfAssessment:
    """The self-assessment behind ``token``, or 404 (also for anything that is not a plausible token, and for
    a workshop's survey-only link unless ``survey_only_too``)."""
    _plausible(token)
    row = db.session.execute(db.select(SelfAssessment).filter_by(token=token)).scalar_one_or_none()
    if row is None or (row.survey_only and not survey_only_too):
        abort(404)
    return row  # type: ignore[no-any-return]


def load(token: str) -> Stored:
    """The self-assessment behind ``token`` for showing or saving a page (a Core read), or 404."""
    _plausible(token)
    found = _HOT_LOAD.run({"token": token})
    if not found:
        abort(404)
    row_id, row_token, document, drafts, revision, survey_only = found[0]
    return Stored(row_id, row_token, document or {}, drafts or {}, revision or 0, bool(survey_only))


def save(row: SelfAssessment | Stored, document: dict[str, Any], drafts: dict[str, Any]) -> None:
    """Store the document and the drafts (typed values not yet valid), bumping the revision.

    ``document`` is stored as it is now (serialised at once), so the caller may keep changing its copy.
    """
    values = {"row_id": row.id, "document": document, "drafts": dict(drafts), "updated_at": datetime.now(UTC)}
    _HOT_SAVE.run(values)
    if isinstance(row, SelfAssessment):
        db.session.expire(row)  # an ORM copy of the row reads the new revision next time


def write(statement: Executable, values: dict[str, Any]) -> None:
    """Run one self-contained write (a single UPDATE or INSERT) as its own transaction."""
    hot_sql.execute(statement, values)
