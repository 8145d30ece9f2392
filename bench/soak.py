"""Soak: a bounded, mixed load on the real server, with a worker and a PDF render process killed part-way.
Every save the server acknowledged must be in the database at the end.

Set-up: gunicorn as `make run` serves it (gunicorn.conf.py, three sync workers), on a fresh SQLite file.
ASSESSMENTS self-assessments each get one client per page (profile, funnel and the three checklist pages),
so five clients save *different pages of the same assessment* at once, as two browsers of one manager would,
each sending the whole page as a browser does. Each client numbers its saves; a save is acknowledged when
the server answers 302 (the next page).

Part-way, the soak SIGKILLs one gunicorn worker (gunicorn starts another) and, once a proposal PDF is being
rendered, the render process. At the end it checks, per client, that the stored value is at least the last
acknowledged one (a save whose answer was lost with the killed worker may or may not have been applied, so
a later number is fine; an earlier one would be a lost save), and that the PDF still arrives.

Run: .venv/bin/python bench/soak.py [seconds]   (default 20; prints figures, exits 1 if anything was lost)
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ASSESSMENTS = 4
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
PAGES = {  # page -> (field the client numbers, how the number is written)
    "profile": "client__name",
    "funnel": "survey__funnel__leads",
    "checklist-organization": "comments__org__mql_definition",
    "checklist-tools": "comments__tools__ma_plan",
    "checklist-data": "comments__data__customer_master",
}
ANSWERS = {  # what a browser sends with each checklist page besides the numbered comment (10 answers in all)
    "checklist-organization": {f"checklist__org__{item}": "partial" for item in (
        "exec_sponsorship", "mql_definition", "sql_definition", "handoff_rules", "baton_meeting", "kpis_defined",
        "marketing_owner")},
    "checklist-tools": {f"checklist__tools__{item}": "yes" for item in ("ma_plan", "sfa_plan", "tool_owners")},
}  # fmt: skip
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep the 302 of a save: it is the acknowledgement."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Client:
    """One browser: its own cookies and CSRF token, saving one page of one assessment again and again."""

    def __init__(self, base: str, token: str, page: str, field: str) -> None:
        self.base, self.token, self.page, self.field = base, token, page, field
        jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(jar, NoRedirect())
        self.acknowledged = 0
        self.attempted = 0
        self.failures: dict[str, int] = {}
        self.latencies: list[float] = []
        self.csrf = self._csrf()

    def _csrf(self) -> str:
        with self.opener.open(f"{self.base}/a/{self.token}/{self.page}", timeout=30) as response:
            match = CSRF.search(response.read().decode())
        assert match, "no CSRF token on the page"
        return match.group(1) or match.group(2)

    def save(self, number: int) -> None:
        """POST the page with ``number`` in the client's field; count the answer."""
        value = str(number) if self.page == "funnel" else f"soak-{number}"
        form = {**ANSWERS.get(self.page, {}), "csrf_token": self.csrf, self.field: value, "action": "back"}
        data = urllib.parse.urlencode(form).encode()
        self.attempted = number
        started = time.perf_counter()
        try:
            request = urllib.request.Request(f"{self.base}/a/{self.token}/{self.page}", data=data, method="POST")
            with self.opener.open(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            self.failures[type(error).__name__] = self.failures.get(type(error).__name__, 0) + 1
            return
        self.latencies.append((time.perf_counter() - started) * 1000)
        if status in (302, 303):
            self.acknowledged = number
        else:
            self.failures[str(status)] = self.failures.get(str(status), 0) + 1


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def main() -> int:
    """Start the server, run the load, kill a worker and a render process, check nothing acknowledged is lost."""
    tmp = Path(tempfile.mkdtemp(prefix="readiness-soak-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'soak.db'}",
        "READINESS_ENV": "development",
        "SECRET_KEY": secrets.token_hex(32),
        "READINESS_INSTANCE_DIR": str(tmp / "instance"),
        "READINESS_CACHE_DIR": str(tmp / "cache"),
        "READINESS_RATE_LIMIT": "100000 per minute",
        "WEB_CONCURRENCY": "3",
    }
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade", "-d", "migrations"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp / "gunicorn.log").open("wb")
    master = subprocess.Popen(
        [str(BIN / "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{port}", "--no-control-socket"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        return _soak(base, master, env)
    finally:
        os.killpg(master.pid, signal.SIGTERM)
        try:
            master.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(master.pid, signal.SIGKILL)
        log.close()


def _soak(base: str, master: subprocess.Popen[bytes], env: dict[str, str]) -> int:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=5):
                break
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.2)
    tokens = [_new_assessment(base) for _ in range(ASSESSMENTS)]
    clients = [Client(base, token, page, field) for token in tokens for page, field in PAGES.items()]
    stop = threading.Event()

    def run(client: Client) -> None:
        number = 0
        while not stop.is_set():
            number += 1
            client.save(number)

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    events: list[str] = []
    time.sleep(SECONDS / 3)
    workers = children(master.pid)
    os.kill(workers[0], signal.SIGKILL)
    events.append(f"{time.monotonic() - started:5.1f} s  SIGKILL gunicorn worker {workers[0]} (of {len(workers)})")
    pdf_seconds = _kill_a_render(base, _new_assessment(base), master, events, started)  # nobody edits this one
    time.sleep(max(0.0, SECONDS - (time.monotonic() - started)))
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    lost = []
    for client in clients:
        stored = _stored_number(base, client)
        if stored < client.acknowledged:
            lost.append((client.token[:8], client.page, client.acknowledged, stored))
    saves = sum(len(c.latencies) for c in clients)
    acknowledged = sum(c.acknowledged for c in clients)
    failures: dict[str, int] = {}
    for client in clients:
        for kind, count in client.failures.items():
            failures[kind] = failures.get(kind, 0) + count
    latencies = sorted(latency for c in clients for latency in c.latencies)
    print(f"python {sys.version.split()[0]}  cores: {os.cpu_count()}  gunicorn workers: 3 (sync), SQLite file")
    print(f"{len(clients)} clients: {ASSESSMENTS} assessments x {len(PAGES)} pages, each client on its own page")
    for line in events:
        print(line)
    print(f"answered saves: {saves} in {elapsed:.1f} s ({saves / elapsed:.0f}/s); acknowledged (302): {acknowledged}")
    print(f"not acknowledged: {failures or 'none'}")
    print(
        f"save latency ms: p50 {statistics.median(latencies):.1f}  p95 {latencies[int(len(latencies) * 0.95)]:.1f}"
        f"  max {latencies[-1]:.1f}"
    )
    arrived = f"arrived after {pdf_seconds:.1f} s" if pdf_seconds else "NOT ARRIVED"
    print(f"PDF after its render process was killed: {arrived}")
    print(f"lost acknowledged saves: {len(lost)} {lost if lost else ''}")
    return 0 if not lost and pdf_seconds else 1


def _new_assessment(base: str) -> str:
    """A self-assessment with half the checklist answered (enough for a proposal PDF)."""
    jar = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with jar.open(base + "/", timeout=30) as response:
        match = CSRF.search(response.read().decode())
    assert match
    data = urllib.parse.urlencode({"csrf_token": match.group(1) or match.group(2)}).encode()
    with jar.open(urllib.request.Request(base + "/start", data=data, method="POST"), timeout=30) as response:
        url = response.url
    token = url.split("/a/", 1)[1].split("/", 1)[0]
    for page, answers in ANSWERS.items():
        with jar.open(f"{base}/a/{token}/{page}", timeout=30) as response:
            match = CSRF.search(response.read().decode())
        assert match
        body = urllib.parse.urlencode({**answers, "csrf_token": match.group(1) or match.group(2), "action": "back"})
        jar.open(urllib.request.Request(f"{base}/a/{token}/{page}", data=body.encode(), method="POST"), timeout=30)
    return token


def _kill_a_render(base: str, token: str, master: subprocess.Popen[bytes], events: list[str], started: float) -> float:
    """Ask for the proposal PDF, SIGKILL its render process mid-render, and poll until the PDF arrives."""
    asked = time.monotonic()
    urllib.request.urlopen(f"{base}/a/{token}/report.pdf?lang=ja", timeout=30).read()
    renders: list[int] = []
    while not renders and time.monotonic() - asked < 30:
        renders = [pid for worker in children(master.pid) for pid in children(worker)]
        time.sleep(0.05)
    for pid in renders:
        os.kill(pid, signal.SIGKILL)
    events.append(f"{time.monotonic() - started:5.1f} s  SIGKILL PDF render process(es) {renders}")
    statuses: list[int] = []
    while time.monotonic() - asked < 180:
        try:
            with urllib.request.urlopen(f"{base}/a/{token}/report.pdf?lang=ja", timeout=60) as response:
                statuses.append(response.status)
                if response.status == 200 and response.read(4) == b"%PDF":
                    events.append(f"{time.monotonic() - started:5.1f} s  PDF polls answered {statuses}")
                    return time.monotonic() - asked
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
        time.sleep(2)  # as the preparing page refreshes
    events.append(f"PDF polls answered {statuses}")
    return 0.0


def _stored_number(base: str, client: Client) -> int:
    """The number the client's field holds now, read back through the assessment file."""
    import yaml

    with urllib.request.urlopen(f"{base}/a/{client.token}/assessment.yaml", timeout=30) as response:
        stored = yaml.safe_load(response.read())
    if client.page == "profile":
        value = stored["client"].get("name", "")
    elif client.page == "funnel":
        value = stored["survey"]["funnel"].get("leads", 0)
    else:
        item = client.field.removeprefix("comments__").replace("__", ".")
        value = stored.get("comments", {}).get(item, "")
    text = str(value).removeprefix("soak-")
    return int(float(text)) if text else 0


if __name__ == "__main__":
    sys.exit(main())
