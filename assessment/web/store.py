"""Persistence of self-assessments: create, find by token, save a page. Views call only these.

The questionnaire's hot paths (showing and saving a page) read and write through SQLAlchemy Core on one
autocommit connection per request (see ``connection``): the ORM's session, identity map and unit of work
cost more than the SQL itself for a one-row read or update. A save is a single UPDATE, atomic on its own.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

from flask import Flask, abort, g
from sqlalchemy import Connection, Executable, bindparam, select, update

from assessment.web.models import SelfAssessment, db

_TABLE = SelfAssessment.__table__


class Stored(NamedTuple):
    """A self-assessment as read for one page: what the views need, nothing tracked by the ORM."""

    id: int
    token: str
    document: dict[str, Any]
    drafts: dict[str, Any]
    revision: int
    survey_only: bool


def init_app(app: Flask) -> None:
    """Return the request's store connection to the pool when the request ends."""
    app.teardown_appcontext(_release)


def connection() -> Connection:
    """The request's connection for the hot paths, in autocommit mode (opened on first use).

    Each statement is its own transaction, so SQLite's write lock is taken and released inside SQLite's C
    code. Inside an explicit transaction the lock would be held across Python code, where the thread can
    wait up to the interpreter's 5 ms switch interval for the GIL while every writer in every process waits
    for it: under 20 concurrent saves that convoy, not the SQL, set the pace. Reads here are single
    statements too, so they need no transaction around them.
    """
    found = g.get("_store_connection")
    if found is None:
        found = g._store_connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    return found  # type: ignore[no-any-return]


def _release(_error: BaseException | None = None) -> None:
    found = g.pop("_store_connection", None)
    if found is not None:
        found.close()


def create(document: dict[str, Any] | None = None) -> SelfAssessment:
    """Create a self-assessment with a fresh secret token."""
    row = SelfAssessment(document=document or {"version": 1}, drafts={})
    db.session.add(row)
    db.session.commit()
    return row


def _plausible(token: str) -> None:
    if not (20 <= len(token) <= 64) or not token.replace("-", "").replace("_", "").isalnum():
        abort(404)


_REVISION = select(_TABLE.c.revision, _TABLE.c.survey_only).where(_TABLE.c.token == bindparam("token"))
_LOAD = select(
    _TABLE.c.id, _TABLE.c.token, _TABLE.c.document, _TABLE.c.drafts, _TABLE.c.revision, _TABLE.c.survey_only
).where(_TABLE.c.token == bindparam("token"))
_SAVE = update(_TABLE).where(_TABLE.c.id == bindparam("row_id")).values(revision=_TABLE.c.revision + 1)


def revision_of(token: str) -> tuple[int, bool]:
    """The saved revision of the self-assessment behind ``token`` and whether it is a survey-only link
    (a two-column read), or 404."""
    _plausible(token)
    found = connection().execute(_REVISION, {"token": token}).first()
    if found is None:
        abort(404)
    return int(found.revision or 0), bool(found.survey_only)


def find(token: str, survey_only_too: bool = False) -> SelfAssessment:
    """The self-assessment behind ``token``, or 404 (also for anything that is not a plausible token, and for
    a workshop's survey-only link unless ``survey_only_too``)."""
    _plausible(token)
    row = db.session.execute(db.select(SelfAssessment).filter_by(token=token)).scalar_one_or_none()
    if row is None or (row.survey_only and not survey_only_too):
        abort(404)
    return row


def load(token: str) -> Stored:
    """The self-assessment behind ``token`` for showing or saving a page (a Core read), or 404."""
    _plausible(token)
    found = connection().execute(_LOAD, {"token": token}).first()
    if found is None:
        abort(404)
    return Stored(
        found.id, found.token, found.document or {}, found.drafts or {}, found.revision or 0, bool(found.survey_only)
    )


def save(row: SelfAssessment | Stored, document: dict[str, Any], drafts: dict[str, Any]) -> None:
    """Store the document and the drafts (typed values not yet valid), bumping the revision.

    ``document`` is stored as it is now (serialised at once), so the caller may keep changing its copy.
    """
    values = {"row_id": row.id, "document": document, "drafts": dict(drafts), "updated_at": datetime.now(UTC)}
    write(_SAVE, values)
    if isinstance(row, SelfAssessment):
        db.session.expire(row)  # an ORM copy of the row reads the new revision next time


def write(statement: Executable, values: dict[str, Any]) -> None:
    """Run one self-contained write (a single UPDATE or INSERT) as its own transaction (see ``connection``)."""
    connection().execute(statement, values)
