"""Rate limits hold across gunicorn's workers: the configured limit is the limit, not the limit per worker.

Its own server (three workers, a fresh database), so that the sign-in failures it provokes never slow the
other end-to-end tests, which sign in from the same loopback address.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import BIN, ROOT, Server, _free_port, _server_env, _wait_until_up
from tests.e2e.http import Browserless


@pytest.fixture(scope="module")
def three_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("limits-server")
    env = {**_server_env(folder), "WEB_CONCURRENCY": "3", "READINESS_INSTANCE_DIR": str(folder / "instance")}
    migrate = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade", "-d", "migrations"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    log = folder / "gunicorn.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{port}", "--no-control-socket"],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/", process, log)
        yield Server(url, log, env)
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_ten_sign_ins_a_minute_means_ten_across_all_workers(three_workers: Server) -> None:
    """Before: each of the 3 workers counted alone, so 30 attempts got through."""
    statuses = []
    for number in range(14):
        visitor = Browserless(three_workers.url)  # a new connection each time: the attempts spread over workers
        token = visitor.get("/login").csrf()
        reply = visitor.post(
            "/login", {"csrf_token": token, "email": f"nobody{number}@example.com", "password": "wrong password"}
        )
        statuses.append(reply.status)
    assert statuses[:10] == [401] * 10, statuses
    assert statuses[10:] == [429] * 4, statuses
