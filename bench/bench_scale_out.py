"""Scale-out bench (issue 17): nginx → two app nodes → PostgreSQL + Redis + two PDF workers, under a workshop
load, with one node and one worker killed part-way; then the same load on the one-machine SQLite path.

Everything is started from the shipped files (tests/deploy_units.py): the migration, ``readiness-web@<port>`` ×2
and ``readiness-worker@1``/``@2`` from their systemd units, nginx with deploy/nginx.conf (HTTPS, a throw-away
certificate); PostgreSQL and Redis are Debian's servers, throw-away, on loopback. The load goes through nginx,
which spreads it over both nodes (its access log says which node answered each request): a deployment's
clients reach nginx, never a node, and the session cookies are Secure, so plain HTTP to a node would not even
sign in. Every visitor is a browser of its own (cookies, its room's loopback address, think time between pages;
tests/e2e/scale.py) that sends a request again when it got no answer or a 502/503/504, and counts that.

Phases, in one run:
1. *Same load, scale-out*: ROUNDS workshop rounds × PHONES phones join and save the three checklist pages,
   MANAGERS self-service managers start and save their five pages; no PDFs.
2. *Full load with failures*: the same again, while consultants generate PDFS distinct proposal PDFs (rounds ×
   languages); when half the saves are acknowledged, app node 1 and PDF worker 1 are SIGKILLed (whole process
   groups). Node 2 and worker 2 carry on; the killed worker's job is taken over by worker 2.
3. *PDF throughput*: THROUGHPUT distinct PDFs with the one worker left, then a second worker is started
   (``readiness-worker@3``) and THROUGHPUT more: PDFs per minute with 1 and with 2 workers.
4. *One machine*: phase 1's load on ``readiness-web@`` alone with SQLite and no Redis (what ``make run`` serves,
   here behind the same nginx, so both paths pay for TLS and the proxy alike).
At the end every acknowledged answer must be in the database (SQL on PostgreSQL and on the SQLite file), no
request may have had a 5xx other than a 502 for a request the killed node had taken (retried), and every PDF
must arrive and name its client. Exits 1 otherwise.

Run: .venv/bin/python bench/bench_scale_out.py [--short] [--rounds 10 --phones 30 --managers 20 --pdfs 20]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402
from redis import Redis  # noqa: E402
from rq import Worker  # noqa: E402

from bench.bench_workshop_burst import machine  # noqa: E402
from tests.deploy_units import Deployment, running_deployment  # noqa: E402
from tests.e2e.scale import (  # noqa: E402
    Failed,
    Hit,
    Manager,
    Pdf,
    Phone,
    Tally,
    Visitor,
    answer_round,
    generate,
    missing_answers,
    new_phone,
    new_round,
    p95,
    percentiles,
    self_service,
    sign_in,
    thinker,
    wait_for_pdf,
)
from tests.postgres import running_postgres  # noqa: E402
from tests.redis_server import running_redis  # noqa: E402

CONSULTANTS = 5
PASSWORD = "scale-bench-password-2026"
PDF_TIMEOUT = 600.0


@dataclass
class Desk:
    """The consultants signed in through nginx, and the rounds made for PDFs (answered by a few phones)."""

    visitors: list[Visitor]
    pdf_rounds: list[tuple[int, str]] = field(default_factory=list)  # (engagement id, client name)
    owners: dict[int, Visitor] = field(default_factory=dict)  # engagement id → the consultant whose round it is

    def owner(self, pdf: Pdf) -> Visitor:
        """The consultant who may generate ``pdf`` (another consultant's round is a 404 to them)."""
        return self.owners[pdf.engagement_id]


@dataclass
class Load:
    """What one phase sent and got."""

    name: str
    tally: Tally
    phones: list[Phone]
    managers: list[Manager]
    pdfs: list[Pdf]
    seconds: float
    events: list[str] = field(default_factory=list)
    cpu: tuple[float, float] = (0.0, 0.0)  # core-seconds: the load generator's, the whole machine's
    nodes_before: Counter[str] = field(default_factory=Counter)
    nodes_after: Counter[str] = field(default_factory=Counter)


def consultants(deployment: Deployment, base: str, cafile: Path | None, tally: Tally) -> list[Visitor]:
    """CONSULTANTS accounts of one firm, made with the CLI, each signed in from an address of their own."""
    signed = []
    for n in range(CONSULTANTS):
        email = f"scale{n}@example.com"
        made = deployment.flask("create-consultant", email, "--firm", "Scale Partners", "--password", PASSWORD)
        if made.returncode != 0:
            raise RuntimeError(made.stderr)
        visitor = Visitor(base, tally, f"127.30.{n}.1", cafile)
        sign_in(visitor, email, PASSWORD)
        signed.append(visitor)
    return signed


def answered_rounds(desk: Desk, count: int, tag: str, tally: Tally, base: str, cafile: Path | None) -> None:
    """``count`` rounds, each answered in full by three phones: enough for a proposal."""

    def one(n: int) -> tuple[int, str]:
        name = f"PDF Client {tag}{n:02d}"
        owner = desk.visitors[n % len(desk.visitors)]
        engagement_id, code = new_round(owner, name)
        desk.owners[engagement_id] = owner
        for p in range(3):
            phone = new_phone(900 + n, engagement_id, p)
            answer_round(Visitor(base, tally, f"127.40.{n % 250}.1", cafile), code, phone, lambda: None)
            if phone.failed:
                raise RuntimeError(phone.failed)
        return engagement_id, name

    with ThreadPoolExecutor(max_workers=4) as pool:
        desk.pdf_rounds += list(pool.map(one, range(count)))


def run_load(
    name: str, tag: str, base: str, cafile: Path | None, desk: Desk, args: argparse.Namespace,
    pdf_rounds: Sequence[tuple[int, str]], kill: Deployment | None = None, access_log: Path | None = None,
) -> Load:  # fmt: skip
    """Phones, managers and (given ``pdf_rounds``) PDFs at once; with ``kill``, node 1 and worker 1 are killed when
    half the saves are acknowledged."""
    tally = Tally()
    rounds = [new_round(desk.visitors[r % len(desk.visitors)], f"Workshop {tag}{r:02d} KK") for r in range(args.rounds)]
    phones = [new_phone(r, rounds[r][0], n) for n in range(args.phones) for r in range(args.rounds)]
    codes = {rounds[r][0]: rounds[r][1] for r in range(args.rounds)}
    managers = [Manager(m) for m in range(args.managers)]
    pdfs = [Pdf(e, client, lang) for e, client in pdf_rounds for lang in ("ja", "en")]
    events: list[str] = []
    expected_saves = len(phones) * 3 + len(managers) * 5
    started = time.monotonic()
    cpu_before = (_own_cpu(), _machine_cpu())
    log_mark = [0]

    def phone_task(phone: Phone) -> None:
        time.sleep(args.ramp * random.Random(phone.name).random())
        visitor = Visitor(base, tally, f"127.10.{phone.round}.1", cafile)
        answer_round(visitor, codes[phone.engagement_id], phone, thinker(args.think, phone.name))

    def manager_task(manager: Manager) -> None:
        time.sleep(args.ramp * manager.number / max(1, len(managers)))
        visitor = Visitor(base, tally, f"127.20.{manager.number}.1", cafile)
        self_service(visitor, manager, thinker(args.think, f"m{manager.number}"))

    def pdf_task(index: int) -> None:
        pdf = pdfs[index]
        visitor = desk.owner(pdf)
        try:
            generate(visitor, pdf)
        except Failed as failure:
            pdf.failed = str(failure)
            return
        wait_for_pdf(visitor, pdf, PDF_TIMEOUT)

    def killer() -> None:
        assert kill is not None
        while sum(1 for h in tally.of("save") if h.status == 302) < expected_saves // 2:
            if time.monotonic() - started > 300:
                return
            time.sleep(0.05)
        log_mark[0] = _log_lines(access_log)
        node_port = next(iter(kill.nodes))
        rendering = _rendering(kill, "1")
        kill.nodes[node_port].kill()
        kill.workers["1"].kill()
        saves = sum(1 for h in tally.of("save") if h.status == 302)
        events.append(f"{time.monotonic() - started:6.1f} s  SIGKILL app node 1 (port {node_port}) and PDF worker 1 "
                      f"({'rendering ' + rendering if rendering else 'idle'}); {saves} of {expected_saves} saves "
                      "acknowledged so far")  # fmt: skip

    threads = [threading.Thread(target=phone_task, args=(p,)) for p in phones]
    threads += [threading.Thread(target=manager_task, args=(m,)) for m in managers]
    threads += [threading.Thread(target=pdf_task, args=(i,)) for i in range(len(pdfs))]
    if kill is not None:
        threads.append(threading.Thread(target=killer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load = Load(name, tally, phones, managers, pdfs, time.monotonic() - started, events)
    load.cpu = (_own_cpu() - cpu_before[0], _machine_cpu() - cpu_before[1])
    if access_log is not None and kill is not None:
        lines = _upstreams(access_log)
        load.nodes_before = Counter(_node(u, kill) for u in lines[: log_mark[0]])
        load.nodes_after = Counter(_node(u, kill) for u in lines[log_mark[0] :])
    return load


def _own_cpu() -> float:
    """CPU seconds this process (the load generator) has used."""
    times = os.times()
    return times.user + times.system


def _machine_cpu() -> float:
    """CPU seconds the whole machine has been busy (all cores, from /proc/stat; idle and iowait left out)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _rendering(deployment: Deployment, instance: str) -> str:
    """The job worker ``instance`` is rendering ("" when idle)."""
    connection = Redis.from_url(deployment.environment()["REDIS_URL"])
    for worker in Worker.all(connection=connection):
        if worker.name.endswith(f"-{instance}"):
            return worker.get_current_job_id() or ""
    return ""


def _log_lines(access_log: Path | None) -> int:
    return len(_upstreams(access_log)) if access_log else 0


def _upstreams(access_log: Path) -> list[str]:
    import re

    text = access_log.read_text(encoding="utf-8", errors="replace") if access_log.is_file() else ""
    return re.findall(r" upstream=(.*?) us=", text)


def _node(upstream: str, deployment: Deployment) -> str:
    """Which node answered ("node 1", "node 2", "node 1 then 2" when nginx went on to the next)."""
    ports = [str(p) for p in deployment.nodes]
    names = [f"node {ports.index(u.rsplit(':', 1)[-1]) + 1}" if u.rsplit(":", 1)[-1] in ports else u
             for u in (part.strip() for part in upstream.split(","))]  # fmt: skip
    return " then ".join(names)


def throughput(desk: Desk, rounds: Sequence[tuple[int, str]]) -> tuple[float, float, list[Pdf]]:
    """Generate a proposal PDF per round and language at once; (PDFs per minute, seconds, the PDFs)."""
    pdfs = [Pdf(e, client, lang) for e, client in rounds for lang in ("ja", "en")]
    started = time.monotonic()

    def one(index: int) -> None:
        visitor = desk.owner(pdfs[index])
        try:
            generate(visitor, pdfs[index])
        except Failed as failure:
            pdfs[index].failed = str(failure)
            return
        wait_for_pdf(visitor, pdfs[index], PDF_TIMEOUT, every=0.5)

    with ThreadPoolExecutor(max_workers=len(pdfs)) as pool:
        list(pool.map(one, range(len(pdfs))))
    last = max((p.arrived for p in pdfs if p.arrived), default=time.monotonic())
    seconds = last - started
    return len(pdfs) / seconds * 60, seconds, pdfs


def pdf_problems(pdfs: Sequence[Pdf]) -> list[str]:
    """PDFs that did not arrive, or arrived without their client's name."""
    problems = []
    for pdf in pdfs:
        if pdf.failed or not pdf.data:
            problems.append(f"{pdf.client_name} {pdf.lang}: {pdf.failed or 'no PDF'}")
            continue
        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.data)).pages)
        if pdf.client_name not in text:
            problems.append(f"{pdf.client_name} {pdf.lang}: the PDF does not name its client")
    return problems


def errors(load: Load, allowed_502: bool) -> list[Hit]:
    """The 5xx answers that count as failures (a 502 only when no node was killed)."""
    return [h for h in load.tally.hits if h.status >= 500 and not (allowed_502 and h.status == 502)]


def report(load: Load, database_url: str) -> list[str]:
    """Print a phase's figures; its problems (lost answers, failures, 5xx)."""
    hits = load.tally.hits
    pages = [h for h in hits if h.kind == "page"]
    saves = [h for h in hits if h.kind == "save"]
    joins = [h for h in hits if h.kind == "join"]
    failed = [p.failed for p in load.phones if p.failed] + [m.failed for m in load.managers if m.failed]
    lost = missing_answers(database_url, load.phones, load.managers)
    bad = errors(load, allowed_502=bool(load.events))
    fives = Counter(h.status for h in hits if h.status >= 500)
    acknowledged = sum(len(p.acknowledged) for p in load.phones) + sum(len(m.acknowledged) for m in load.managers)
    print(f"\n== {load.name}")
    for line in load.events:
        print(line)
    print(f"visitors: {len(load.phones)} phones, {len(load.managers)} managers, {len(load.pdfs)} PDFs asked for")
    print(f"requests answered: {len(hits)} in {load.seconds:.1f} s ({len(hits) / load.seconds:.0f}/s)")
    print(f"pages: {percentiles(pages)}")
    print(f"saves: {percentiles(saves)}  (acknowledged: {acknowledged})")
    print(f"joins and starts: {percentiles(joins)}")
    print(f"retried: {dict(load.tally.retries) or 'none'}")
    cores = len(os.sched_getaffinity(0))
    print(f"CPU: machine {load.cpu[1] / load.seconds:.2f} of {cores} cores busy on average, of which the load "
          f"generator {load.cpu[0] / load.seconds:.2f}")  # fmt: skip
    print(f"5xx answers: {dict(fives) or 'none'}  (counted as failures: {len(bad)})")
    if load.nodes_before or load.nodes_after:
        print(f"answered by, before the kill: {dict(load.nodes_before)}")
        print(f"answered by, after the kill:  {dict(load.nodes_after)}")
    if load.pdfs:
        waits = sorted(p.arrived - p.asked for p in load.pdfs if p.arrived)
        if waits:
            print(f"PDFs: {len(waits)} of {len(load.pdfs)} arrived; from asking to arriving: first {waits[0]:.1f} s, "
                  f"median {waits[len(waits) // 2]:.1f} s, last {waits[-1]:.1f} s")  # fmt: skip
    print(f"visitors who could not finish: {failed[:5] or 'none'}")
    print(f"acknowledged answers missing from the database: {len(lost)} {lost[:5] if lost else ''}")
    return [*failed, *lost, *(f"{h.kind} {h.status}" for h in bad), *pdf_problems(load.pdfs)]


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--short", action="store_true", help="3 rounds x 10 phones, 5 managers, 4 PDFs (for CI)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--phones", type=int, default=30, help="phones per round")
    parser.add_argument("--managers", type=int, default=20)
    parser.add_argument("--pdfs", type=int, default=20, help="proposal PDFs during the load (even: rounds x ja/en)")
    parser.add_argument("--throughput", type=int, default=8, help="PDFs per throughput measurement (even)")
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds between a visitor's pages")
    parser.add_argument("--ramp", type=float, default=3.0, help="seconds over which the visitors arrive")
    args = parser.parse_args()
    if args.short:
        args.rounds, args.phones, args.managers, args.pdfs, args.throughput = 3, 10, 5, 4, 4
    return args


def main() -> int:
    """Run the phases and print the figures; 1 if anything was lost, failed or did not arrive."""
    args = arguments()
    problems: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="scale-out-"))
    print(f"machine: {machine()}")
    print(f"load: {args.rounds} rounds x {args.phones} phones, {args.managers} managers, {args.pdfs} PDFs; think "
          f"{args.think} s between pages (0.5-1.5x), arrivals over {args.ramp} s; load generator on the same "
          "machine, through nginx over HTTPS")  # fmt: skip
    figures: dict[str, tuple[float, float]] = {}
    began = time.monotonic()
    with running_postgres() as postgres, running_redis() as redis_server:
        database = postgres.create_database("readiness")
        with running_deployment(folder / "scale-out", database, redis_server.url, nodes=2, workers=2) as deployment:
            nginx = deployment.nginx
            assert nginx is not None
            print(f"scale-out: nginx {nginx.url} -> nodes {list(deployment.nodes)} (gunicorn.conf.py workers each), "
                  "PostgreSQL, Redis, 2 PDF workers; up after "
                  f"{time.monotonic() - began:.1f} s")  # fmt: skip
            setup = Tally()
            desk = Desk(consultants(deployment, nginx.url, nginx.cert, setup))
            pdf_rounds_needed = args.pdfs // 2 + args.throughput
            answered_rounds(desk, pdf_rounds_needed, "", setup, nginx.url, nginx.cert)
            load_rounds = desk.pdf_rounds[: args.pdfs // 2]
            rest = desk.pdf_rounds[args.pdfs // 2 :]

            same = run_load("scale-out (2 nodes, PostgreSQL, Redis): workshop + managers", "A", nginx.url, nginx.cert,
                            desk, args, [])  # fmt: skip
            problems += report(same, database)
            figures["scale-out"] = (p95([h for h in same.tally.hits if h.kind == "page"]),
                                    p95([h for h in same.tally.hits if h.kind == "save"]))  # fmt: skip

            full = run_load(
                "scale-out: workshop + managers + PDFs, node 1 and worker 1 killed part-way", "B", nginx.url,
                nginx.cert, desk, args, load_rounds, kill=deployment, access_log=nginx.access_log,
            )  # fmt: skip
            problems += report(full, database)
            figures["scale-out with PDFs and the kill"] = (
                p95([h for h in full.tally.hits if h.kind == "page"]),
                p95([h for h in full.tally.hits if h.kind == "save"]),
            )

            print("\n== PDF throughput (the load over; node 2 serves)")
            one_rate, one_seconds, one = throughput(desk, rest[: args.throughput // 2])
            print(f"1 worker:  {len(one)} PDFs in {one_seconds:.1f} s = {one_rate:.1f} PDFs/min")
            deployment.start_worker("3")
            _wait_for_workers(deployment, 2)
            two_rate, two_seconds, two = throughput(desk, rest[args.throughput // 2 :])
            print(f"2 workers: {len(two)} PDFs in {two_seconds:.1f} s = {two_rate:.1f} PDFs/min "
                  f"({two_rate / one_rate:.2f}x)")  # fmt: skip
            problems += pdf_problems([*one, *two])

    with tempfile.TemporaryDirectory(prefix="scale-sqlite-") as sqlite_folder:
        database = f"sqlite:///{Path(sqlite_folder) / 'readiness.db'}"
        with running_deployment(Path(sqlite_folder) / "one", database, "", nodes=1, workers=0) as single:
            nginx = single.nginx
            assert nginx is not None
            setup = Tally()
            desk = Desk(consultants(single, nginx.url, nginx.cert, setup))
            alone = run_load("one machine (1 node, SQLite, no Redis): workshop + managers", "S", nginx.url, nginx.cert,
                             desk, args, [])  # fmt: skip
            problems += report(alone, database)
            figures["one machine, SQLite"] = (p95([h for h in alone.tally.hits if h.kind == "page"]),
                                              p95([h for h in alone.tally.hits if h.kind == "save"]))  # fmt: skip

    print("\n== side by side (p95, ms)")
    print(f"{'':40} {'page':>8} {'save':>8}")
    for name, (page, save) in figures.items():
        print(f"{name:40} {page:8.1f} {save:8.1f}")
    print(f"PDFs per minute: 1 worker {one_rate:.1f}, 2 workers {two_rate:.1f} ({two_rate / one_rate:.2f}x)")
    print(f"problems: {len(problems)} {problems[:10] if problems else ''}")
    print(f"whole run: {time.monotonic() - began:.0f} s")
    return 1 if problems else 0


def _wait_for_workers(deployment: Deployment, count: int) -> None:
    """Until ``count`` live workers are registered in Redis (a killed one's record lapses after 25 s)."""
    connection = Redis.from_url(deployment.environment()["REDIS_URL"])
    # a worker's name is the unit's --name (host-instance), then its process id
    live = [f"-{instance}." for instance, w in deployment.workers.items() if w.process.poll() is None]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        names = [w.name for w in Worker.all(connection=connection)]
        if sum(1 for part in live if any(part in n for n in names)) >= count:
            return
        time.sleep(0.2)
    raise RuntimeError(f"fewer than {count} PDF workers registered")


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    sys.exit(main())
