"""PDFs rendered by a job queue when REDIS_URL is set: RQ on Redis, with workers as processes of their own on any
machine (``flask --app wsgi worker``), and finished PDFs in a store every node reaches (``pdf_store``).

Why RQ: Redis is the only broker it needs (the deployment already has Redis for the rate limits); each job runs
in a forked work horse, so WeasyPrint's memory is returned after every render and a render that overruns its
time is killed by the worker from outside (a hard timeout, which a thread-based time limit cannot give to code
busy in C); retries, failure records and the detection of jobs whose worker died come with it. Celery would add
a second configuration language for the same guarantees; Dramatiq's time limit is an exception raised in the
worker thread.

A request for a PDF looks in the store; if the PDF is not there it looks up the render's job, enqueued under a
name derived from the PDF's own key, so however many nodes are polled, one job renders it:
- queued or running: "Preparing…" (the page polls);
- failed after its retries: :class:`RenderFailed`, which the page shows with a way to try again;
- missing (never asked for, or done and since purged): enqueued.
A worker that dies mid-render (killed, machine lost) leaves its job in RQ's started registry; its heartbeat ends
within :data:`HEARTBEAT_GRACE` seconds of the last one, and another worker's upkeep, at most
:data:`MAINTENANCE_EVERY` seconds later, puts the job back in the queue (measured: about half a minute).
"""

from __future__ import annotations

import logging
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from assessment.web.pdf_store import DatabaseStore, PdfStore
from assessment.web.security import mark_render_started

QUEUE_NAME = "readiness-pdf"
EXTENSION = "readiness.render_queue"
JOB_PREFIX = "pdf-"
MONITOR_EVERY = 5  # seconds between a worker's heartbeats while it renders
HEARTBEAT_GRACE = 10  # seconds after a missed heartbeat before a job counts as abandoned (RQ's own: 60)
MAINTENANCE_EVERY = 10  # seconds between a worker's checks for abandoned jobs
FAILED_KEPT = 24 * 3600  # a failed render is remembered (and shown as failed) this long, unless tried again
ENQUEUE_GUARD = 10  # seconds during which a second node asking for the same render does not enqueue it again

log = logging.getLogger(__name__)


class RenderFailed(Exception):
    """The PDF's render failed, its retries included; the page says so and offers to try again."""


@dataclass(frozen=True)
class RenderQueue:
    """The queue PDFs are rendered through, with its settings."""

    connection: Redis
    queue: Queue
    timeout: int  # seconds one render may take before its worker kills it
    retries: int  # how many times a failed render is tried again
    store: PdfStore


def init_app(app: Flask) -> None:
    """With REDIS_URL set, render PDFs through the queue (and register ``flask worker`` either way)."""
    app.cli.add_command(worker_command)
    url = app.config.get("REDIS_URL") or ""
    if not url:
        return
    connection = Redis.from_url(url)
    app.extensions[EXTENSION] = RenderQueue(
        connection=connection,
        queue=Queue(QUEUE_NAME, connection=connection),
        timeout=int(app.config["READINESS_PDF_TIMEOUT"]),
        retries=int(app.config["READINESS_PDF_RETRIES"]),
        store=DatabaseStore(),
    )


def configured() -> RenderQueue | None:
    """The app's render queue, None on the one-machine path."""
    found: RenderQueue | None = current_app.extensions.get(EXTENSION)
    return found


def queued_pdf(
    renders: RenderQueue, key: str, arguments: dict[str, Any], wait: float = 0.0, retry: bool = False
) -> bytes | None:
    """The PDF stored under ``key``, or None while its job is queued or running (enqueued if there is none).
    Raises :class:`RenderFailed` when the job failed for good, unless ``retry`` asks for a fresh try."""
    data = renders.store.get(key)
    if data is not None:
        return data
    try:
        return _from_queue(renders, key, arguments, wait, retry)
    except RedisError as problem:  # the queue is out of reach: the PDF cannot be made now; the page says so
        log.warning("PDF queue unreachable (%s): %r", key, problem)
        raise RenderFailed(key) from None


def _from_queue(renders: RenderQueue, key: str, arguments: dict[str, Any], wait: float, retry: bool) -> bytes | None:
    """The job's side of :func:`queued_pdf`: look it up, enqueue it if need be, wait for it a little."""
    job = _job(renders, key)
    if job is not None:
        status = job.get_status(refresh=False)
        if status == JobStatus.FAILED and not retry:
            raise RenderFailed(key)
        if status in (JobStatus.FAILED, JobStatus.FINISHED, JobStatus.STOPPED, JobStatus.CANCELED):
            job.delete()  # failed and asked again, or done but the PDF since purged: render it anew
            renders.connection.delete(_guard(key))
            job = None
    if job is None and renders.connection.set(_guard(key), 1, nx=True, ex=ENQUEUE_GUARD):
        renders.queue.enqueue(
            render_job,
            key,
            arguments,
            job_id=JOB_PREFIX + key,
            job_timeout=renders.timeout,
            # Retried at once, at the back of the queue: no scheduler process, whose lock a lost machine would
            # hold for minutes; a render that fails for a passing reason has meanwhile let other jobs through.
            retry=Retry(max=renders.retries) if renders.retries else None,
            result_ttl=600,
            failure_ttl=FAILED_KEPT,
            description=f"PDF {key}",
        )
        mark_render_started()
    return _stored_within(renders, key, wait)


def _guard(key: str) -> str:
    return f"readiness:pdf-enqueued:{key}"


def _job(renders: RenderQueue, key: str) -> Job | None:
    try:
        return Job.fetch(JOB_PREFIX + key, connection=renders.connection)
    except NoSuchJobError:
        return None


def _stored_within(renders: RenderQueue, key: str, wait: float) -> bytes | None:
    """Wait up to ``wait`` seconds for the PDF to appear in the store (the page's own short wait)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(0.2)
        data = renders.store.get(key)
        if data is not None:
            return data
        job = _job(renders, key)
        if job is not None and job.get_status(refresh=False) == JobStatus.FAILED:
            raise RenderFailed(key)
    return None


def render_job(key: str, arguments: dict[str, Any]) -> int:
    """The job: render the PDF in the worker's horse and keep it in the store; its size in bytes.

    Runs in a process forked from the worker, inside the worker's app context: the database connections the
    parent holds are left to it (``dispose(close=False)``), and this process opens its own.
    """
    from assessment.web.models import db
    from assessment.web.pdf_process import render

    db.engine.dispose(close=False)
    logo_dir = str(Path(current_app.instance_path) / "pdf" / "logos")
    data: bytes = render(lock_path="", logo_dir=logo_dir, **arguments)
    renders = configured()
    store = renders.store if renders is not None else DatabaseStore()
    store.put(key, data)
    return len(data)


class RenderWorker(Worker):
    """RQ's forking worker, with a shorter heartbeat grace (a lost render is retried in seconds, not minutes)
    and work horses that end with their worker (a worker killed with SIGKILL leaves no render running)."""

    def get_heartbeat_ttl(self, job: Job) -> int:
        """How long the job's heartbeat holds: until the next one is due, plus the grace."""
        if job.timeout and job.timeout > 0:
            remaining = job.timeout - self.current_job_working_time
            return int(min(remaining, self.job_monitoring_interval)) + HEARTBEAT_GRACE
        return int(self.job_monitoring_interval) + HEARTBEAT_GRACE

    def setup_work_horse_signals(self) -> None:
        """In the horse: RQ's signal setup, low priority (pages first), and death with the worker (Linux)."""
        super().setup_work_horse_signals()  # type: ignore[no-untyped-call]
        os.nice(10)
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # not Linux: the worker's own shutdown still ends it on a clean exit
            pass


@click.command("worker")
@click.option("--burst", is_flag=True, help="Render what is queued, then stop (for scripts and tests).")
@click.option("--name", default=None, help="The worker's name in Redis, before its process id (default: random).")
@with_appcontext
def worker_command(burst: bool, name: str | None) -> None:
    """Render queued PDFs (needs REDIS_URL); run as many as the machine has cores for PDFs."""
    renders = configured()
    if renders is None:
        raise click.UsageError("REDIS_URL is not set: without a queue, the app renders PDFs in its own processes.")
    import weasyprint  # noqa: F401 - loaded once here, so each forked render starts with it in memory

    from assessment.content.cache import cached_content

    cached_content()
    worker = RenderWorker(
        [renders.queue],
        connection=renders.connection,
        # the process id after the name: a worker restarted at once after a crash is not refused because its
        # predecessor's registration (kept until it expires) still holds the same name
        name=f"{name}.{os.getpid()}" if name else None,
        job_monitoring_interval=MONITOR_EVERY,
        worker_ttl=25,  # it waits at most 10 s for a job before its own upkeep (RQ's: 405 s)
        maintenance_interval=MAINTENANCE_EVERY,
    )
    worker.work(burst=burst, logging_level="INFO")
