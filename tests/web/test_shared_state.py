"""State several app nodes share once REDIS_URL is set: the rate-limit counters live in Redis (any node counts
against the same limit), and sign-ins live in the database (any node knows them). The page cache stays per
node: its keys carry the row's revision, so a node never serves a page older than what it was asked for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from limits.storage import RedisStorage
from redis import Redis

from assessment.web.security import limiter
from tests.redis_server import RedisServer
from tests.web import count_rows


def node(make_app: Callable[..., Flask], redis_server: RedisServer, tmp_path: Path, **config: object) -> Flask:
    """An app configured as a deployment node is: REDIS_URL in its environment, nothing else about Redis."""
    environ = {
        "READINESS_ENV": "development",
        "READINESS_INSTANCE_DIR": str(tmp_path / "instance"),
        "REDIS_URL": redis_server.url,
    }
    return make_app(ENVIRON=environ, RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False, **config)


def test_rate_limits_count_in_redis_when_redis_url_is_set(
    make_app: Callable[..., Flask], redis_server: RedisServer, tmp_path: Path
) -> None:
    redis_server.flush()
    app = node(make_app, redis_server, tmp_path)
    assert app.config["RATELIMIT_STORAGE_URI"] == redis_server.url
    assert isinstance(limiter.storage, RedisStorage)
    client = app.test_client()
    for attempt in range(30):
        assert client.post("/start").status_code == 302, attempt
    assert client.post("/start").status_code == 429
    assert count_rows(app) == 30
    connection = Redis.from_url(redis_server.url)
    counters = {key.decode(): int(connection.get(key) or 0) for key in connection.scan_iter("LIMITS*")}
    assert any("start" in key and count >= 30 for key, count in counters.items()), counters  # where every node looks


def test_without_redis_the_counters_stay_in_the_machines_own_file(make_app: Callable[..., Flask]) -> None:
    from assessment.web.rate_store import SQLiteStorage

    app = make_app(RATELIMIT_ENABLED=True)
    assert app.config["REDIS_URL"] == ""
    assert isinstance(limiter.storage, SQLiteStorage)


def test_a_wrong_scale_out_setting_stops_the_app_naming_the_variable(tmp_path: Path) -> None:
    import pytest

    from assessment.web.config import ConfigError, settings_from_env

    base = {"READINESS_ENV": "development"}
    cases = {
        "REDIS_URL": ("http://cache.example:6379", "REDIS_URL must start with redis://"),
        "READINESS_PDF_STORAGE": ("ftp", "READINESS_PDF_STORAGE must be one of database"),
        "READINESS_PDF_TIMEOUT": ("0", "READINESS_PDF_TIMEOUT must be a whole number from 1 to 3600"),
        "READINESS_PDF_RETRIES": ("many", "READINESS_PDF_RETRIES must be a whole number from 0 to 5"),
    }
    for name, (value, message) in cases.items():
        with pytest.raises(ConfigError, match=message):
            settings_from_env(str(tmp_path), {**base, name: value})
    settings = settings_from_env(str(tmp_path), {**base, "REDIS_URL": "redis://127.0.0.1:6379/2"})
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/2"
    assert (
        settings["READINESS_PDF_STORAGE"],
        settings["READINESS_PDF_TIMEOUT"],
        settings["READINESS_PDF_RETRIES"],
    ) == (
        "database",
        180,
        2,
    )


def test_with_redis_down_pages_and_saves_go_on_and_a_pdf_says_it_could_not_be_made(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    """Redis is a helper, not the store: while it is unreachable the limits are skipped (logged), answers are
    still saved in the database, and a PDF request gets the failure page, never a traceback."""
    from tests.redis_server import running_redis
    from tests.web import translate

    with running_redis() as own_redis:
        app = node(make_app, own_redis, tmp_path)
        client = app.test_client()
        assert client.get("/").status_code == 200
        own_redis.process.terminate()
        own_redis.process.wait(timeout=10)
        assert client.get("/").status_code == 200
        started = client.post("/start")
        assert started.status_code == 302 and count_rows(app) == 1
        report = client.get(started.location.rsplit("/", 1)[0] + "/report.pdf")
        assert report.status_code in (409, 500)  # held back (nothing answered) is fine too; never a crash
        sample = client.get("/sample-report.pdf")
        assert sample.status_code == 500
        assert translate(app, "The PDF could not be made", "ja") in sample.get_data(as_text=True)
        assert "Traceback" not in sample.get_data(as_text=True)
