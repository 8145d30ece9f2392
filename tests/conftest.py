"""Shared fixtures: the bundled content, the sample file, an in-process CLI runner, assessment builders."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from assessment.cli import main as cli_main
from assessment.content.loader import load_content
from assessment.content.model import Content
from tests import databases

ROOT = Path(__file__).resolve().parents[1]
CONTENT_DIR = ROOT / "questionnaires"
SAMPLE_PATH = CONTENT_DIR / "samples" / "sample.yaml"

CliResult = tuple[int, str, str]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests under tests/e2e run against a live server; those that take a browser also drive Chromium."""
    for item in items:
        if "e2e" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.server)
            if "browser" in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A ``sqlite_only`` test builds its apps on SQLite even in a PostgreSQL pass (before its fixtures are made)."""
    databases.force_sqlite(item.get_closest_marker("sqlite_only") is not None)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the session's PostgreSQL server, if the tests started one (READINESS_TEST_DATABASE)."""
    databases.stop()


def pytest_report_header(config: pytest.Config) -> str:
    """Say which database the app tests run on."""
    return f"app tests' database: {databases.chosen().split('://')[0]} ({databases.SETTING})"


@pytest.fixture(scope="session", autouse=True)
def nothing_written_into_the_checkout() -> Iterator[None]:
    """Every test writes only to temporary folders: the checkout's instance/ gains nothing during the run."""
    instance = ROOT / "instance"
    started = time.time() - 1

    def written() -> list[str]:
        if not instance.is_dir():
            return []
        return sorted(str(p.relative_to(ROOT)) for p in instance.rglob("*") if p.stat().st_mtime >= started)

    yield
    assert written() == [], "tests wrote into the checkout"


@pytest.fixture(scope="session", autouse=True)
def readiness_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point the CLI's content cache at a throw-away folder for the whole session (never ~/.cache)."""
    folder = tmp_path_factory.mktemp("readiness-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("READINESS_CACHE_DIR", str(folder))
        patch.delenv("READINESS_NO_CACHE", raising=False)
        yield folder


@pytest.fixture(scope="session")
def content() -> Content:
    """The bundled, validated content (loaded once per session)."""
    return load_content()


@pytest.fixture(scope="session")
def content_dir() -> Path:
    """The bundled content folder (``questionnaires/``); copy it before editing."""
    return CONTENT_DIR


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """Path to the bundled sample assessment."""
    return SAMPLE_PATH


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[[Sequence[str]], CliResult]:
    """Run ``readiness`` in-process; return (exit status, stdout, stderr).

    Only ``SystemExit`` (argparse usage errors) is turned into a status: any other exception escapes,
    so a crash fails the test instead of looking like a clean exit.
    """

    def run(argv: Sequence[str]) -> CliResult:
        capsys.readouterr()  # drop anything printed before this call
        try:
            code = cli_main([str(arg) for arg in argv])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


def build_assessment(
    *,
    checklist: dict[str, Any] | None = None,
    comments: dict[str, Any] | None = None,
    departments: dict[str, Any] | None = None,
    tools: dict[str, Any] | None = None,
    funnel: dict[str, Any] | None = None,
    client: dict[str, Any] | None = None,
    notes: dict[str, Any] | None = None,
    version: Any = 1,
) -> dict[str, Any]:
    """Return an assessment document as plain data; sections left as None are omitted."""
    document: dict[str, Any] = {"version": version}
    if client is not None:
        document["client"] = copy.deepcopy(client)
    if checklist is not None:
        document["checklist"] = copy.deepcopy(checklist)
    if comments is not None:
        document["comments"] = copy.deepcopy(comments)
    survey: dict[str, Any] = {}
    for key, value in (("departments", departments), ("tools", tools), ("funnel", funnel)):
        if value is not None:
            survey[key] = copy.deepcopy(value)
    if survey:
        document["survey"] = survey
    if notes is not None:
        document["notes"] = copy.deepcopy(notes)
    return document


@pytest.fixture
def make_assessment() -> Callable[..., dict[str, Any]]:
    """Factory fixture: ``make_assessment(checklist=..., funnel=..., ...)`` -> assessment dict."""
    return build_assessment
