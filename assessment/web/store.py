"""Persistence of self-assessments: create, find by token, save a page. Views call only these.

The questionnaire's hot paths (showing and saving a page) bypass the ORM and read and write through
``hot_sql``: one autocommit connection per request, statements compiled once. A save is a single UPDATE,
atomic on its own.

Every save is conditional on the revision it read (optimistic concurrency): ``update`` reads the row, lets
the caller change only what its page owns, and writes only if nobody saved in between; otherwise it reads
the fresh row and applies the same change again. Two browsers saving different pages at once both keep
their answers. When the database cannot take the write at all (locked past the busy timeout, read-only),
``NotSaved`` is raised and the view answers 503 with what was typed still on the page.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, TypeVar

from flask import abort
from sqlalchemy import Executable, bindparam, delete, false, null, select
from sqlalchemy import update as update_statement
from sqlalchemy.exc import OperationalError

from assessment.web import hot_sql
from assessment.web.hot_sql import HotStatement
from assessment.web.models import SelfAssessment, db, token_shaped

_TABLE = SelfAssessment.__table__
T = TypeVar("T")
ATTEMPTS = 20  # conflicting saves retried; each retry is one read and one conditional UPDATE


NOT_SAVED_HEADERS = {"Retry-After": "5", "Cache-Control": "no-store"}  # what a 503 "not saved" answer carries


class NotSaved(Exception):
    """The database did not take the write (locked, read-only, or changed under every attempt)."""


class Closed(Exception):
    """The row belongs to a closed workshop round: nothing was written (the round's answers are frozen)."""


@contextmanager
def _database_takes_it() -> Iterator[None]:
    """Turn the database refusing a statement (locked past the busy timeout, read-only, disk full) into NotSaved,
    whether SQLAlchemy or, on the hot path, the sqlite3 driver itself raised it."""
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as error:
        raise NotSaved(str(error)) from error


class Stored(NamedTuple):
    """A self-assessment as read for one page: what the views need, nothing tracked by the ORM."""

    id: int
    token: str
    document: dict[str, Any]
    drafts: dict[str, Any]
    revision: int
    survey_only: bool
    closed: bool = False


def create(
    document: dict[str, Any] | None = None, baseline: dict[str, Any] | None = None, baseline_on: date | None = None
) -> SelfAssessment:
    """Create a self-assessment with a fresh secret token (``baseline``: the earlier diagnosis it is compared
    with, as of ``baseline_on``)."""
    row = SelfAssessment(document=document or {"version": 1}, drafts={})
    if baseline is not None:
        row.baseline, row.baseline_on = baseline, baseline_on
    db.session.add(row)
    db.session.commit()
    return row


def keep_as_baseline(token: str, day: date) -> bool:
    """Start a re-assessment: the answers as they are stored now become the baseline, as of ``day`` (one UPDATE,
    so the copy is exactly the stored document even while a page is being saved). The answers stay to edit.
    False when there is no such self-assessment (or it is a workshop's survey link); NotSaved when the
    database cannot take the write."""
    _plausible(token)
    statement = (
        update_statement(_TABLE)
        .where(_TABLE.c.token == token, _TABLE.c.survey_only == false())
        .values(baseline=_TABLE.c.document, baseline_on=day, updated_at=datetime.now(UTC))
        .returning(_TABLE.c.id)
    )
    return bool(write(statement, {}))


def drop_baseline(token: str) -> bool:
    """Stop comparing: remove the baseline (the answers are untouched). False when there is no such
    self-assessment; NotSaved when the database cannot take the write."""
    _plausible(token)
    statement = (
        update_statement(_TABLE)
        .where(_TABLE.c.token == token, _TABLE.c.survey_only == false())
        .values(baseline=null(), baseline_on=None, updated_at=datetime.now(UTC))
        .returning(_TABLE.c.id)
    )
    return bool(write(statement, {}))


def _plausible(token: str) -> None:
    if not token_shaped(token):
        abort(404)


_REVISION = select(_TABLE.c.revision, _TABLE.c.survey_only).where(_TABLE.c.token == bindparam("token"))
_LOAD = select(*(_TABLE.c[name] for name in Stored._fields)).where(_TABLE.c.token == bindparam("token"))
_SAVE_ANYWAY = (
    update_statement(_TABLE)
    .where(_TABLE.c.id == bindparam("row_id"), _TABLE.c.revision == bindparam("read_revision"))
    .values(revision=_TABLE.c.revision + 1)
    .returning(_TABLE.c.revision)
)
_SAVE = _SAVE_ANYWAY.where(_TABLE.c.closed == false())  # in the UPDATE: a save racing a round's close is refused
_HOT_REVISION = HotStatement(_REVISION)
_HOT_LOAD = HotStatement(_LOAD)
_HOT_SAVE = HotStatement(_SAVE, column_keys=["document", "drafts", "updated_at"])
_HOT_SAVE_ANYWAY = HotStatement(_SAVE_ANYWAY, column_keys=["document", "drafts", "updated_at"])
_SURVEY_KEYS = ["document", "drafts", "updated_at", "survey_saved_at"]  # a survey page's save: its own time too
_HOT_SURVEY_SAVE = HotStatement(_SAVE, column_keys=_SURVEY_KEYS)
_HOT_SURVEY_SAVE_ANYWAY = HotStatement(_SAVE_ANYWAY, column_keys=_SURVEY_KEYS)


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
    row_id, row_token, document, drafts, revision, survey_only, is_closed = found[0]
    return Stored(row_id, row_token, document or {}, drafts or {}, revision or 0, bool(survey_only), bool(is_closed))


def save(
    row: SelfAssessment | Stored, document: dict[str, Any], drafts: dict[str, Any], closed_too: bool = False,
    survey_page: bool = False,
) -> bool:  # fmt: skip
    """Store the document and the drafts if the row is still at the revision ``row`` was read at; bump it.

    Returns False when someone saved in between, or the row is a closed round's unless ``closed_too``
    (nothing written): use ``update`` to merge and retry. ``document`` is stored as it is now (serialised at
    once), so the caller may keep changing its copy. ``survey_page``: a survey page (company profile, funnel
    figures) is saved, so the survey's own time moves too. Raises NotSaved when the database cannot take the write.
    """
    at = datetime.now(UTC)
    values = {
        "row_id": row.id, "read_revision": row.revision or 0, "document": document, "drafts": dict(drafts),
        "updated_at": at,
    }  # fmt: skip
    if survey_page:  # only then the key: on other databases a key in the values is a column to set
        values["survey_saved_at"] = at
        statement = _HOT_SURVEY_SAVE_ANYWAY if closed_too else _HOT_SURVEY_SAVE
    else:
        statement = _HOT_SAVE_ANYWAY if closed_too else _HOT_SAVE
    with _database_takes_it():
        written = statement.run(values)
    if isinstance(row, SelfAssessment):
        db.session.expire(row)  # an ORM copy of the row reads the new revision next time
    return bool(written)


Change = Callable[[Stored], tuple[dict[str, Any], dict[str, Any], T]]


def update(
    token: str,
    change: Change[T],
    survey_only_too: bool = True,
    loaded: SelfAssessment | None = None,
    first: Stored | None = None,
    closed_too: bool = False,
    survey_page: bool = False,
) -> tuple[Stored, T]:
    """Apply ``change`` to the freshest row and save it, retrying on a concurrent save.

    ``change`` gets the row as read (its document and drafts are the caller's to modify: deep copies) and
    returns the document and drafts to store and a result for the caller. It must change only the paths its
    page owns, so that re-applying it to a fresher row keeps what the other save wrote. ``loaded``, an ORM
    copy of the row the caller holds, is expired so that it reads the saved row next time. ``first``, the row
    as the caller has just read it, saves the first attempt a read. A closed round's row raises Closed.
    ``survey_page``: the change is a survey page's (its own "last saved" time moves too).
    """
    for attempt in range(ATTEMPTS):
        read = first if attempt == 0 and first is not None else _load_for_update(token, survey_only_too)
        if read.closed and not closed_too:
            raise Closed(token)
        document, drafts, result = change(read._replace(document=copy.deepcopy(read.document),
                                                         drafts=copy.deepcopy(read.drafts)))  # fmt: skip
        if save(read, document, drafts, closed_too, survey_page):
            if loaded is not None:
                db.session.expire(loaded)
            return read._replace(document=document, drafts=drafts, revision=read.revision + 1), result
    raise NotSaved("the answers kept changing under every attempt")


def _load_for_update(token: str, survey_only_too: bool) -> Stored:
    with _database_takes_it():
        row = load(token)
    if row.survey_only and not survey_only_too:
        abort(404)
    return row


def write(statement: Executable, values: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Run one self-contained statement (a single UPDATE, INSERT or SELECT) as its own transaction; NotSaved
    when the database cannot take it."""
    with _database_takes_it():
        return hot_sql.execute(statement, values)


def retire(token: str) -> bool:
    """Delete the self-assessment behind ``token`` with its team's links, for a manager who imported its answers
    under a new link and wants the old one to stop working. Never a workshop's survey link or a round's answers;
    False when there is no such self-assessment."""
    from assessment.web.models import Engagement, Respondent  # the workshop's tables, read only to spare them

    if not token_shaped(token):
        return False
    found = db.session.execute(
        select(SelfAssessment.id).where(
            SelfAssessment.token == token,
            SelfAssessment.survey_only == false(),
            SelfAssessment.id.not_in(select(Engagement.assessment_id)),
        )
    ).scalar_one_or_none()
    if found is None:
        return False
    with _database_takes_it():
        db.session.execute(delete(Respondent).where(Respondent.self_assessment_id == found))
        db.session.execute(delete(SelfAssessment).where(SelfAssessment.id == found))
        db.session.commit()
    return True
