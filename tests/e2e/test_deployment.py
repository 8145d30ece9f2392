"""The shipped deployment (deploy/) as it runs: nginx → two app nodes → PostgreSQL + Redis + a PDF worker.

Every process is started from its shipped file by tests/deploy_units.py: the migration, the two
``readiness-web@<port>`` nodes and ``readiness-worker@1`` from their systemd units (their ExecStart, environment
file and specifiers), nginx with deploy/nginx.conf; PostgreSQL and Redis are the Debian packages' servers,
throw-away. Through nginx, over HTTPS: a consultant opens a round, phones join and save their first page, node 1
is killed (SIGKILL to its whole process group), and the phones save the rest through node 2. Every acknowledged
answer must be in PostgreSQL (read with SQL), nginx must have sent everything after the kill to node 2, and the
round's proposal PDF, asked for through nginx, must arrive, rendered by the worker.
"""

from __future__ import annotations

import io
import re
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Browser
from pypdf import PdfReader

from tests.deploy_units import Deployment, Installation, running_deployment, systemd_verify
from tests.e2e.scale import (
    Pdf,
    Tally,
    Visitor,
    answer_round,
    generate,
    missing_answers,
    new_phone,
    new_round,
    sign_in,
    wait_for_pdf,
)
from tests.postgres import running_postgres
from tests.redis_server import running_redis

pytestmark = pytest.mark.server

PHONES = 6
CLIENT = "Deploy Test KK"
EMAIL, PASSWORD = "lead@example.com", "deployment-password-2026"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """PostgreSQL and Redis, then everything in deploy/ started from its file."""
    folder = tmp_path_factory.mktemp("deployment")
    with running_postgres() as postgres, running_redis() as redis_server:
        url = postgres.create_database("readiness")
        with running_deployment(folder, url, redis_server.url, nodes=2, workers=1) as running:
            yield running


def test_the_units_pass_systemds_own_check(tmp_path: Path) -> None:
    complaints = systemd_verify(Installation(tmp_path / "readiness.env", tmp_path / "state"), tmp_path / "units")
    assert complaints in (None, ""), complaints  # None: systemd-analyze is not installed here


def test_a_round_goes_on_through_the_other_node_when_one_dies_and_its_pdf_arrives(deployment: Deployment) -> None:
    nginx = deployment.nginx
    assert nginx is not None
    made = deployment.flask("create-consultant", EMAIL, "--firm", "Scale Partners", "--admin", "--password", PASSWORD)
    assert made.returncode == 0 and f"created admin {EMAIL}" in made.stdout, made.stderr

    tally = Tally()
    consultant = Visitor(nginx.url, tally, "127.30.0.1", nginx.cert)
    sign_in(consultant, EMAIL, PASSWORD)
    engagement_id, code = new_round(consultant, CLIENT)

    first_saved = threading.Barrier(PHONES + 1, timeout=60)
    node_killed = threading.Event()
    phones = [new_phone(0, engagement_id, n) for n in range(PHONES)]

    def respond(number: int) -> None:
        calls = 0

        def think() -> None:  # before the join, then before each of the three saves
            nonlocal calls
            calls += 1
            if calls == 3:  # the first page is saved: wait for node 1 to die, then save the rest
                first_saved.wait()
                node_killed.wait(timeout=60)

        answer_round(Visitor(nginx.url, tally, "127.10.0.1", nginx.cert), code, phones[number], think)

    threads = [threading.Thread(target=respond, args=(n,)) for n in range(PHONES)]
    for thread in threads:
        thread.start()
    first_saved.wait()
    ports = list(deployment.nodes)
    logged_before_kill = len(nginx.upstreams())
    assert {f"127.0.0.1:{port}" for port in ports} <= set(nginx.upstreams()), "nginx did not use both nodes"
    deployment.nodes[ports[0]].kill()
    node_killed.set()
    for thread in threads:
        thread.join(timeout=120)

    assert [p.failed for p in phones if p.failed] == []
    assert all(len(p.acknowledged) == 3 for p in phones)
    assert missing_answers(deployment.database_url, phones, []) == []
    assert not [h for h in tally.hits if h.status >= 500], tally.retries  # a dead node's refusal: the next node
    after = nginx.upstreams()[logged_before_kill:]
    assert after and {entry.split(",")[-1].strip() for entry in after} == {f"127.0.0.1:{ports[1]}"}
    assert any("," in entry for entry in after)  # tried on node 1, refused, answered by node 2

    pdf = Pdf(engagement_id, CLIENT, "en")
    generate(consultant, pdf)
    wait_for_pdf(consultant, pdf, timeout=120)
    assert pdf.failed == "" and pdf.polls[202] >= 1, pdf.polls  # prepared by the worker while the page waited
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert CLIENT in text
    worker_log = deployment.workers["1"].output()
    assert "Successfully completed" in worker_log, worker_log[-2000:]
    with psycopg.connect(deployment.database_url.replace("postgresql+psycopg", "postgresql")) as connection:
        sizes = connection.execute("SELECT size FROM rendered_pdfs").fetchall()
    assert [size for (size,) in sizes] == [len(pdf.data)]  # in the shared store, not on a node's disk


def test_nginx_redirects_plain_http_and_bounds_request_bodies(deployment: Deployment) -> None:
    nginx = deployment.nginx
    assert nginx is not None
    plain = urllib.request.build_opener(_NoRedirect())
    with pytest.raises(urllib.error.HTTPError) as moved:
        plain.open(nginx.http_url + "/clients", timeout=10)
    with moved.value:
        assert moved.value.code == 301
        assert moved.value.headers["Location"] == "https://127.0.0.1/clients"

    tls = ssl.create_default_context(cafile=str(nginx.cert))

    def post(size: int) -> tuple[int, str]:
        request = urllib.request.Request(nginx.url + "/start", data=b"x" * size, method="POST")
        try:
            with urllib.request.urlopen(request, context=tls, timeout=30) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode(errors="replace")

    status, page = post(1_110_000)  # over the app's MAX_CONTENT_LENGTH, under nginx's bound: the app's own page
    assert status == 413 and re.search(r'<html lang="ja"', page) and "nginx" not in page
    status, page = post(1_200_000)  # over nginx's bound: refused before any node reads it
    assert status == 413 and "nginx" in page


@pytest.mark.browser
def test_a_browser_signs_in_and_saves_through_nginx_over_https(deployment: Deployment, browser: Browser) -> None:
    """Chromium itself (its own Referer and cookie rules over HTTPS): forms are accepted behind the proxy."""
    nginx = deployment.nginx
    assert nginx is not None
    made = deployment.flask("create-consultant", "browser@example.com", "--password", PASSWORD)
    assert made.returncode == 0, made.stderr
    context = browser.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        page.goto(nginx.url + "/login")
        page.fill("input[name=email]", "browser@example.com")
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        assert page.url == nginx.url + "/clients", page.inner_text("main")[:300]
        secure = [c for c in context.cookies() if c["secure"] and c["httpOnly"]]
        assert secure, context.cookies()  # the session cookie is Secure: only HTTPS carries it
        page.goto(nginx.url + "/")
        with page.expect_navigation():
            page.locator("form[action$='/start'] button[type=submit]").click()
        assert page.url.endswith("/profile"), page.url
        page.fill("input[name=client__name]", "Browser Proof KK")
        with page.expect_navigation():
            page.locator("button[name=action][value=next]").click()
        assert page.url.endswith("/funnel"), page.inner_text("main")[:300]
        page.goto(page.url.rsplit("/", 1)[0] + "/profile")
        assert page.input_value("input[name=client__name]") == "Browser Proof KK"
    finally:
        context.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
