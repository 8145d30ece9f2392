"""Benchmark the diagnosis: whole-process CLI time, in-process time, content grown to 1,000 rules/tasks.

Prints figures and ratios measured side by side in one run; docs/BENCHMARKS.md records them.
Run: make bench  (or .venv/bin/python bench/bench_diagnose.py)
"""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "questionnaires" / "samples" / "sample.yaml"
sys.path.insert(0, str(ROOT))

from assessment import diagnose, load_content, parse_assessment  # noqa: E402
from assessment.content.model import Content, Rule, Task  # noqa: E402


def wall(command: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of a command over ``runs`` runs, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(content: Content, text: str, runs: int) -> float:
    """Median seconds of parse + diagnose in-process."""
    diagnose(parse_assessment(text, content), content)  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        diagnose(parse_assessment(text, content), content)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def grown(content: Content, rules: int, tasks: int) -> Content:
    """The bundled content with rules copied to ``rules`` and a random task DAG of ``tasks`` tasks."""
    rng = random.Random(7)
    base_rules = list(content.rules)
    new_rules: list[Rule] = [
        dataclasses.replace(base_rules[i % len(base_rules)], id=f"rule_{i}", addressed_by=()) for i in range(rules)
    ]
    items = [item.id for item in content.checklist.items]
    template = content.tasks[0]
    new_tasks: list[Task] = []
    for i in range(tasks):
        deps = tuple(sorted({f"task_{rng.randrange(i)}" for _ in range(min(i, 3))})) if i else ()
        new_tasks.append(
            dataclasses.replace(
                template,
                id=f"task_{i}",
                weeks=rng.randint(1, 6),
                depends_on=deps,
                establishes=(items[i % len(items)],),
                done_when=None,
            )
        )
    return dataclasses.replace(content, rules=tuple(new_rules), tasks=tuple(new_tasks))


def main() -> None:
    """Run every measurement and print the figures."""
    python = sys.executable
    readiness = str(Path(python).with_name("readiness"))
    cache = tempfile.mkdtemp(prefix="readiness-bench-")
    env = {**os.environ, "READINESS_CACHE_DIR": cache}
    runs = 15

    print(f"python: {sys.version.split()[0]}  cores: {os.cpu_count()}")
    cli = [readiness, "diagnose", str(SAMPLE)]
    subprocess.run(cli, check=True, stdout=subprocess.DEVNULL, env=env)  # fill the content cache
    bare = wall([python, "-c", "pass"], runs)
    imports = wall([python, "-c", "import yaml, networkx"], runs)
    warm = wall(cli, runs, env)
    json_out = wall([*cli, "--format", "json"], runs, env)
    cold_times = []
    for _ in range(5):
        shutil.rmtree(cache, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(cli, check=True, stdout=subprocess.DEVNULL, env=env)
        cold_times.append(time.perf_counter() - start)
    cold = statistics.median(cold_times)
    print("\n== whole process (median wall seconds) ==")
    print(f"python -c pass                      {bare:.3f}")
    print(f"python -c 'import yaml, networkx'   {imports:.3f}")
    print(f"readiness diagnose (text, cached)   {warm:.3f}   x{warm / bare:.1f} of bare python")
    print(f"readiness diagnose --format json    {json_out:.3f}")
    print(f"readiness diagnose, no cache (cold) {cold:.3f}")
    print(f"share of the cached run spent importing yaml+networkx: {(imports - bare) / (warm - bare):.0%}")

    content = load_content()
    text = SAMPLE.read_text(encoding="utf-8")
    one = in_process(content, text, 300)
    big = grown(content, 1000, 1000)
    large = in_process(big, text, 20)
    print("\n== in process (median ms) ==")
    print(f"sample, bundled content ({len(content.rules)} rules, {len(content.tasks)} tasks)  {one * 1000:.2f}")
    print(f"sample, 1,000 rules and 1,000 tasks                 {large * 1000:.1f}   x{large / one:.0f}")
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
