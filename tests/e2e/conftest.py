"""End-to-end fixtures: the real app under gunicorn on a free loopback port, and Debian's headless Chromium.

The server runs exactly as deployed (``flask db upgrade`` then ``gunicorn wsgi:app``) against a throw-away
SQLite database, or a fresh PostgreSQL database with READINESS_TEST_DATABASE (tests/databases.py). Chromium is
Debian's package (``/usr/bin/chromium``) where there is one; elsewhere (Ubuntu ships it only as a snap)
``scripts/bootstrap.sh`` installs Playwright's own build. Both are installed by setup, never by a test.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests import databases

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class Server:
    """The running app: its base URL and the log it writes."""

    url: str
    log: Path
    env: dict[str, str]

    def flask(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a ``flask`` CLI command against the server's database."""
        return subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip


@dataclass(frozen=True)
class Account:
    """A consultant account on the running server."""

    email: str
    password: str


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(folder: Path) -> dict[str, str]:
    """The environment of the app: development mode, its own cache and instance folder, no outside branding (its
    database comes apart: ``running_server``)."""
    unwanted = ("SECRET_KEY", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_") and k not in unwanted}
    env.update(
        READINESS_ENV="development",
        READINESS_CACHE_DIR=str(folder),
        READINESS_INSTANCE_DIR=str(folder / "instance"),  # the PDF cache, the key, the limits: never the checkout
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"the app did not answer at {url} within {START_TIMEOUT:.0f}s:\n{log.read_text(errors='replace')}"
    )


@contextmanager
def running_server(folder: Path, **settings: str) -> Iterator[Server]:
    """Migrate a fresh database (SQLite under ``folder``, or PostgreSQL with READINESS_TEST_DATABASE), start
    ``gunicorn wsgi:app`` (with the repository's gunicorn.conf.py, as ``make run``) on a free port with ``settings``
    added to its environment, stop it after. A ``DATABASE_URL`` among ``settings`` is used as it is."""
    env = {**_server_env(folder), **settings}
    env.setdefault("DATABASE_URL", databases.server_database(folder))
    try:
        yield from _serve(env, folder)
    finally:
        databases.release(env["DATABASE_URL"])


def _serve(env: dict[str, str], folder: Path) -> Iterator[Server]:
    migrate = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade", "-d", "migrations"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert migrate.returncode == 0, f"flask db upgrade failed:\n{migrate.stdout}\n{migrate.stderr}"

    port = _free_port()
    log = folder / "gunicorn.log"
    command = [
        str(BIN / "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{port}",
        "--timeout", "120", "--graceful-timeout", "5", "--no-control-socket",
    ]  # fmt: skip
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/", process, log)
        yield Server(url, log, env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app as ``make run`` serves it, shared by the end-to-end tests. Only the per-address sign-in limit is
    raised: every browser test signs its consultants in from 127.0.0.1 (tests/web/test_rate_limit.py checks the
    default of 10 a minute)."""
    with running_server(tmp_path_factory.mktemp("e2e-server"), READINESS_SIGN_IN_LIMIT="300 per minute") as running:
        yield running


@pytest.fixture(scope="session")
def consultant(server: Server) -> Account:
    """A consultant account, created with the CLI command the README gives for the first account."""
    account = Account("consultant@example.com", "workshop-password-2026")
    created = server.flask("create-consultant", account.email, "--name", "山田 太郎", "--password", account.password)
    assert created.returncode == 0, created.stderr
    return account


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium (Debian's, else Playwright's), with everything that would call out to the network off."""
    executable = str(CHROMIUM) if CHROMIUM.is_file() else None  # None: Playwright's build, from bootstrap.sh
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


Snap = Callable[[Page, str], Path]


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go (a temp folder; copied to $READINESS_SCREENSHOTS when that is set)."""
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="session")
def snap(screenshot_dir: Path) -> Snap:
    """``snap(page, "name")``: save a full-page PNG of ``page`` and return its path."""
    keep = os.environ.get("READINESS_SCREENSHOTS")
    extra = Path(keep) if keep else None
    if extra is not None:
        extra.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if extra is not None:
            shutil.copyfile(path, extra / path.name)
        return path

    return take
