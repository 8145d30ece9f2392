"""The team-respondents migration upgrades a SQLite database that already holds a workshop round and a
self-assessment: every row is kept, a respondent may now belong to a self-assessment instead of a round, never
to both or to neither (the check constraint holds on SQLite too), and the way back keeps the round's respondents.

The migrations run as deployed (``flask db upgrade``) in a subprocess, on a throw-away database file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only  # an old schema seeded through sqlite3 (PostgreSQL: test_postgres.py)

ROOT = Path(__file__).resolve().parents[2]
BEFORE = "57c66245683b"  # the head this migration starts from
MIGRATION = "3c1d9e2a7b45"
RESPONDENT_COLUMNS = "token, department, name, answers, comments, expires_at, created_at, revision"


def flask_db(folder: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_") and k != "SECRET_KEY"}
    env.update(READINESS_ENV="development", DATABASE_URL=f"sqlite:///{folder / 'm.db'}",
               READINESS_INSTANCE_DIR=str(folder / "instance"), READINESS_CACHE_DIR=str(folder))  # fmt: skip
    done = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "db", *args, "-d", "migrations"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def seed_round(connection: sqlite3.Connection, when: str, survey_only: bool) -> None:
    """A consultant, a client and a round whose answers live in self-assessment 1 (the rows every migration
    test starts from, written with the columns of the schema before the migration under test)."""
    connection.execute(
        "INSERT INTO self_assessments (id, token, document, drafts, revision, survey_only, created_at, updated_at)"
        " VALUES (1, ?, '{\"version\": 1}', '{}', 3, ?, ?, ?)", ("t" * 43, int(survey_only), when, when),
    )  # fmt: skip
    connection.execute("INSERT INTO consultants VALUES (1, 'c@example.com', 'C', 'x', 0, ?)", (when,))
    connection.execute("INSERT INTO clients VALUES (1, 1, 'K', ?)", (when,))
    connection.execute("INSERT INTO engagements VALUES (1, 1, 1, 'R', '2026-11-20', 1, 'abcdefgh', 1, ?)", (when,))


def respondent(connection: sqlite3.Connection, owners: str, token: str, when: str) -> None:
    connection.execute(
        f"INSERT INTO respondents (engagement_id, self_assessment_id, {RESPONDENT_COLUMNS}) "
        f"VALUES ({owners}, ?, 'field_sales', '', '{{}}', '{{}}', ?, ?, 0)",
        (token, when, when),
    )


def test_upgrade_keeps_the_rows_and_allows_team_respondents(tmp_path: Path) -> None:
    flask_db(tmp_path, "upgrade", BEFORE)
    when = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    answers = json.dumps({"org.mql_definition": "yes"})
    with sqlite3.connect(tmp_path / "m.db") as connection:
        seed_round(connection, when, survey_only=False)
        connection.execute(
            f"INSERT INTO respondents (id, engagement_id, {RESPONDENT_COLUMNS}) "
            "VALUES (1, 1, ?, 'marketing', 'M', ?, '{}', ?, ?, 2)", ("r" * 43, answers, when, when),
        )  # fmt: skip
    flask_db(tmp_path, "upgrade", MIGRATION)

    with sqlite3.connect(tmp_path / "m.db") as connection:
        kept = connection.execute(
            "SELECT engagement_id, self_assessment_id, answers, revision FROM respondents"
        ).fetchall()
        assert kept == [(1, None, answers, 2)]
        assert connection.execute("SELECT revision FROM self_assessments").fetchone() == (3,)
        respondent(connection, "NULL, 1", "a" * 43, when)  # a colleague invited to the self-assessment
        for owners, token in (("1, 1", "b" * 43), ("NULL, NULL", "c" * 43)):  # both, or neither: refused
            with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
                respondent(connection, owners, token, when)
        nullable = {row[1]: not row[3] for row in connection.execute("PRAGMA table_info(respondents)")}
        assert nullable["engagement_id"] and nullable["self_assessment_id"] and nullable["answered_at"]

    flask_db(tmp_path, "downgrade", BEFORE)  # the way back removes the team's links only
    with sqlite3.connect(tmp_path / "m.db") as connection:
        assert connection.execute("SELECT id, engagement_id FROM respondents").fetchall() == [(1, 1)]
