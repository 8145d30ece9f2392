"""Benchmark the web app under gunicorn, loaded with Debian's ``wrk`` on loopback (127.0.0.1 only).

Measured side by side in one run, so that ratios hold when absolute figures drift:

1. requests/second of GET on a checklist page versus a bare Flask "hello" route, both served by
   gunicorn with the same settings, the repository's gunicorn.conf.py (rounds interleaved; the page
   also with the rate limiter off, to show what the limiter costs);
2. latency of saving a checklist page (POST with all 10 answers and comments, CSRF off) at 20
   concurrent users, as shipped and, interleaved, with the threaded workers used before (gthread);
3. latency of the checklist page while four proposal PDFs are being generated, next to the same load
   without PDFs: wrk at 20 users for exactly as long as the PDFs take (stopped with SIGINT when the
   last one arrives, so no request stuck behind a PDF is left out), and an open-loop probe (one new
   connection every 100 ms, latency counted from its scheduled time) that shows what one visitor sees;

1b. latency of the results page (the whole diagnosis, its view and the page, per request) at 20 users,
   in rounds interleaved with the checklist page (``--results`` runs sections 1 and 1b only);

then, in-process with the Flask test client, the time of one request with configuration variants
(limiter, WTForms translations) and a cProfile of the GET and the POST to show what dominates.

Everything runs in a temporary folder: SQLite database, content cache, and the app's instance folder
(where the PDF cache lives). Every load run is bounded in time; every server is stopped at the end.
Run: .venv/bin/python bench/bench_web.py  (needs ``wrk``: apt-get install -y wrk)

gunicorn imports this module as ``bench_web`` to serve :func:`hello_app` and :func:`bench_app`, so the
module's top level imports the standard library only.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import cProfile
import os
import pstats
import re
import runpy
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "questionnaires" / "samples" / "sample.yaml"
BIN = Path(sys.executable).parent
PAGE = "checklist-organization"

SERVING = runpy.run_path(str(ROOT / "gunicorn.conf.py"))  # what `make run` uses, read from the working folder
THREADED = ["--worker-class", "gthread", "--workers", "2", "--threads", "4"]  # the previous setting, compared
WRK_THREADS = 2
USERS = 20  # wrk connections
SECONDS = 10  # per wrk run
RESULTS_ONLY = "--results" in sys.argv  # sections 1 and 1b only (the results page's figure), a few minutes
ROUNDS = 3  # interleaved GET rounds and POST runs
PDFS = 4
PROBE_RATE = 10  # open-loop probe requests per second
NO_LIMIT = "100000000 per second"  # the limiter runs as in production, but never limits

DONE_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  -- share of requests slower than 100 ms, by bisection on the percentiles
  local lo, hi = 0, 100
  for _ = 1, 40 do
    local mid = (lo + hi) / 2
    if latency:percentile(mid) <= 100000 then lo = mid else hi = mid end
  end
  io.write(string.format(
    "BENCH requests=%.0f duration_us=%.0f p50=%.0f p90=%.0f p95=%.0f p99=%.0f max=%.0f over100=%.3f " ..
    "connect=%.0f read=%.0f write=%.0f status=%.0f timeout=%.0f\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, 100 - lo,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


# --- the apps gunicorn serves ------------------------------------------------------------------------


def hello_app() -> Any:
    """A bare Flask app with one route: the ceiling for this machine, server and load generator."""
    from flask import Flask

    app = Flask("hello")

    @app.get("/")
    def hello() -> str:
        return "hello"

    return app


def bench_app(csrf: bool = True, limits: bool = True, wtf_i18n: bool | None = None) -> Any:
    """The real app as ``wsgi.py`` builds it, with its instance folder in the bench's temporary folder.

    ``csrf=False`` lets wrk post forms; ``limits=False`` turns the rate limiter off (the PDF route's own
    "10 per minute" would otherwise answer 429); ``wtf_i18n=False`` is a what-if measured in-process.
    The instance folder holds the PDF cache (``instance/pdf``): pointing it at the temporary folder keeps
    renders real and leaves the repository's ``instance/`` untouched.
    """
    from assessment.web import create_app

    config: dict[str, Any] = {"WTF_CSRF_ENABLED": csrf, "RATELIMIT_ENABLED": limits}
    if wtf_i18n is not None:  # otherwise as shipped (off: WTForms' own messages are never shown)
        config["WTF_I18N_ENABLED"] = wtf_i18n
    app = create_app(config)
    app.instance_path = os.environ["BENCH_INSTANCE"]
    return app


# --- servers and load --------------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A gunicorn master serving ``spec`` on 127.0.0.1, in its own process group so it can be stopped whole."""

    def __init__(
        self,
        name: str,
        spec: str,
        env: dict[str, str],
        tmp: Path,
        probe: str = "/",
        access_log: bool = False,
        flags: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"gunicorn-{name}.log"
        self.access = tmp / f"access-{name}.log"
        logging = ["--access-logfile", str(self.access), "--access-logformat", "%(p)s %(U)s %(s)s %(M)s"]
        command = [
            str(BIN / "gunicorn"),
            "--bind", f"127.0.0.1:{self.port}",
            *flags,  # gunicorn.conf.py otherwise, as `make run` (cwd is the repository)
            "--timeout", "120",
            "--log-level", "warning",
            "--pythonpath", f"{ROOT / 'bench'},{ROOT}",
            *(logging if access_log else []),
            spec,
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.base + probe, timeout=5) as response:
                    response.read()
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"gunicorn {name} did not start:\n{self.log.read_text()}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM the master's process group (master, workers, PDF pool), SIGKILL if it lingers."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # PDF pool processes share the group: none left behind
            os.killpg(self.process.pid, signal.SIGKILL)


def _group_cpu_ticks(groups: set[int]) -> int:
    """CPU ticks (user + system) of the live processes in the given process groups."""
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
                if int(fields[2]) in groups:
                    total += int(fields[11]) + int(fields[12])
    return total


class CpuWatch:
    """How much of the machine's CPU went to processes that are not this benchmark's, between two reads.

    The machine is shared: a test run or a browser started by someone else skews every figure. Busy
    time from /proc/stat, minus this process and its children (wrk) and the servers' process groups.
    """

    def __init__(self, groups: set[int]) -> None:
        self.groups = groups
        self.tick = os.sysconf("SC_CLK_TCK")
        self.start = self._read()

    def _read(self) -> tuple[float, float, float]:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        busy = (sum(values[:8]) - values[3] - values[4]) / self.tick
        own = os.times()
        mine = own.user + own.system + own.children_user + own.children_system
        return busy, mine + _group_cpu_ticks(self.groups) / self.tick, time.monotonic()

    def others(self) -> float:
        """Cores used by other processes since the start (0.0 to os.cpu_count())."""
        busy, mine, now = self._read()
        return max(0.0, (busy - self.start[0]) - (mine - self.start[1])) / (now - self.start[2])


def wait_for_quiet(groups: set[int], limit: float = 300, threshold: float = 0.2) -> float:
    """Wait (at most ``limit`` s) until other processes use under ``threshold`` of a core; return their use."""
    deadline = time.monotonic() + limit
    while True:
        watch = CpuWatch(groups)
        time.sleep(3)
        others = watch.others()
        if others < threshold or time.monotonic() > deadline:
            return others


def wrk_command(url: str, script: Path, connections: int, seconds: float) -> list[str]:
    """The wrk command line (loopback URL, Lua script printing the figures)."""
    threads = min(WRK_THREADS, connections)
    return [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:.0f}s", "--timeout", "60s",
        "-s", str(script), url,
    ]  # fmt: skip


def wrk_figures(output: str) -> dict[str, float]:
    """Parse the line the Lua ``done`` printed: req/s, latency percentiles in ms, errors."""
    match = re.search(r"^BENCH (.*)$", output, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk printed no figures:\n{output}")
    raw = {k: float(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    figures = {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "requests": raw["requests"],
        "seconds": raw["duration_us"] / 1e6,
        "over100": raw["over100"],
        "errors": raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"],
    }
    for key in ("p50", "p90", "p95", "p99", "max"):
        figures[key] = raw[key] / 1000
    return figures


GROUPS: set[int] = set()  # process groups of the servers, for CpuWatch


def wrk(url: str, script: Path, connections: int = USERS, seconds: float = SECONDS) -> dict[str, float]:
    """Run wrk for ``seconds`` and return its figures (with ``others``: cores used by other processes)."""
    command = wrk_command(url, script, connections, seconds)
    watch = CpuWatch(GROUPS)
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    return {**wrk_figures(output), "others": watch.others()}


def wrk_until(url: str, script: Path, finished: Callable[[], bool], limit: float = 120) -> dict[str, float]:
    """Run wrk until ``finished()`` (at most ``limit`` s), then stop it with SIGINT: it prints as usual."""
    command = wrk_command(url, script, USERS, limit)
    watch = CpuWatch(GROUPS)
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        deadline = time.monotonic() + limit
        while not finished() and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    return {**wrk_figures(output), "others": watch.others()}


def probe(url: str, finished: Callable[[], bool], limit: float) -> list[float]:
    """Open-loop probe: a GET on a new connection every 1/PROBE_RATE s until ``finished()`` (or ``limit`` s).

    Latency is counted from the scheduled start, so a request queued behind a busy server is not hidden
    (no coordinated omission). Returns latencies in ms.
    """
    latencies: list[float] = []

    def fetch(scheduled: float) -> None:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
        latencies.append((time.perf_counter() - scheduled) * 1000)

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
        futures = []
        tick = 0
        while not finished() and time.perf_counter() - start < limit:
            scheduled = start + tick / PROBE_RATE
            time.sleep(max(0.0, scheduled - time.perf_counter()))
            futures.append(pool.submit(fetch, scheduled))
            tick += 1
        for future in futures:
            future.result(timeout=180)
    return latencies


def workers_seen(access_log: Path, offset: int) -> str:
    """From the access log since ``offset``: PDF requests per gunicorn worker, server-side page p95 per worker."""
    pdf: dict[str, int] = {}
    pages: dict[str, list[float]] = {}
    with access_log.open() as log:
        log.seek(offset)
        for line in log:
            pid, path, _status, ms = line.split()
            if path.endswith("report.pdf"):
                pdf[pid] = pdf.get(pid, 0) + 1
            else:
                pages.setdefault(pid, []).append(float(ms))
    parts = [
        f"worker {n}: {pdf.get(pid, 0)} PDFs, {len(times)} pages, server-side p95 {percentile(times, 95):.0f} ms"
        for n, (pid, times) in enumerate(sorted(pages.items()), start=1)
    ]
    return "; ".join(parts)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


class PdfBatch:
    """Concurrent downloads of the proposal PDF for distinct documents (each misses the cache and renders)."""

    def __init__(self, base: str, tokens: list[str]) -> None:
        self.times: list[tuple[float, float]] = []
        self.failures: list[str] = []
        self.started = time.perf_counter()
        self.threads = [
            threading.Thread(target=self._get, args=(f"{base}/a/{token}/report.pdf?lang=ja",), daemon=True)
            for token in tokens
        ]
        for thread in self.threads:
            thread.start()

    def _get(self, url: str) -> None:
        begin = time.perf_counter() - self.started
        try:
            deadline = time.perf_counter() + 180
            while True:  # the app answers 202 and a self-refreshing page until the PDF is ready
                with urllib.request.urlopen(url, timeout=180) as response:
                    status, body = response.status, response.read()
                if status != 202 or time.perf_counter() > deadline:
                    break
                time.sleep(1.0)
            if not body.startswith(b"%PDF"):
                raise RuntimeError("not a PDF")
        except Exception as error:
            self.failures.append(f"{url}: {error}")
            return
        self.times.append((begin, time.perf_counter() - self.started))

    def done(self) -> bool:
        """True when every download has ended."""
        return not any(thread.is_alive() for thread in self.threads)

    def wait(self) -> PdfBatch:
        """Wait for every download; fail loudly if one did not produce a PDF."""
        for thread in self.threads:
            thread.join(timeout=240)
        if self.failures or not self.done():
            raise RuntimeError("PDF downloads failed: " + "; ".join(self.failures))
        return self

    def describe(self) -> str:
        """Each PDF's time and when the last one arrived."""
        each = ", ".join(f"{end - begin:.1f}" for begin, end in sorted(self.times))
        return f"each {each} s; last after {max(end for _, end in self.times):.1f} s"


# --- in process --------------------------------------------------------------------------------------


def median_ms(call: Callable[[], Any], runs: int) -> float:
    """Median ms of ``runs`` calls (after a few warm-up calls)."""
    for _ in range(5):
        call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


PARTS = (  # (label, file suffix, function name): cumulative time of each, as a share of the request
    ("rate limiter check (flask_limiter, before_request)", "flask_limiter/_extension.py", "_check_request_limit"),
    ("  of which limits' memory storage starts a Timer thread", "threading.py", "start"),
    ("store.load (one SELECT on the driver connection, JSON decode)", "assessment/web/store.py", "load"),
    ("form construction (FlaskForm of 20 fields)", "flask_wtf/form.py", "__init__"),
    ("  of which WTForms' .mo catalogue loaded from disk", "flask_wtf/i18n.py", "_get_translations"),
    ("  of which CSRF token", "flask_wtf/csrf.py", "generate_csrf"),
    ("_apply: merge + parse_assessment (POST)", "assessment/web/views.py", "_apply"),
    ("store.save (one autocommit UPDATE, JSON encode)", "assessment/web/store.py", "save"),
    ("render_template page.html", "flask/templating.py", "render_template"),
    ("  of which url_for", "flask/app.py", "url_for"),
    ("  of which translations lookup (flask_babel)", "flask_babel/__init__.py", "get_translations"),
    ("session cookie save (itsdangerous)", "flask/sessions.py", "save_session"),
)


def profile(label: str, call: Callable[[], Any], runs: int = 300) -> None:
    """cProfile ``runs`` requests in-process: the share of the whole request spent in each part."""
    for _ in range(20):
        call()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        call()
    profiler.disable()
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = next((v[3] for (f, _, name), v in stats.items() if f.endswith("flask/app.py") and name == "wsgi_app"), 0.0)
    print(f"\n  cProfile of {runs} x {label} (profiler-inflated; shares of flask wsgi_app's cumulative time):")
    for part, suffix, name in PARTS:
        cumulative = max((v[3] for (f, _, n), v in stats.items() if f.endswith(suffix) and n == name), default=0)
        if cumulative:
            print(f"    {part:<56} {cumulative / total:5.1%}")


# --- the benchmark -----------------------------------------------------------------------------------


def main() -> None:
    """Set up a temporary database, start the servers, run every measurement, print the figures."""
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    tmp = Path(tempfile.mkdtemp(prefix="readiness-web-bench-"))
    (tmp / "instance").mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "READINESS_ENV": "development",
        "SECRET_KEY": secrets.token_hex(32),
        "READINESS_RATE_LIMIT": NO_LIMIT,
        "READINESS_CACHE_DIR": str(tmp / "cache"),
        "BENCH_INSTANCE": str(tmp / "instance"),
        "READINESS_INSTANCE_DIR": str(tmp / "instance"),
    }
    os.environ.update(env)
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade", "-d", "migrations"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip

    sys.path.insert(0, str(ROOT))
    from assessment import parse_assessment
    from assessment.engine.assessment_file import to_document
    from assessment.web import store

    app = bench_app(csrf=False)
    content = app.extensions["readiness.content"]
    questions = next(p for p in app.extensions["readiness.pages"] if p.id == PAGE).questions
    sample = to_document(parse_assessment(SAMPLE.read_bytes(), content))
    nonce = secrets.token_hex(4)
    with app.app_context():
        page_token = store.create(sample).token
        post_tokens = [store.create(sample).token for _ in range(USERS)]  # one self-assessment per user
        pdf_tokens = []
        for i in range(5 * PDFS):  # distinct client names: every PDF misses the cache and really renders
            document = {**sample, "client": {**sample["client"], "name": f"ベンチ {nonce} {i}"}}
            pdf_tokens.append(store.create(document).token)
    fields = {"action": "next"}
    for question in questions:
        answer = sample["checklist"][question.path.partition(".")[2]] if question.kind == "choice" else None
        fields[question.name] = str(answer) if answer is not None else "bench comment"
    body = urlencode(fields)
    page_path = f"/a/{page_token}/{PAGE}"

    print(f"python {sys.version.split()[0]}  cores: {os.cpu_count()}  load average at start: {os.getloadavg()}")
    print(
        f"gunicorn.conf.py as `make run`: {SERVING['workers']} {SERVING['worker_class']} workers, no access log;"
        f" READINESS_PDF_WORKERS={app.config['READINESS_PDF_WORKERS']} per gunicorn worker"
    )
    print(f"wrk: -t{WRK_THREADS} -c{USERS}, {SECONDS} s runs, 127.0.0.1; SQLite and instance folder in {tmp}")
    get_lua = tmp / "get.lua"
    get_lua.write_text(DONE_LUA, encoding="utf-8")
    post_lua = tmp / "post.lua"
    quoted = ", ".join(f'"{t}"' for t in post_tokens)
    post_lua.write_text(
        f"""
local tokens = {{{quoted}}}
local body = "{body}"
local headers = {{["Content-Type"] = "application/x-www-form-urlencoded"}}
local counter = 0
setup = function(thread)
  thread:set("offset", counter * {USERS // WRK_THREADS})
  counter = counter + 1
end
local i = 0
request = function()
  i = i + 1
  local token = tokens[((i + (offset or 0)) % #tokens) + 1]
  return wrk.format("POST", "/a/" .. token .. "/{PAGE}", headers, body)
end
"""
        + DONE_LUA,
        encoding="utf-8",
    )

    servers: list[Server] = []
    others = wait_for_quiet(GROUPS)
    print(f"other processes' CPU before starting: {others:.2f} cores (waited up to 5 min for < 0.2)")
    try:
        hello = Server("hello", "bench_web:hello_app()", env, tmp)
        site = Server("app", "bench_web:bench_app()", env, tmp, probe=page_path)
        quiet = Server("app-nolimit", "bench_web:bench_app(limits=False)", env, tmp, probe=page_path)
        poster = Server("app-post", "bench_web:bench_app(csrf=False)", env, tmp, probe=page_path)
        threaded = Server(
            "app-post-gthread", "bench_web:bench_app(csrf=False)", env, tmp, probe=page_path, flags=tuple(THREADED)
        )
        pdfs = Server("app-pdf", "bench_web:bench_app(limits=False)", env, tmp, probe=page_path, access_log=True)
        servers += [hello, site, quiet, poster, threaded, pdfs]
        GROUPS.update(server.process.pid for server in servers)
        check = urllib.request.Request(poster.base + f"/a/{post_tokens[0]}/{PAGE}", data=body.encode(), method="POST")
        status = urllib.request.build_opener(NoRedirect()).open(check, timeout=30).status
        if status != 302:
            raise RuntimeError(f"POST of the checklist page answered {status}, expected a 302 to the next page")

        # 1. throughput: checklist page vs hello, interleaved rounds
        for url in (hello.base + "/", site.base + page_path, quiet.base + page_path):
            wrk(url, get_lua, seconds=2)  # warm
        runs: dict[str, list[dict[str, float]]] = {"hello": [], "page": [], "page, limiter off": []}
        for _ in range(ROUNDS):
            runs["hello"].append(wrk(hello.base + "/", get_lua))
            runs["page"].append(wrk(site.base + page_path, get_lua))
            runs["page, limiter off"].append(wrk(quiet.base + page_path, get_lua))
        print(f"\n== 1. GET throughput, {ROUNDS} interleaved rounds of {SECONDS} s, {USERS} connections (median) ==")
        for name, results in runs.items():
            rps = statistics.median(r["rps"] for r in results)
            p95 = statistics.median(r["p95"] for r in results)
            per_round = ", ".join(f"{r['rps']:.0f}" for r in results)
            print(f"{name:<18} {rps:6.0f} req/s  p95 {p95:6.1f} ms  (rounds: {per_round} req/s)")
        for name in ("page", "page, limiter off"):
            ratios = [p["rps"] / h["rps"] for h, p in zip(runs["hello"], runs[name], strict=True)]
            print(
                f"ratio {name} / hello: {statistics.median(ratios):5.1%}  (rounds: "
                + ", ".join(f"{r:.1%}" for r in ratios)
                + ")   target >= 25 %"
            )
        print(
            f"errors / non-2xx-3xx: {sum(r['errors'] for rs in runs.values() for r in rs):.0f};"
            " other processes' CPU per run (cores): "
            + ", ".join(f"{r['others']:.2f}" for rs in zip(*runs.values(), strict=True) for r in rs)
        )

        # 1b. the results page (issue 15): the whole diagnosis, view and page rendered per request, beside the
        # checklist page in interleaved rounds
        results_path = f"/a/{page_token}/results"
        wrk(site.base + results_path, get_lua, seconds=2)  # warm
        pages: dict[str, list[dict[str, float]]] = {"checklist page": [], "results page": []}
        for _ in range(ROUNDS):
            pages["checklist page"].append(wrk(site.base + page_path, get_lua))
            pages["results page"].append(wrk(site.base + results_path, get_lua))
        print(f"\n== 1b. GET results page vs checklist page, {USERS} users, {ROUNDS} interleaved rounds (median) ==")
        for name, results in pages.items():
            figures = {key: statistics.median(r[key] for r in results) for key in ("rps", "p50", "p95", "p99")}
            per_round = ", ".join(f"{r['p95']:.0f}" for r in results)
            print(
                f"{name:<15} {figures['rps']:6.0f} req/s  p50 {figures['p50']:6.1f}  p95 {figures['p95']:6.1f}"
                f"  p99 {figures['p99']:6.1f} ms  (p95 per round: {per_round})"
            )
        print(f"errors / non-2xx-3xx: {sum(r['errors'] for rs in pages.values() for r in rs):.0f}")
        if RESULTS_ONLY:
            raise ResultsOnly

        # 2. saving the page at 20 concurrent users (SQLite in WAL mode, as shipped)
        shipped, before = f"as shipped ({SERVING['workers']} sync workers)", "gthread, 2 workers x 4 threads"
        saves: dict[str, list[dict[str, float]]] = {shipped: [], before: []}
        for server in (poster, threaded):
            wrk(server.base + "/", post_lua, seconds=2)  # warm
        for _ in range(ROUNDS):
            saves[shipped].append(wrk(poster.base + "/", post_lua))
            saves[before].append(wrk(threaded.base + "/", post_lua))
        print(f"\n== 2. POST checklist page (10 answers + 10 comments, CSRF off), {USERS} users, {ROUNDS} runs ==")
        for name, results in saves.items():
            print(f"{name}, SQLite in WAL mode (median of runs; runs in brackets):")
            for key in ("rps", "p50", "p95", "p99", "max"):
                values = [r[key] for r in results]
                unit = "req/s" if key == "rps" else "ms"
                runs_text = ", ".join(f"{v:.0f}" for v in values)
                print(f"  {key:<4} {statistics.median(values):7.1f} {unit:<5} ({runs_text})")
            rps = statistics.median(r["rps"] for r in results)
            print(f"  closed loop: mean latency = {USERS} users / {rps:.0f} req/s = {USERS / rps * 1000:.0f} ms")
        print(
            f"errors / non-2xx-3xx: {sum(r['errors'] for rs in saves.values() for r in rs):.0f};"
            " other processes' CPU per run (cores): "
            + ", ".join(f"{r['others']:.2f}" for rs in zip(*saves.values(), strict=True) for r in rs)
            + ";   target p95 <= 50 ms"
        )

        # 3. the page while four PDFs render (limiter off: the PDF route allows 10 per minute per address)
        print(f"\n== 3. GET checklist page while {PDFS} PDFs render (limiter off, access log with worker pids) ==")
        batches = [pdf_tokens[i * PDFS : (i + 1) * PDFS] for i in range(5)]
        cold = PdfBatch(pdfs.base, batches[0]).wait()
        print(f"{PDFS} PDFs at once, nothing else (pools cold):  {cold.describe()}")
        warm = PdfBatch(pdfs.base, batches[1]).wait()
        print(f"{PDFS} PDFs at once, nothing else (pools warm):  {warm.describe()}")
        url = pdfs.base + page_path
        rows: list[tuple[str, dict[str, float], str]] = []
        mark = pdfs.access.stat().st_size
        rows.append((f"wrk -c{USERS}, page alone", wrk(url, get_lua), workers_seen(pdfs.access, mark)))
        for attempt in (1, 2):
            mark = pdfs.access.stat().st_size
            loaded = PdfBatch(pdfs.base, batches[1 + attempt])
            during = wrk_until(url, get_lua, loaded.done)
            loaded.wait()
            rows.append((f"wrk -c{USERS}, during PDFs ({attempt})", during, workers_seen(pdfs.access, mark)))
            print(f"{PDFS} PDFs at once under wrk ({attempt}):        {loaded.describe()}")
        probe_alone = probe(url, lambda: False, limit=8)
        probed = PdfBatch(pdfs.base, batches[4])
        probe_during = probe(url, probed.done, limit=120)
        probed.wait()
        print(f"{PDFS} PDFs at once under the probe:        {probed.describe()}")
        print(f"{'':<30} {'req/s':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7} ms {'>100ms':>7}  others")
        for name, r, seen in rows:
            print(
                f"{name:<30} {r['rps']:6.0f} {r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} {r['max']:7.0f}"
                f"    {r['over100']:5.1f} %  {r['others']:.2f}  ({r['seconds']:.1f} s) {seen}"
            )
        for name, lat in (("probe 10/s, page alone", probe_alone), ("probe 10/s, during PDFs", probe_during)):
            over = sum(v > 100 for v in lat) / len(lat) * 100
            print(
                f"{name:<30} {'':>6} {percentile(lat, 50):7.1f} {percentile(lat, 95):7.1f}"
                f" {percentile(lat, 99):7.1f} {max(lat):7.0f}    {over:5.1f} %        ({len(lat)} requests)"
            )
        print(
            f"errors / non-2xx-3xx: {sum(r['errors'] for _, r, _ in rows):.0f};  target p95 <= 100 ms"
            " (server-side: the worker's own time per page, without the wait for a free thread)"
        )
    except ResultsOnly:
        pass
    finally:
        for server in servers:
            server.stop()
    print(f"load average at end: {os.getloadavg()}")
    if RESULTS_ONLY:
        reader = bench_app().test_client()
        results_ms = median_ms(lambda: reader.get(f"/a/{page_token}/results"), 60)
        page_ms = median_ms(lambda: reader.get(page_path), 60)
        print(f"\n== in process: results page {results_ms:.1f} ms vs checklist page {page_ms:.1f} ms (median of 60) ==")
        profile("GET results page", lambda: reader.get(f"/a/{page_token}/results"), runs=60)
        shutil.rmtree(tmp, ignore_errors=True)
        return

    # in-process: one request's time with configuration variants, interleaved in rounds so that drift
    # hits all alike. flask_limiter keeps `enabled` on the one shared Limiter (the last init_app wins), so
    # it is set before each variant; an app built with the limiter off has no limiter hook at all.
    from assessment.web.security import limiter

    form = dict(parse_qsl(body))
    post_path = f"/a/{post_tokens[0]}/{PAGE}"
    variants: list[tuple[str, bool, Callable[[], Any]]] = []
    hello_client = hello_app().test_client()
    variants.append(("hello route", True, lambda: hello_client.get("/")))
    for label, options, method in (
        ("GET page as served (limiter on, CSRF on)", {}, "get"),
        ("GET page, limiter off", {"limits": False}, "get"),
        ("GET page, WTF_I18N_ENABLED on (what-if)", {"wtf_i18n": True}, "get"),
        ("GET page, limiter off and WTF_I18N_ENABLED off", {"limits": False, "wtf_i18n": False}, "get"),
        ("POST page (limiter on, CSRF off)", {"csrf": False}, "post"),
        ("POST page, limiter off and WTF_I18N_ENABLED off", {"csrf": False, "limits": False, "wtf_i18n": False},
         "post"),
    ):  # fmt: skip
        client = bench_app(**options).test_client()
        variants.append(
            (label, bool(options.get("limits", True)), _request(client, method, page_path, post_path, form))
        )
    rounds: dict[str, list[float]] = {label: [] for label, _, _ in variants}
    watch = CpuWatch(GROUPS)
    for _ in range(5):
        for label, limits, call in variants:
            limiter.enabled = limits
            rounds[label].append(median_ms(call, 60))
    print(f"\n== in process, Flask test client: median of 5 interleaved rounds x 60 requests"
          f" (other processes' CPU: {watch.others():.2f} cores) ==")  # fmt: skip
    hello_ms = statistics.median(rounds["hello route"])
    for label, times in rounds.items():
        ms = statistics.median(times)
        print(f"  {label:<50} {ms:6.2f} ms  x{ms / hello_ms:4.0f} hello")
    limiter.enabled = True
    client = bench_app().test_client()
    profile("GET checklist page as served", lambda: client.get(page_path))
    client = bench_app(csrf=False).test_client()
    profile("POST checklist page", lambda: client.post(post_path, data=form))
    shutil.rmtree(tmp, ignore_errors=True)


def _request(client: Any, method: str, page_path: str, post_path: str, form: dict[str, str]) -> Callable[[], Any]:
    """One in-process request of a variant: GET the page or POST the form."""
    if method == "get":
        return lambda: client.get(page_path)
    return lambda: client.post(post_path, data=form)


class ResultsOnly(Exception):
    """Raised after section 1b when only the results page's figure was asked for (``--results``)."""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let a 302 through as the answer instead of following it."""

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        return fp


if __name__ == "__main__":
    main()
