"""Which database the app tests run on, chosen by ``READINESS_TEST_DATABASE``:

- ``sqlite`` (the default): each app on its own SQLite file in its test folder, as before;
- ``postgresql``: one throw-away PostgreSQL server for the whole pytest session (tests/postgres.py), started on
  first use and stopped when the session ends; each app gets a fresh database cloned from a template the models
  built once (``CREATE DATABASE ... TEMPLATE``: tens of milliseconds), dropped when the app is disposed;
- ``postgresql+psycopg://user@host/db``: the same on a server that is already running (the user must be allowed
  to create databases); the session's databases carry a random prefix and are dropped at the end.

A live server (tests/e2e) gets an empty database instead, for ``flask db upgrade`` to build as deployed.

Tests marked ``sqlite_only`` are about SQLite itself (its write lock, its busy timeout, its migrations): while
one of them runs, apps are built on SQLite whatever was chosen, so they still run, and pass, in a PostgreSQL pass.
"""

from __future__ import annotations

import atexit
import itertools
import os
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url

from tests.postgres import running_postgres

SETTING = "READINESS_TEST_DATABASE"
TEMPLATE = "template"


def chosen() -> str:
    """What ``READINESS_TEST_DATABASE`` asks for: ``sqlite``, ``postgresql`` or a PostgreSQL URL."""
    value = os.environ.get(SETTING, "").strip() or "sqlite"
    if value != "sqlite" and not value.startswith("postgresql"):
        raise RuntimeError(f"{SETTING} must be sqlite, postgresql or a postgresql+psycopg:// URL, not {value!r}")
    return value


def on_postgresql() -> bool:
    """Whether this session's apps run on PostgreSQL (outside a ``sqlite_only`` test)."""
    return chosen() != "sqlite" and not _sqlite_forced


_sqlite_forced = False


def force_sqlite(forced: bool) -> None:
    """While ``forced``, apps are built on SQLite whatever was chosen (set around each ``sqlite_only`` test)."""
    global _sqlite_forced
    _sqlite_forced = forced


class Cluster:
    """A PostgreSQL server this session makes its databases on: a template built by the models once, then a
    fresh clone per app (or an empty database per live server), each dropped when it is released."""

    def __init__(self, admin: URL, prefix: str, stack: ExitStack, owned: bool) -> None:
        self.admin = admin
        self.prefix = prefix
        self.stack = stack
        self.owned = owned  # started by this session (and deleted with everything in it at the end)
        self.made: set[str] = set()
        self._numbers = itertools.count(1)
        self._connection: psycopg.Connection[Any] | None = None
        self._template: str | None = None
        self._strategy = ""

    def _execute(self, sql: str) -> None:
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(**connect_arguments(self.admin), autocommit=True)
            if self._connection.info.server_version >= 150000:
                self._strategy = " STRATEGY FILE_COPY"  # a plain copy of the small template's files: the fastest
        self._connection.execute(sql)

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server."""
        return self.admin.set(drivername="postgresql+psycopg", database=database).render_as_string(hide_password=False)

    def _new(self, template: str | None) -> str:
        name = f"{self.prefix}_{next(self._numbers)}"
        if template is None:
            self._execute(f'CREATE DATABASE "{name}"')
        else:
            self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"{self._strategy}')
        self.made.add(name)
        return name

    def app_database(self) -> str:
        """A fresh database holding the models' empty tables: its URL."""
        if self._template is None:
            from assessment.web.models import db

            template = f"{self.prefix}_{TEMPLATE}"
            self._execute(f'CREATE DATABASE "{template}"')
            self.made.add(template)
            engine = create_engine(self.url(template))
            try:
                db.metadata.create_all(engine)
            finally:
                engine.dispose()  # a template is cloned only while nobody is connected to it
            self._template = template
        return self.url(self._new(self._template))

    def empty_database(self) -> str:
        """A fresh empty database (for the migrations to build): its URL."""
        return self.url(self._new(None))

    def release(self, url: str) -> None:
        """Drop a database this session made (whoever is still connected is disconnected)."""
        name = make_url(url).database
        if name in self.made:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.made.discard(name)

    def close(self) -> None:
        """Drop what is left (on a server of one's own: nothing, the cluster goes) and stop."""
        try:
            if not self.owned:
                for name in sorted(self.made):
                    self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            if self._connection is not None:
                self._connection.close()
            self.stack.close()


def connect_arguments(url: URL) -> dict[str, Any]:
    """psycopg's connection arguments for a SQLAlchemy URL (host, port and socket folder in the query too)."""
    arguments: dict[str, Any] = {
        "host": url.host, "port": url.port, "user": url.username, "password": url.password, "dbname": url.database,
    }  # fmt: skip
    arguments.update(url.query)
    return {key: value for key, value in arguments.items() if value is not None}


_cluster: Cluster | None = None


def cluster() -> Cluster:
    """The session's PostgreSQL server (started, or reached, on first use)."""
    global _cluster
    if _cluster is None:
        stack = ExitStack()
        value = chosen()
        if value == "postgresql":
            server = stack.enter_context(running_postgres())
            admin = make_url(server.url("postgres"))
        else:
            admin = make_url(value)
        _cluster = Cluster(admin, f"readiness_{uuid.uuid4().hex[:8]}", stack, owned=value == "postgresql")
        atexit.register(stop)  # also when the session ends without its finish hook (pytest_sessionfinish)
    return _cluster


def stop() -> None:
    """End of the session: drop this session's databases, stop the server it started."""
    global _cluster
    if _cluster is not None:
        found, _cluster = _cluster, None
        found.close()


def app_database(folder: Path) -> str:
    """The database URL of a new test app whose files live under ``folder``."""
    if not on_postgresql():
        return f"sqlite:///{folder / 't.db'}"
    return cluster().app_database()


def server_database(folder: Path) -> str:
    """The ``DATABASE_URL`` of a new live server (empty: its migrations build it). A server is often shared by a
    module or the session, so only the choice counts here, never a ``sqlite_only`` test that happens to start it:
    such a test starts a SQLite server of its own."""
    if chosen() == "sqlite":
        return f"sqlite:///{folder / 'e2e.db'}"
    return cluster().empty_database()


def release(url: str) -> None:
    """A test app or server is done with its database: drop it when this session made it on PostgreSQL."""
    if _cluster is not None and url.startswith("postgresql"):
        _cluster.release(url)
