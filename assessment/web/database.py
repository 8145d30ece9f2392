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


class DatabaseId(IntegerConverter):
    """``<int:...>`` in every route: a number a database id can hold. A larger one (2^63 and up) is a 404, not
    an OverflowError from the database driver."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: read them as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
