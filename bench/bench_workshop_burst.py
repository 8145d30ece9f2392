"""Benchmark the workshop burst of issue 16: three rounds at once, 30 phones each, against the real server.

The same burst as the live-server test tests/e2e/test_concurrent_respondents.py (tests/e2e/burst.py): three
consultants each open a round; 90 phones join through their round's short link and save the three checklist
pages (20 answers and a comment), each from its own thread with its own cookies, the rounds interleaved, each
round's phones from its own room's address (X-Forwarded-For behind one trusted proxy, as nginx in front).
gunicorn serves the app as `make run` does (gunicorn.conf.py: sync workers, cores + 1 unless --workers), on a
fresh SQLite file in a temporary folder; the load generator runs on the same machine.

Prints: the machine, the workers, respondents, requests, saves with their p50/p95/max latency (a save is the
POST of a checklist page up to its 302), the joins and pages likewise, 5xx and other failures, answers lost
(read back from each round's CSV export), and the wall time of the burst. Exits 1 if anything was lost or
failed.

Run: .venv/bin/python bench/bench_workshop_burst.py [--workers N] [--rounds 3] [--phones 30] [--threads 30]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.burst import Hit, burst, exported, lost, new_round, sign_in  # noqa: E402
from tests.e2e.conftest import running_server  # noqa: E402
from tests.e2e.http import Browserless  # noqa: E402


def milliseconds(hits: list[Hit]) -> str:
    """p50, p95 and max of the hits' latency, in ms."""
    if not hits:
        return "none"
    times = sorted(h.seconds * 1000 for h in hits)
    p95 = statistics.quantiles(times, n=100, method="inclusive")[94] if len(times) > 1 else times[0]
    return f"p50 {statistics.median(times):.1f}  p95 {p95:.1f}  max {times[-1]:.1f} ms"


def machine() -> str:
    """The CPU model, the cores this process may use, Python, and how busy the machine was (load average)."""
    model = platform.processor() or "?"
    try:
        lines = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout.splitlines()
        model = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("Model name")), model)
    except OSError:
        pass
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    return f"{model}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}; load average {load}"


def main() -> int:
    """Run the burst once and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--phones", type=int, default=30, help="phones per round")
    parser.add_argument("--threads", type=int, default=30, help="phones answering at the same time")
    args = parser.parse_args()
    settings = {"READINESS_TRUSTED_PROXIES": "1", "WEB_CONCURRENCY": str(args.workers)}
    with tempfile.TemporaryDirectory(prefix="burst-") as folder, running_server(Path(folder), **settings) as server:

        def desk(n: int) -> Browserless:
            email, password = f"bench{n}@example.com", f"bench-password-{n}-2026"
            made = server.flask("create-consultant", email, "--name", email, "--password", password)
            assert made.returncode == 0, made.stderr
            return sign_in(server.url, email, password)

        with ThreadPoolExecutor(max_workers=args.rounds) as pool:
            desks = list(pool.map(desk, range(args.rounds)))
        rounds = [new_round(d, f"計測株式会社{n + 1}") for n, d in enumerate(desks)]
        done = burst(server.url, [code for _id, code in rounds], args.phones, args.threads)
        missing = []
        for n, (d, (engagement_id, _code)) in enumerate(zip(desks, rounds, strict=True)):
            missing += lost(exported(d, engagement_id), [p for p in done.sent if p.round == n])

    hits = done.hits
    saves = [h for h in hits if h.kind == "save"]
    failed = [p.failed for p in done.sent if p.failed]
    errors = sum(1 for h in hits if h.status >= 500)
    print(f"machine: {machine()}")
    print(f"gunicorn: {args.workers} sync workers (gunicorn.conf.py); load generator on the same machine")
    print(f"burst: {args.rounds} rounds x {args.phones} phones, {args.threads} at a time")
    print(f"respondents: {len(done.sent)} ({len(done.sent) - len(failed)} finished)")
    print(f"requests: {len(hits)} in {done.seconds:.2f} s ({len(hits) / done.seconds:.0f}/s)")
    print(f"saves: {len(saves)} ({sum(1 for h in saves if h.status == 302)} acknowledged)  {milliseconds(saves)}")
    print(f"joins: {milliseconds([h for h in hits if h.kind == 'join'])}")
    print(f"pages: {milliseconds([h for h in hits if h.kind in ('page', 'join-page')])}")
    print(f"5xx: {errors}  other failures: {failed[:5] or 'none'}")
    print(f"lost answers: {len(missing)}{'' if not missing else ' ' + str(missing[:5])}")
    print(f"wall time of the burst: {done.seconds:.2f} s")
    return 1 if missing or failed or errors else 0


if __name__ == "__main__":
    sys.exit(main())
