"""What readers see must not carry what they must not: internal codes and ids, placeholders, tracebacks, tofu.

Every client file under tests/data/clients (and the bundled sample) is put through every output a reader
meets: the text report, the web results page and the proposal PDF, in Japanese and in English.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from pypdf import PdfReader

from assessment import diagnose, load_content, parse_assessment
from assessment.presentation.text_report import render_text
from assessment.report import render_pdf
from tests.web import SAMPLE_PATH, build_app, dispose, visible_text

CONTENT = load_content()
CLIENTS = sorted((Path(__file__).resolve().parents[1] / "data" / "clients").glob("[0-9]*.yaml"))
FILES = [*CLIENTS, SAMPLE_PATH]
LANGS = ("ja", "en")

# snake_case ids (sales_ops, in_use, lead_quality, monthly_churn_rate) and dotted fact names (answer.org.x)
SNAKE_ID = re.compile(r"(?<![\w./-])[a-z]+(?:_[a-z]+)+(?![\w/-])")
FACT_NAME = re.compile(
    r"\b(?:answer|dept|tool|funnel|metric|status|ratio|score|count|phase|bpr|gap|client)(?:\.[a-z_]+)+"
)
PLACEHOLDER = re.compile(r"\{[a-z_.]+(?:\|[^{}]*)?\}")
# the answer, staffing, tool and status codes: never in Japanese text
CODES = ("below", "above", "within", "dedicated", "shared", "in_use", "planned", "partial", "unknown")
JAPANESE_CODE = re.compile(r"(?<![A-Za-z])(?:" + "|".join(CODES) + r")(?![A-Za-z])")
NEVER = ("Traceback", "nan", "NaN", "\ufffd", "未回答%", "未回答時間", "not given%")
# Python's None: in English it is also a word the app uses ("None of the known failure patterns")


def ids_in_content() -> set[str]:
    """Every id a consultant's content defines: rules, tasks, items, metrics, figures, owners."""
    ids = {r.id for r in CONTENT.rules} | {t.id for t in CONTENT.tasks}
    ids |= {i.id for i in CONTENT.checklist.items} | {b.metric for b in CONTENT.benchmarks.benchmarks}
    ids |= {f.id for f in CONTENT.survey.funnel} | {o.id for o in CONTENT.survey.owners}
    return {i for i in ids if "_" in i or "." in i}


IDS = ids_in_content()


def offences(text: str, lang: str) -> list[str]:
    """What a reader must not see in ``text``."""
    found = [m.group(0) for m in SNAKE_ID.finditer(text)]
    found += [m.group(0) for m in FACT_NAME.finditer(text)]
    found += [m.group(0) for m in PLACEHOLDER.finditer(text)]
    found += [i for i in IDS if re.search(rf"(?<![\w.]){re.escape(i)}(?![\w])", text)]
    found += [word for word in NEVER if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text)]
    if lang == "ja":
        found += [m.group(0) for m in JAPANESE_CODE.finditer(text)]
        found += ["None"] if re.search(r"(?<![A-Za-z])None(?![A-Za-z])", text) else []
    return sorted(set(found))


def _diagnosis(path: Path):  # type: ignore[no-untyped-def]
    return diagnose(parse_assessment(path.read_bytes(), CONTENT), CONTENT)


def test_there_are_enough_client_files() -> None:
    assert len(CLIENTS) >= 8


def test_the_scan_catches_what_it_is_for() -> None:
    """The scan itself must be able to fail."""
    assert offences("判定：below（sales_ops）", "ja") == ["below", "sales_ops"]
    assert offences("see answer.org.kpis_defined and {metric.sql_rate|%}", "en") == [
        "answer.org.kpis_defined", "metric.sql_rate", "{metric.sql_rate|%}",
    ]  # fmt: skip
    assert offences("未回答%の値", "ja") == ["未回答%"]
    assert offences("インサイドセールスは目安を下回る", "ja") == []
    assert offences("MQL → SQL conversion is below the benchmark", "en") == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_text_report_shows_no_internal_codes(path: Path, lang: str) -> None:
    text = render_text(_diagnosis(path), CONTENT, lang)  # type: ignore[arg-type]
    assert offences(text, lang) == []


@pytest.fixture(scope="module")
def reader_app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("reader-app"), web_cache_dir, WTF_CSRF_ENABLED=False)
    yield app
    dispose(app)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_web_results_show_no_internal_codes(reader_app: Flask, path: Path, lang: str) -> None:
    client = reader_app.test_client()
    client.get(f"/?lang={lang}")
    response = client.post("/import", data={"file": (io.BytesIO(path.read_bytes()), path.name)})
    assert response.status_code == 302, visible_text(response)
    base = response.location.rsplit("/", 1)[0]
    for page in ("results", "review"):
        shown = visible_text(client.get(f"{base}/{page}"))
        assert offences(shown, lang) == [], page


@pytest.mark.pdf
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_pdf_shows_no_internal_codes(path: Path, lang: str) -> None:
    data = render_pdf(_diagnosis(path), CONTENT, lang)  # type: ignore[arg-type]
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    assert offences(text, lang) == []
