"""PDFs through the job queue (REDIS_URL set): a real Redis the tests start, real `flask worker` processes.

The app enqueues; a worker process of its own renders and keeps the PDF in the database (no file on this
node); a failed render says so on the page after its retries, and "try again" renders anew; a render that
overruns its time is killed; a worker killed mid-render leaves its job to another worker.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from pypdf import PdfReader
from redis import Redis
from rq import Queue
from rq.job import Job, JobStatus
from sqlalchemy import select

from assessment.web.models import RenderedPdf, db
from assessment.web.render_queue import JOB_PREFIX, QUEUE_NAME
from tests.redis_server import RedisServer
from tests.web import ROOT, build_app, dispose, text, translate

pytestmark = pytest.mark.pdf  # renders proposals with WeasyPrint in worker processes

CLIENT_NAME = "Queue Widgets KK"
DOCUMENT = {
    "version": 1,
    "client": {"name": CLIENT_NAME, "employees": 150},
    "checklist": {
        "org.baton_meeting": "no",
        "org.handoff_rules": "no",
        "org.exec_sponsorship": "yes",
        "org.marketing_owner": "yes",
        "org.kpis_defined": "partial",
        "org.mql_definition": "yes",
        "org.sql_definition": "partial",
        "tools.ma_plan": "yes",
        "tools.sfa_plan": "yes",
        "data.lead_capture": "yes",
    },
}


@pytest.fixture
def queued_app(tmp_path: Path, web_cache_dir: Path, redis_server: RedisServer) -> Iterator[Flask]:
    """An app whose PDFs go through the queue on the test's Redis (emptied first)."""
    redis_server.flush()
    app = build_app(tmp_path / "node", web_cache_dir, WTF_CSRF_ENABLED=False, REDIS_URL=redis_server.url)
    yield app
    dispose(app)


def worker_environment(app: Flask, redis_url: str, web_cache_dir: Path, **extra: str) -> dict[str, str]:
    """What a worker on another machine is given: the same database and Redis, its own instance folder."""
    return {
        **os.environ,
        "SECRET_KEY": "worker-test-secret",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url,
        "READINESS_INSTANCE_DIR": str(Path(app.instance_path).parent / "worker-instance"),
        "READINESS_CACHE_DIR": str(web_cache_dir),
        **extra,
    }


def start_worker(environment: dict[str, str], *arguments: str) -> subprocess.Popen[str]:
    """``flask --app wsgi worker`` as the deployment runs it."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "worker", *arguments]
    return subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # its own process group: the worker and its scheduler, as on a machine of its own
    )  # fmt: skip


def imported(app: Flask) -> str:
    """A stored self-service diagnosis: its base URL."""
    response = app.test_client().post("/import", data={"file": (io.BytesIO(json.dumps(DOCUMENT).encode()), "a.json")})
    assert response.status_code == 302
    return str(response.location.rsplit("/", 1)[0])


def processes_of_worker(name: str) -> list[int]:
    """Process ids still running for worker ``name`` (its work horse carries RQ_WORKER_ID in its environment)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"RQ_WORKER_ID={name}.".encode() in environ.read_bytes():  # the name, then the process id
                found.append(int(environ.parent.name))
        except OSError:  # ended meanwhile, or not ours to read
            continue
    return found


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def only_job(redis_url: str) -> Job:
    """The one render job the queue knows of, wherever it is (queued, running, waiting to retry, done)."""
    connection = Redis.from_url(redis_url)
    queue = Queue(QUEUE_NAME, connection=connection)
    registries = (queue.started_job_registry, queue.scheduled_job_registry, queue.failed_job_registry,
                  queue.finished_job_registry)  # fmt: skip
    ids = [*queue.job_ids, *(job_id for registry in registries for job_id in registry.get_job_ids())]
    assert len(set(ids)) == 1, ids
    return Job.fetch(ids[0], connection=connection)


def test_a_worker_process_renders_the_pdf_into_the_database(
    queued_app: Flask, redis_server: RedisServer, web_cache_dir: Path
) -> None:
    client = queued_app.test_client()
    base = imported(queued_app)
    waiting = client.get(f"{base}/report.pdf")
    assert waiting.status_code == 202  # enqueued; no render process on this node
    assert "PDF" in text(waiting)
    assert client.get(f"{base}/report.pdf").status_code == 202  # a second poll enqueues nothing more
    job = only_job(redis_server.url)
    assert job.id.startswith(JOB_PREFIX) and job.get_status() == JobStatus.QUEUED

    worker = start_worker(worker_environment(queued_app, redis_server.url, web_cache_dir), "--burst")
    output, _ = worker.communicate(timeout=180)
    assert worker.returncode == 0, output

    done = client.get(f"{base}/report.pdf")
    assert done.status_code == 200 and done.mimetype == "application/pdf"
    assert CLIENT_NAME in pdf_text(done.data)
    with queued_app.app_context():
        stored = db.session.execute(select(RenderedPdf.key, RenderedPdf.size)).all()
    assert [(JOB_PREFIX + key, size) for key, size in stored] == [(job.id, len(done.data))]
    assert not list((Path(queued_app.instance_path) / "pdf").glob("*.pdf"))  # nothing on this node's disk


def test_a_render_that_overruns_its_time_fails_and_the_page_says_so_then_try_again_works(
    queued_app: Flask, redis_server: RedisServer, web_cache_dir: Path
) -> None:
    client = queued_app.test_client()
    base = imported(queued_app)
    queued_app.config["READINESS_PDF_RETRIES"] = 0
    from assessment.web import render_queue

    renders = queued_app.extensions[render_queue.EXTENSION]
    queued_app.extensions[render_queue.EXTENSION] = type(renders)(
        connection=renders.connection, queue=renders.queue, timeout=1, retries=0, store=renders.store
    )
    assert client.get(f"{base}/report.pdf?lang=en").status_code == 202
    environment = worker_environment(queued_app, redis_server.url, web_cache_dir)
    output, _ = start_worker(environment, "--burst").communicate(timeout=120)
    job = only_job(redis_server.url)
    assert job.get_status() == JobStatus.FAILED, output
    assert "JobTimeoutException" in (job.latest_result().exc_string or "")  # type: ignore[union-attr]

    failed = client.get(f"{base}/report.pdf?lang=en")
    assert failed.status_code == 500
    page = text(failed)
    assert translate(queued_app, "The PDF could not be made", "ja") in page  # the site's language, Japanese
    assert translate(queued_app, "Preparing your PDF…", "ja") not in page
    assert "retry=1" in page and "lang=en" in page  # the way to try again keeps the language
    assert "Traceback" not in page and "JobTimeout" not in page

    queued_app.extensions[render_queue.EXTENSION] = renders  # the usual time again
    assert client.get(f"{base}/report.pdf?lang=en&retry=1").status_code == 202
    output, _ = start_worker(environment, "--burst").communicate(timeout=180)
    done = client.get(f"{base}/report.pdf?lang=en")
    assert done.status_code == 200, output
    assert CLIENT_NAME in pdf_text(done.data)


def test_a_failing_render_is_retried_before_the_page_says_it_failed(
    queued_app: Flask, redis_server: RedisServer, web_cache_dir: Path, tmp_path: Path
) -> None:
    """A worker whose database lacks the PDF table fails at every try: one retry, then failed."""
    from assessment.web import render_queue

    renders = queued_app.extensions[render_queue.EXTENSION]
    queued_app.extensions[render_queue.EXTENSION] = type(renders)(
        connection=renders.connection, queue=renders.queue, timeout=renders.timeout, retries=1, store=renders.store
    )
    client = queued_app.test_client()
    base = imported(queued_app)
    assert client.get(f"{base}/report.pdf").status_code == 202
    broken = worker_environment(queued_app, redis_server.url, web_cache_dir, DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    worker = start_worker(broken)
    try:
        deadline = time.monotonic() + 120
        job = only_job(redis_server.url)
        while job.get_status(refresh=True) != JobStatus.FAILED:
            assert time.monotonic() < deadline, "the job never failed for good"
            assert client.get(f"{base}/report.pdf").status_code == 202  # "Preparing…" while retries remain
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)
    job = only_job(redis_server.url)
    assert job.retries_left == 0
    assert output.count("no such table: rendered_pdfs") >= 2, output  # tried, then tried again
    assert client.get(f"{base}/report.pdf").status_code == 500


def test_a_worker_killed_mid_render_leaves_its_job_to_another_worker(
    queued_app: Flask, redis_server: RedisServer, web_cache_dir: Path
) -> None:
    client = queued_app.test_client()
    base = imported(queued_app)
    assert client.get(f"{base}/report.pdf").status_code == 202
    job = only_job(redis_server.url)
    environment = worker_environment(queued_app, redis_server.url, web_cache_dir)
    first = start_worker(environment, "--name", "first")
    deadline = time.monotonic() + 60
    while job.get_status(refresh=True) != JobStatus.STARTED:
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # the machine is lost: no clean shutdown, no failure recorded
    first.wait(timeout=10)  # (its render, in a process group of its own, dies with it: PR_SET_PDEATHSIG)
    assert first.stdout is not None
    first.stdout.close()
    deadline = time.monotonic() + 5
    while processes_of_worker("first"):
        assert time.monotonic() < deadline, "the killed worker's render went on without it"
        time.sleep(0.1)
    time.sleep(0.5)
    assert client.get(f"{base}/report.pdf").status_code == 202  # not failed: waiting for another worker

    second = start_worker(environment, "--name", "first")  # restarted at once under its name, as systemd does
    try:
        deadline = time.monotonic() + 150
        while (response := client.get(f"{base}/report.pdf")).status_code == 202:
            assert time.monotonic() < deadline, "no other worker took the job over"
            assert second.poll() is None
            time.sleep(1)
    finally:
        second.send_signal(signal.SIGTERM)
        output, _ = second.communicate(timeout=60)
    assert response.status_code == 200, output
    assert CLIENT_NAME in pdf_text(response.data)
    assert "Successfully completed" in output and f"on worker first.{second.pid}" in output, output


def test_a_workshop_proposal_through_the_queue_failed_then_made_and_kept(
    queued_app: Flask, redis_server: RedisServer, web_cache_dir: Path
) -> None:
    """The proposal page's row says a PDF could not be made (not "being prepared" for ever); trying again through
    its link renders it, and the PDF is then kept with the proposal."""
    from assessment.web import render_queue
    from assessment.web.accounts import create_consultant
    from assessment.web.models import Firm, Proposal, Respondent
    from tests.web import consultant_client, new_workshop_round
    from tests.web.test_firm_proposals import ITEMS, generated

    with queued_app.app_context():
        firm = Firm(name="Queue Partners")
        db.session.add(firm)
        db.session.flush()
        create_consultant("q@example.com", "consultant-password-1", "Quinn", firm=firm)
    consultant = consultant_client(queued_app, "q@example.com")
    engagement = new_workshop_round(consultant, "キュー商事")
    consultant.post(f"/engagements/{engagement}/invites", data={"department": "marketing", "name": "", "days": "3"})
    with queued_app.app_context():
        person = db.session.execute(db.select(Respondent).filter_by(engagement_id=engagement)).scalar_one()
        person.answers = dict.fromkeys(ITEMS, "partial")
        db.session.commit()
    renders = queued_app.extensions[render_queue.EXTENSION]
    queued_app.extensions[render_queue.EXTENSION] = type(renders)(
        connection=renders.connection, queue=renders.queue, timeout=1, retries=0, store=renders.store
    )
    proposal = generated(consultant, engagement)
    environment = worker_environment(queued_app, redis_server.url, web_cache_dir)
    output, _ = start_worker(environment, "--burst").communicate(timeout=120)
    page = text(consultant.get(f"/engagements/{engagement}/proposal"))
    row = page[page.index(f'id="proposal-{proposal}"') :].split("</tr>")[0]
    assert translate(queued_app, "Could not be made — try again", "ja") in row, output
    assert translate(queued_app, "Being prepared — open", "ja") not in row
    assert consultant.get(f"/engagements/{engagement}/proposals/{proposal}.pdf").status_code == 500

    queued_app.extensions[render_queue.EXTENSION] = renders
    assert consultant.get(f"/engagements/{engagement}/proposals/{proposal}.pdf?retry=1").status_code == 202
    output, _ = start_worker(environment, "--burst").communicate(timeout=180)
    made = consultant.get(f"/engagements/{engagement}/proposals/{proposal}.pdf")
    assert made.status_code == 200, output
    assert "キュー商事" in pdf_text(made.data).replace("\n", "")
    with queued_app.app_context():
        assert bytes(db.session.get(Proposal, proposal).pdf or b"") == made.data  # kept with the proposal
