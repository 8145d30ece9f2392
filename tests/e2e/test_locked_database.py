"""The real server while another process holds SQLite's write lock (a backup, a migration, a long script):
a save answers 503 with Retry-After and the typing on the page, nothing is stored, page views go on, and
once the lock is released the same save goes through."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest
import yaml

from tests import databases
from tests.e2e.conftest import Server, running_server
from tests.e2e.http import Browserless

pytestmark = pytest.mark.sqlite_only  # SQLite's write lock, taken by another process


@pytest.fixture(scope="module")
def sqlite_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The shared server when it runs on SQLite; in a PostgreSQL pass, a SQLite server of its own."""
    if databases.chosen() == "sqlite":
        yield request.getfixturevalue("server")
        return
    folder = tmp_path_factory.mktemp("sqlite-server")
    with running_server(folder, DATABASE_URL=f"sqlite:///{folder / 'e2e.db'}") as running:
        yield running


def hold_write_lock(database: str) -> subprocess.Popen[str]:
    """A second process that takes the write lock and keeps it until its stdin closes."""
    script = textwrap.dedent(
        f"""
        import sqlite3, sys
        connection = sqlite3.connect({database!r}, isolation_level=None, timeout=0)
        connection.execute("BEGIN IMMEDIATE")
        print("locked", flush=True)
        sys.stdin.read()
        connection.execute("ROLLBACK")
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_save_while_another_process_holds_the_lock_is_refused_honestly(sqlite_server: Server) -> None:
    server = sqlite_server
    visitor = Browserless(server.url)
    landing = visitor.get("/")
    first = visitor.post("/start", {"csrf_token": landing.csrf()})
    base = first.url.rsplit("/", 1)[0]
    token = first.csrf()
    saved = visitor.post(f"{base}/profile", {"csrf_token": token, "client__name": "ロック前", "action": "next"})
    assert saved.status == 200 and saved.url.endswith("/funnel")

    holder = hold_write_lock(server.env["DATABASE_URL"].removeprefix("sqlite:///"))
    try:
        refused = visitor.post(f"{base}/profile", {"csrf_token": token, "client__name": "ロック中の入力"})
        assert refused.status == 503, refused.status
        assert 'value="ロック中の入力"' in refused.text and "保存されていません" in refused.text
        assert "保存しました" not in refused.text and "Traceback" not in refused.text
        assert visitor.get(f"{base}/funnel").status == 200  # other pages are shown while the lock is held
        assert visitor.get("/").status == 200
    finally:
        holder.communicate("", timeout=10)
    stored = yaml.safe_load(visitor.get(f"{base}/assessment.yaml").body)
    assert stored["client"]["name"] == "ロック前"  # nothing of the refused save
    again = visitor.post(f"{base}/profile", {"csrf_token": token, "client__name": "ロック中の入力", "action": "next"})
    assert again.status == 200 and again.url.endswith("/funnel")
    assert yaml.safe_load(visitor.get(f"{base}/assessment.yaml").body)["client"]["name"] == "ロック中の入力"
