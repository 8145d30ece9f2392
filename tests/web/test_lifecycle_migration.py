"""The round-lifecycle migration upgrades a SQLite database that already holds a round with answers: every row
is kept, the round is open (no closing time, no snapshot, no history) and its survey row is not closed; the way
back removes the new columns only. Run as deployed (``flask db upgrade``), on a throw-away database file."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.web.test_team_migration import flask_db, seed_round

pytestmark = pytest.mark.sqlite_only  # an old schema seeded through sqlite3 (PostgreSQL: test_postgres.py)

BEFORE = "c3a1e07b52d4"  # the head this migration starts from
MIGRATION = "d4e7a1c9b208"


def test_upgrade_keeps_a_round_with_answers_open(tmp_path: Path) -> None:
    flask_db(tmp_path, "upgrade", BEFORE)
    when = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    answers = json.dumps({"org.mql_definition": "yes"})
    with sqlite3.connect(tmp_path / "m.db") as connection:
        seed_round(connection, when, survey_only=True)
        connection.execute(
            "INSERT INTO respondents (id, engagement_id, token, department, name, answers, comments, expires_at,"
            " created_at, revision) VALUES (1, 1, ?, 'marketing', 'M', ?, '{}', ?, ?, 2)",
            ("r" * 43, answers, when, when),
        )  # fmt: skip
    flask_db(tmp_path, "upgrade", MIGRATION)

    with sqlite3.connect(tmp_path / "m.db") as connection:
        assert connection.execute(
            "SELECT id, title, join_code, closed_at, snapshot, lifecycle FROM engagements"
        ).fetchall() == [(1, "R", "abcdefgh", None, None, None)]
        assert connection.execute("SELECT revision, survey_only, closed FROM self_assessments").fetchall() == [
            (3, 1, 0)
        ]
        assert connection.execute("SELECT answers, revision FROM respondents").fetchall() == [(answers, 2)]

    flask_db(tmp_path, "downgrade", BEFORE)
    with sqlite3.connect(tmp_path / "m.db") as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(engagements)")}
        assert not {"closed_at", "snapshot", "lifecycle"} & columns
        assert connection.execute("SELECT answers FROM respondents").fetchall() == [(answers,)]
