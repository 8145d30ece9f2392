"""How the app talks to its database: SQLite tuned for several workers, and ids the database can hold."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from werkzeug.routing import IntegerConverter


def tune_sqlite(engine: Any, busy_ms: int) -> None:
    """WAL lets pages read while a save writes; NORMAL sync is safe with WAL; a write waits ``busy_ms`` for
    another writer's lock, then fails and is answered "not saved, try again" (503)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def set_pragmas(connection: Any, record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.close()


def tune_postgresql(engine: Any, lock_ms: int) -> None:
    """PostgreSQL's counterpart of SQLite's busy timeout: a statement waits ``lock_ms`` for another transaction's
    lock (a long close, a migration), then fails and the save is answered "not saved, try again" (503), instead
    of holding the worker until gunicorn's own timeout."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "connect")
    def set_lock_timeout(connection: Any, record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute(f"SET lock_timeout = {int(lock_ms)}")
        cursor.close()
        connection.commit()


MAX_ID = 2**31 - 1  # the largest INTEGER on PostgreSQL (SQLite's go to 2^63 - 1): every id column is one


def is_database_id(text: str) -> bool:
    """Whether ``text`` (a form's value) is an id an id column can hold: digits only, 1 to ``MAX_ID``."""
    return text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID)) and 1 <= int(text) <= MAX_ID


class DatabaseId(IntegerConverter):
    """``<int:...>`` in every route: a number an id column (INTEGER) can hold on every database the app runs on.
    A larger one is a 404, not an error from the database: PostgreSQL's INTEGER stops at 2^31 - 1 (a larger
    parameter is "integer out of range"), SQLite's driver at 2^63 - 1 (OverflowError). No id is ever larger:
    ids count up from 1."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: read them as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
