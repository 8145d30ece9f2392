"""The PDF worker recovers: a render process that dies breaks nothing for long, its claim does not linger, it
never outlives the app worker that started it, and waiting for a PDF never runs into the rate limit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from assessment.web import pdf
from tests.web import ROOT

pytestmark = pytest.mark.pdf  # renders proposals with WeasyPrint: the slow tier

DOCUMENT = {"version": 1, "client": {"name": "Recovery KK"}}


def render_processes() -> list[int]:
    return pdf.render_process_ids()


def wait_for(predicate: Callable[[], object], seconds: float = 120) -> object:
    deadline = time.monotonic() + seconds
    while not (result := predicate()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
    return result


def test_a_render_process_killed_mid_render_is_replaced_and_the_next_pdf_arrives(tmp_path: Path) -> None:
    assert pdf.pdf_for(DOCUMENT, "ja", tmp_path, "fingerprint") is None  # the render starts
    path = pdf.cached_path(DOCUMENT, "ja", tmp_path, "fingerprint")
    victims = wait_for(render_processes, 30)
    for pid in victims:  # type: ignore[union-attr]
        os.kill(pid, signal.SIGKILL)  # out of memory, or killed by an operator
    wait_for(lambda: not path.with_suffix(".rendering").exists(), 30)  # the failed render's claim is removed
    data = wait_for(lambda: pdf.pdf_for(DOCUMENT, "ja", tmp_path, "fingerprint"))  # polls, as the page does
    assert isinstance(data, bytes) and data.startswith(b"%PDF")
    assert set(render_processes()).isdisjoint(victims)  # type: ignore[arg-type]  # a fresh pool


def test_a_claim_whose_owner_died_is_taken_over_at_once(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "claimed.pdf"
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(finished.stdout)
    path.with_suffix(".rendering").write_text(f"{socket.gethostname()}:{dead}")
    assert pdf.claim(path) is True  # no five-minute wait for a worker that is gone
    assert path.with_suffix(".rendering").read_text() == f"{socket.gethostname()}:{os.getpid()}"
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        path.with_suffix(".rendering").write_text(f"{socket.gethostname()}:{alive.pid}")
        assert pdf.claim(path) is False  # its owner is still rendering
    finally:
        alive.kill()
        alive.wait()


def test_render_processes_die_with_the_app_worker_that_started_them(tmp_path: Path) -> None:
    """A killed gunicorn worker used to leave its 184 MB render process running, orphaned."""
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from assessment.web import pdf
        pdf.pdf_for({DOCUMENT!r}, "ja", Path({str(tmp_path)!r}), "fingerprint")
        deadline = time.monotonic() + 30
        while not pdf._pool._processes and time.monotonic() < deadline:
            time.sleep(0.1)
        print(*[p.pid for p in pdf._pool._processes.values()], flush=True)
        time.sleep(60)
        """
    )
    worker = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        children = [int(pid) for pid in worker.stdout.readline().split()]  # type: ignore[union-attr]
        assert children
        time.sleep(1.0)  # the render processes are up and have asked to die with their parent
        worker.kill()
        worker.wait()

        def all_gone() -> bool:
            for pid in children:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    continue
                return False
            return True

        wait_for(all_gone, 15)
    finally:
        worker.kill()
        worker.wait()
        worker.stdout.close()  # type: ignore[union-attr]


def test_waiting_for_a_pdf_never_runs_into_the_rate_limit(make_app: Callable[..., Flask]) -> None:
    """The preparing page polls every 2 seconds; only requests that start a render count (10 a minute)."""
    app = make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    statuses = [client.get("/sample-report.pdf?lang=en").status_code for _ in range(25)]
    assert 429 not in statuses, statuses
    assert set(statuses) <= {200, 202}


def test_a_request_waiting_on_a_render_whose_process_dies_gets_preparing_not_an_error(tmp_path: Path) -> None:
    document = {"version": 1, "client": {"name": "Waiting KK"}}
    assert pdf.pdf_for(document, "en", tmp_path, "fingerprint") is None
    for pid in wait_for(render_processes, 30):  # type: ignore[union-attr]
        os.kill(pid, signal.SIGKILL)
    waited = pdf.pdf_for(document, "en", tmp_path, "fingerprint", wait=20)  # the page's own wait: no exception
    assert waited is None or waited.startswith(b"%PDF")
    data = wait_for(lambda: pdf.pdf_for(document, "en", tmp_path, "fingerprint"))
    assert isinstance(data, bytes) and data.startswith(b"%PDF")


def test_a_render_that_fails_twice_says_so_and_a_retry_starts_afresh(tmp_path: Path) -> None:
    """One machine, no queue: a render that raises is tried again by the next poll; after ATTEMPTS failures the
    page is told it failed (not "Preparing…" for ever); ``retry`` clears the record and renders again."""
    broken = {"version": 1, "client": {"name": "Broken KK"}, "checklist": {"org.no_such_item": "yes"}}
    path = pdf.cached_path(broken, "ja", tmp_path, "fingerprint")

    def failed() -> bool:
        try:
            pdf.pdf_for(broken, "ja", tmp_path, "fingerprint")
        except pdf.RenderFailed:
            return True
        return False

    wait_for(failed, 120)
    assert pdf.failed_attempts(path) == pdf.ATTEMPTS
    assert not path.with_suffix(".rendering").exists() and not path.exists()
    assert pdf.pdf_for(broken, "ja", tmp_path, "fingerprint", retry=True) is None  # rendering again
    assert pdf.failed_attempts(path) == 0
    wait_for(failed, 120)  # the same input fails the same way: said again, no endless "Preparing…"
