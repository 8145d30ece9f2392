"""Benchmark the proposal PDF: ours against WeasyPrint's own work on the same HTML, in-process and whole-process.

Prints medians and ratios measured side by side in one run, and a profile of where the time goes.
Run: .venv/bin/python bench/bench_report.py
"""

from __future__ import annotations

import cProfile
import os
import pstats
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


def median_time(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    """Median seconds of ``fn()`` over ``runs`` runs."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Run every measurement and print the figures."""
    from weasyprint import HTML

    from assessment import diagnose, load_content, parse_assessment
    from assessment.report import render_html, render_pdf

    runs = 7
    content = load_content()
    diagnosis = diagnose(parse_assessment(SAMPLE.read_bytes(), content), content)
    html = render_html(diagnosis, content, "ja")
    pdf = render_pdf(diagnosis, content, "ja", html=html)  # warm: fonts, templates, translations
    HTML(string=html).write_pdf()
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"python {sys.version.split()[0]}, cores {os.cpu_count()}, sample report: {pages} pages, {len(pdf):,} bytes")

    ours_times, weasy_times = [], []
    for _ in range(runs):  # interleaved, so drift on this shared machine hits both alike
        ours_times.append(median_time(lambda: render_pdf(diagnosis, content, "ja"), 1))
        weasy_times.append(median_time(lambda: HTML(string=html).write_pdf(), 1))
    ours, weasy = statistics.median(ours_times), statistics.median(weasy_times)
    html_only = median_time(lambda: render_html(diagnosis, content, "ja"), runs)
    print("\n== warm, in-process (median seconds) ==")
    print(f"render_pdf (context + template + WeasyPrint)   {ours:.3f}")
    print(f"  of which render_html (context, charts, Jinja) {html_only:.3f}")
    print(f"WeasyPrint alone: HTML(string).write_pdf()      {weasy:.3f}")
    print(f"ratio ours / WeasyPrint alone                   {ours / weasy:.2f}")

    workdir = Path(tempfile.mkdtemp(prefix="readiness-report-"))
    cache = workdir / "cache"
    env = {**os.environ, "READINESS_CACHE_DIR": str(cache)}
    readiness = str(Path(sys.executable).with_name("readiness"))
    html_file, pdf_file = workdir / "out.html", workdir / "out.pdf"
    cli = [readiness, "report", str(SAMPLE), "-o", str(pdf_file), "--html", str(html_file)]
    subprocess.run(cli, check=True, env=env)
    script = f"from weasyprint import HTML; HTML(filename={str(html_file)!r}).write_pdf({str(workdir / 'b.pdf')!r})"
    bare = [sys.executable, "-c", script]
    whole_times, bare_times = [], []
    for _ in range(5):
        whole_times.append(median_time(lambda: subprocess.run(cli, check=True, env=env), 1))
        bare_times.append(median_time(lambda: subprocess.run(bare, check=True), 1))
    whole, bare_time = statistics.median(whole_times), statistics.median(bare_times)
    colds = []
    for _ in range(3):
        shutil.rmtree(cache, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(cli, check=True, env=env)
        colds.append(time.perf_counter() - start)
    print("\n== whole process (median seconds) ==")
    print(f"readiness report (content cache warm)         {whole:.3f}")
    print(f"python -c 'weasyprint HTML(file).write_pdf()' {bare_time:.3f}")
    print(f"ratio                                         {whole / bare_time:.2f}")
    print(f"readiness report, content cache cleared       {statistics.median(colds):.3f}")

    profiler = cProfile.Profile()
    profiler.enable()
    render_pdf(diagnosis, content, "ja")
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = stats.stats.items()  # type: ignore[attr-defined]

    def cumulative(module: str, function: str) -> float:
        return max((row[3] for key, row in rows if key[2] == function and module in key[0]), default=0.0)

    total = cumulative("assessment/report", "render_pdf")
    print(f"\n== profile of one render_pdf ({total:.2f} s under the profiler) ==")
    phases = [
        ("assessment/report/__init__", "render_html", "ours: context, SVG charts and the Jinja2 template"),
        ("weasyprint/css", "get_all_computed_styles", "WeasyPrint: CSS cascade"),
        ("weasyprint/formatting_structure", "build_formatting_structure", "WeasyPrint: box tree"),
        ("weasyprint/layout", "layout_document", "WeasyPrint: layout (line breaking, tables)"),
        ("weasyprint/pdf", "generate_pdf", "WeasyPrint: drawing and PDF output (fonts subset)"),
    ]
    for module, function, label in phases:
        seconds = cumulative(module, function)
        print(f"{label:52} {seconds:6.2f} s  {seconds / total:5.0%}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
