"""How the app is served: the request's store connection goes back to the pool, and gunicorn's settings."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest
from flask import Flask

from assessment.web.models import db

ROOT = Path(__file__).resolve().parents[2]


def test_every_request_returns_its_store_connection_to_the_pool(app_nocsrf: Flask) -> None:
    client = app_nocsrf.test_client()
    page = client.post("/start").headers["Location"]
    with app_nocsrf.app_context():
        pool = db.engine.pool
    for _ in range(3):
        assert client.get(page).status_code == 200
        assert client.post(page, data={"action": "next"}).status_code in (200, 302, 422)
        assert client.get(page + "-missing").status_code == 404  # an aborted request too
        assert pool.checkedout() == 0  # type: ignore[attr-defined]


def test_a_save_is_committed_by_itself_and_read_back_on_the_next_request(app_nocsrf: Flask) -> None:
    client = app_nocsrf.test_client()
    page = client.post("/start").headers["Location"]
    token = page.split("/")[-2]
    with app_nocsrf.app_context():
        from assessment.web import store

        before = store.load(token).revision
    assert client.post(page, data={"action": "back"}).status_code in (200, 302)
    with app_nocsrf.app_context():
        assert store.load(token).revision == before + 1


@pytest.mark.parametrize(("concurrency", "workers"), [(None, (os.cpu_count() or 1) + 1), ("5", 5)])
def test_gunicorn_runs_sync_workers_one_per_core_plus_one(
    monkeypatch: pytest.MonkeyPatch, concurrency: str | None, workers: int
) -> None:
    if concurrency is None:
        monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    else:
        monkeypatch.setenv("WEB_CONCURRENCY", concurrency)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["worker_class"] == "sync"
    assert settings["workers"] == workers
