"""The migrations build exactly the schema the models describe: a deployed server (``flask db upgrade``) and the
tests (``create_all``) use the same tables, columns, indexes and foreign keys, and the way back works."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from assessment.web.models import db
from tests.web.test_team_migration import flask_db

pytestmark = pytest.mark.sqlite_only  # read through sqlite3 (PostgreSQL: test_postgres.py)


def test_upgrade_to_head_matches_the_models(tmp_path: Path) -> None:
    flask_db(tmp_path, "upgrade")
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    engine.dispose()
    assert differences == []


def test_downgrade_to_the_start_and_up_again(tmp_path: Path) -> None:
    flask_db(tmp_path, "upgrade")
    flask_db(tmp_path, "downgrade", "base")
    flask_db(tmp_path, "upgrade")
    with sqlite3.connect(tmp_path / "m.db") as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"firms", "client_shares", "snippets", "password_resets", "mail_sent", "consultants"} <= tables


def test_upgrade_puts_every_existing_account_in_one_firm_with_the_first_as_admin(tmp_path: Path) -> None:
    flask_db(tmp_path, "upgrade", "b2d9f4e6a831")  # the head before the firm workspace
    with sqlite3.connect(tmp_path / "m.db") as connection:
        for number in (1, 2):
            connection.execute(
                "INSERT INTO consultants (id, email, name, password_hash, session_version, created_at)"
                " VALUES (?, ?, 'C', 'x', 0, '2026-11-01')", (number, f"c{number}@example.com"),
            )  # fmt: skip
        connection.execute("INSERT INTO clients (id, consultant_id, name, created_at) VALUES (1, 2, 'K', '2026-11-01')")
    flask_db(tmp_path, "upgrade")
    with sqlite3.connect(tmp_path / "m.db") as connection:
        accounts = connection.execute(
            "SELECT id, firm_id, role, deactivated_at FROM consultants ORDER BY id"
        ).fetchall()
        firms = connection.execute("SELECT id FROM firms").fetchall()
        client = connection.execute("SELECT consultant_id, industry, employees FROM clients").fetchall()
    assert firms == [(1,)]
    assert accounts == [(1, 1, "admin", None), (2, 1, "consultant", None)]
    assert client == [(2, "", None)]
