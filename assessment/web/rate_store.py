"""Rate-limit counters every worker of one machine shares: a small SQLite file beside the database.

Flask-Limiter's in-process memory counts per gunicorn worker, so with three workers the real limit was three
times the configured one. ``limits`` offers shared storage only as services (Redis, Memcached, MongoDB); for
the one-machine setup without services, this storage keeps fixed-window counters in
``instance/ratelimits.db``. Each increment is one atomic UPSERT; the file is separate from the answers'
database so a burst of limited requests never takes the answers' write lock. With several machines, set
RATELIMIT_STORAGE_URI to Redis instead.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from typing import Any

from limits.storage import Storage

_SCHEMA = "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
_INCREMENT = """
INSERT INTO counters (key, count, expires) VALUES (:key, :amount, :expires)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN counters.expires <= :now THEN excluded.count ELSE counters.count + excluded.count END,
    expires = CASE WHEN counters.expires <= :now THEN excluded.expires ELSE counters.expires END
RETURNING count
"""


class SQLiteStorage(Storage):
    """``readiness-sqlite:///path/to/ratelimits.db``: fixed-window counters shared by every process on the host."""

    STORAGE_SCHEME = ["readiness-sqlite"]  # noqa: RUF012 - limits registers the scheme when the class is made
    SWEEP_EVERY = 60.0  # seconds between deletions of expired counters, per process

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = (uri or "").removeprefix("readiness-sqlite://") or ":memory:"
        self._local = threading.local()
        self._last_sweep = 0.0

    @property
    def base_exceptions(self) -> type[Exception]:
        """What a failing SQLite raises (wrapped by ``limits`` when asked to)."""
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection (a new one after a fork: gunicorn workers never share one)."""
        held = getattr(self._local, "held", None)
        if held is None or held[0] != os.getpid():
            if self.path != ":memory:":
                os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=1.0, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")  # counters: losing the last second in a crash is fine
            connection.execute(_SCHEMA)
            held = self._local.held = (os.getpid(), connection)
        return held[1]

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Add ``amount`` to the counter, starting a new window of ``expiry`` seconds when the last one ended."""
        now = time.time()
        connection = self._connection()
        row = connection.execute(_INCREMENT, {"key": key, "amount": amount, "expires": now + expiry, "now": now})
        count = int(row.fetchone()[0])
        if now - self._last_sweep >= self.SWEEP_EVERY:
            self._last_sweep = now
            connection.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        return count

    def get(self, key: str) -> int:
        """The counter's value in its current window (0 when there is none)."""
        row = (
            self._connection()
            .execute("SELECT count FROM counters WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        """When the counter's window ends (now, when there is none)."""
        now = time.time()
        row = (
            self._connection()
            .execute("SELECT expires FROM counters WHERE key = ? AND expires > ?", (key, now))
            .fetchone()
        )
        return float(row[0]) if row else now

    def check(self) -> bool:
        """Whether the file answers."""
        return bool(self._connection().execute("SELECT 1").fetchone() == (1,))

    def reset(self) -> int | None:
        """Forget every counter."""
        return self._connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        """Forget one counter."""
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))
