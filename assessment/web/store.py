"""Persistence of self-assessments: create, find by token, save a page. Views call only these.

The questionnaire's hot paths (showing and saving a page) read and write through SQLAlchemy Core on
the session's connection: the ORM's identity map and unit of work cost as much as the SQL itself for a
one-row read or update. Writes to SQLite are serialised across the app's processes by a file lock (see
``serialised_writes``).
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from flask import abort, current_app
from sqlalchemy import bindparam, select, update

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
_thread_lock = threading.Lock()


def revision_of(token: str) -> tuple[int, bool]:
    """The saved revision of the self-assessment behind ``token`` and whether it is a survey-only link
    (a two-column read), or 404."""
    _plausible(token)
    # Core on the session's connection: the ORM layer would cost as much as the query itself here.
    found = db.session.connection().execute(_REVISION, {"token": token}).first()
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
    found = db.session.connection().execute(_LOAD, {"token": token}).first()
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
    with serialised_writes():
        db.session.connection().execute(_SAVE, values)
        db.session.commit()  # also expires any ORM copy of the row, so a later read sees the new revision


@contextmanager
def serialised_writes() -> Iterator[None]:
    """Hold the app-wide write lock while writing to SQLite (other databases need none).

    SQLite lets one writer at a time in; a second one waits in SQLite's busy handler, which sleeps in
    growing steps (1, 2, 5, 10 ... 100 ms) and so turns a 0.2 ms wait into a 10 ms one under load. Waiting
    on a file lock (between processes) and a thread lock (inside one) instead wakes the next writer the
    moment the previous one commits.
    """
    if db.engine.dialect.name != "sqlite":
        yield
        return
    path = Path(current_app.instance_path) / ".sqlite-write.lock"
    with _thread_lock, open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
