"""PostgreSQL, for real (issue 17's first slice): a throw-away server the test starts (tests/postgres.py), reached
with psycopg 3.

- the migrations, as deployed (``flask db upgrade``), build exactly the models' schema on PostgreSQL, and go down
  to nothing and up again;
- the app runs on it: a consultant's round with a respondent answering through the hot path (which runs through
  SQLAlchemy Core on PostgreSQL, not SQLite's compiled shortcut), closing the round, and a late save refused by
  its own conditional update, exactly as on SQLite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import create_engine, text

from assessment import load_content
from assessment.web.accounts import create_consultant
from assessment.web.models import Engagement, Respondent, db
from tests.postgres import Postgres, running_postgres
from tests.web import build_app, dispose
from tests.web.test_round_lifecycle import PASSWORD, close, invite, new_round, save_page, signed_in

ROOT = Path(__file__).resolve().parents[2]
ITEMS = [item.id for item in load_content().checklist.items]


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    with running_postgres() as server:
        yield server


def flask_db(url: str, folder: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_") and k != "SECRET_KEY"}
    env.update(READINESS_ENV="development", DATABASE_URL=url, READINESS_INSTANCE_DIR=str(folder / "instance"),
               READINESS_CACHE_DIR=str(folder))  # fmt: skip
    done = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "db", *args, "-d", "migrations"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_the_migrations_build_the_models_schema_on_postgresql(postgres: Postgres, tmp_path: Path) -> None:
    url = postgres.create_database(f"m_{uuid.uuid4().hex[:8]}")
    flask_db(url, tmp_path, "upgrade")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.dialect.name == "postgresql"
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
    finally:
        engine.dispose()
    flask_db(url, tmp_path, "downgrade", "base")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            left = connection.execute(
                text("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
            ).scalars()
            assert set(left) <= {"alembic_version"}
    finally:
        engine.dispose()
    flask_db(url, tmp_path, "upgrade")


@pytest.fixture
def pg_app(postgres: Postgres, tmp_path: Path, web_cache_dir: Path) -> Iterator[Flask]:
    url = postgres.create_database(f"a_{uuid.uuid4().hex[:8]}")
    flask_db(url, tmp_path, "upgrade")
    app = build_app(tmp_path / "app", web_cache_dir, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        create_consultant("pg@example.com", PASSWORD, "PG")
    yield app
    dispose(app)


def test_a_round_answers_and_closes_on_postgresql_and_a_late_save_is_refused(pg_app: Flask) -> None:
    consultant = signed_in(pg_app, "pg@example.com")
    engagement_id = new_round(consultant, "ポスグレ株式会社")
    token = invite(consultant, engagement_id, "marketing")
    saved = save_page(pg_app.test_client(), token, "organization", dict.fromkeys(ITEMS, "yes"))
    assert saved.status_code == 302
    with pg_app.app_context():
        respondent = db.session.execute(db.select(Respondent).filter_by(token=token)).scalar_one()
        organisation = {k: v for k, v in respondent.answers.items() if k.startswith("org.")}
        assert organisation and set(organisation.values()) == {"yes"}
        assert respondent.revision >= 1
    close(consultant, engagement_id)
    late = save_page(pg_app.test_client(), token, "organization", dict.fromkeys(ITEMS, "no"))
    assert late.status_code == 410  # the round is closed: the conditional update writes nothing
    with pg_app.app_context():
        engagement = db.session.get(Engagement, engagement_id)
        assert engagement is not None and engagement.snapshot is not None
        frozen = engagement.snapshot["respondents"][0]["answers"]
        assert frozen == respondent.answers
        stored = db.session.execute(db.select(Respondent.answers).filter_by(token=token)).scalar_one()
        assert stored == respondent.answers  # nothing of the late save landed


def test_a_save_blocked_by_a_lock_on_postgresql_answers_503_and_saves_nothing(pg_app: Flask) -> None:
    """PostgreSQL has no busy timeout: lock_timeout (READINESS_SQLITE_BUSY_MS) makes a save that waits on another
    transaction's lock give up and say "not saved" instead of holding the worker until gunicorn kills it."""
    import psycopg

    from tests.web import start, stored, token_of

    client = pg_app.test_client()
    base = start(client)
    assert client.post(f"{base}/profile", data={"client__name": "元の名前", "action": "next"}).status_code == 302
    before = stored(pg_app, token_of(base))
    url = pg_app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://")
    replies: list[Any] = []
    with psycopg.connect(url) as other:  # a long transaction holding the row (a migration, a stuck close)
        other.execute("SELECT id FROM self_assessments WHERE token = %s FOR UPDATE", (token_of(base),))
        form = {"client__name": "新しい名前", "client__employees": "42"}
        saving = threading.Thread(target=lambda: replies.append(client.post(f"{base}/profile", data=form)))
        saving.start()
        saving.join(timeout=15)  # the default wait is 1 s (READINESS_SQLITE_BUSY_MS)
        gave_up = not saving.is_alive()
        other.rollback()  # (without lock_timeout the save waits for this)
        saving.join()
    assert gave_up, "the save waited for the lock with no limit"
    [reply] = replies
    assert reply.status_code == 503 and "Retry-After" in reply.headers
    assert 'value="新しい名前"' in reply.get_data(as_text=True)  # the typing is kept
    after = stored(pg_app, token_of(base))
    assert after.document == before.document and after.revision == before.revision
