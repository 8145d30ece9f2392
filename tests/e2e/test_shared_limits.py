"""Rate limits hold across gunicorn's workers: the configured limit is the limit, not the limit per worker.

Its own server (three workers, a fresh database), so that the sign-in failures it provokes never slow the
other end-to-end tests, which sign in from the same loopback address.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import Server, running_server
from tests.e2e.http import Browserless


@pytest.fixture(scope="module")
def three_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("limits-server"), WEB_CONCURRENCY="3") as running:
        yield running


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
