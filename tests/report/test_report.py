"""The proposal PDF: content in both languages, typesetting, safety, and the CLI entry point."""

from __future__ import annotations

import copy
import http.server
import io
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from assessment import diagnose, load_content, parse_assessment
from assessment.report import Branding, render_html, render_pdf
from assessment.report.fetcher import RefusedURL, SafeFetcher
from assessment.report.i18n import translations

pytestmark = pytest.mark.pdf  # renders proposals with WeasyPrint: the slow tier

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "questionnaires" / "samples" / "sample.yaml"
CONTENT = load_content()
TODAY = date(2026, 11, 22)

CHAPTERS = {
    "ja": ["エグゼクティブサマリー", "導入準備度チェックリスト", "想定される失敗リスク", "今後の進め方"],
    "en": [
        "Executive summary",
        "Readiness checklist",
        "Failure risks",
        "Implementation roadmap",
        "Next steps",
    ],
}


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def squash(text: str) -> str:
    """Text extraction breaks lines anywhere in Japanese; compare without whitespace."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def sample_diagnosis() -> Any:
    return diagnose(parse_assessment(SAMPLE.read_bytes(), CONTENT), CONTENT)


@pytest.fixture(scope="module", params=["ja", "en"])
def sample_pdf(request: pytest.FixtureRequest, sample_diagnosis: Any) -> tuple[str, bytes]:
    lang = request.param
    return lang, render_pdf(sample_diagnosis, CONTENT, lang, Branding(firm_name="Acme Consulting"), TODAY)


def test_pdf_names_the_client_the_chapters_risks_and_tasks(
    sample_pdf: tuple[str, bytes], sample_diagnosis: Any
) -> None:
    lang, pdf = sample_pdf
    text = squash(pdf_text(pdf))
    assert "株式会社サンプル" in text
    assert "AcmeConsulting" in text
    for chapter in CHAPTERS[lang]:
        assert squash(chapter) in text, chapter
    for finding in sample_diagnosis.findings:
        assert squash(finding.title.get(lang)) in text, finding.rule_id
    for task in sample_diagnosis.plan.tasks:
        assert squash(task.title.get(lang)) in text, task.id


def test_pdf_has_a_sane_page_count_and_page_numbers(sample_pdf: tuple[str, bytes]) -> None:
    _, pdf = sample_pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert 12 <= len(reader.pages) <= 40
    last = reader.pages[-1].extract_text() or ""
    assert f"{len(reader.pages)} / {len(reader.pages)}" in last


def test_fonts_are_embedded_and_cover_the_text(sample_pdf: tuple[str, bytes]) -> None:
    _, pdf = sample_pdf
    reader = PdfReader(io.BytesIO(pdf))
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert any("Noto-Sans-CJK-JP" in name for name in fonts), fonts.keys()
    for name, font in fonts.items():
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded"
        assert "/ToUnicode" in font, f"{name} cannot be mapped back to text"
    text = pdf_text(pdf)
    assert "\ufffd" not in text  # no glyph without a character: nothing printed as tofu


def test_pdf_metadata(sample_pdf: tuple[str, bytes]) -> None:
    _, pdf = sample_pdf
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None and "株式会社サンプル" in (metadata.title or "")
    assert metadata.author == "Acme Consulting"


def test_translations_cover_every_message() -> None:
    from babel.messages.pofile import read_po

    with (ROOT / "assessment/translations/ja/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="ja")
    missing = [m.id for m in catalog if m.id and not m.string]
    assert missing == []
    assert translations("ja").gettext("Executive summary") == "エグゼクティブサマリー"


def _minimal(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "client": {"name": "小さな会社", "employees": 20},
        "checklist": {"org.exec_sponsorship": "yes"},
        "survey": {"departments": {"marketing": "shared", "field_sales": "dedicated"}},
    }
    for key, value in overrides.items():
        document[key] = value
    return document


def _render(document: dict[str, Any], lang: str = "ja", **kwargs: Any) -> tuple[str, bytes]:
    diagnosis = diagnose(parse_assessment(copy.deepcopy(document), CONTENT), CONTENT)
    html = render_html(diagnosis, CONTENT, lang, today=TODAY, **kwargs)  # type: ignore[arg-type]
    return html, render_pdf(diagnosis, CONTENT, lang, html=html, **kwargs)  # type: ignore[arg-type]


def test_missing_funnel_figures_are_said_plainly() -> None:
    html, pdf = _render(_minimal())
    assert "ファネルの数値が入力されていない" in squash(pdf_text(pdf)) or "ファネル" in html
    _, english_pdf = _render(_minimal(), "en")
    assert "No funnel figures were given" in pdf_text(english_pdf).replace("\n", " ")


def test_hubspot_example_only_when_the_client_names_hubspot() -> None:
    with_hubspot = _minimal(survey={"tools": {"ma": "in_use", "ma_product": "HubSpot Marketing Hub"}})
    html, _ = _render(with_hubspot, "en")
    assert "Worked example: HubSpot" in html and "Marketing Qualified Lead" in html
    assert "Dashboard reports to build" not in html  # hub advice only for HubSpot as the CRM
    html, _ = _render(_minimal(survey={"tools": {"sfa": "in_use", "sfa_product": "Salesforce"}}), "en")
    assert "Worked example: HubSpot" not in html


def test_hubspot_only_planned_or_compared_gets_no_example() -> None:
    """A client still choosing between Salesforce and HubSpot is not told how to run Sales Hub."""
    planned = _minimal(survey={"tools": {"sfa": "planned", "sfa_product": "HubSpot"}})
    html, _ = _render(planned, "en")
    assert "Worked example: HubSpot" not in html


def test_hubspot_as_the_crm_gets_the_hub_advice() -> None:
    crm = _minimal(
        survey={"tools": {"ma": "in_use", "ma_product": "HubSpot", "sfa": "in_use", "sfa_product": "HubSpot"}}
    )
    html, _ = _render(crm, "en")
    assert "Worked example: HubSpot" in html and "Sales Hub" in html and "Dashboard reports to build" in html


def test_an_invalid_funnel_is_said_in_the_executive_summary() -> None:
    document = _minimal(survey={"funnel": {"leads": 10, "mqls": 20}})
    _, pdf = _render(document, "en")
    summary = pdf_text(pdf).replace("\n", " ")
    summary = summary[summary.index("Executive summary") :]
    assert "The funnel figures contradict each other" in summary.split("Readiness by axis")[0]


def test_consultant_narrative_is_printed() -> None:
    narrative = "経営会議でのご説明を踏まえ、まずMQL定義の合意から着手することをお勧めします。"
    _, pdf = _render(_minimal(notes={"executive_summary": narrative}))
    assert squash(narrative) in squash(pdf_text(pdf))


HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_COMMENT = '<img src="file:///etc/passwd">'


@pytest.fixture
def request_counter() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on loopback that counts the requests it gets."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()
    server.server_close()


def test_user_markup_is_printed_literally_and_nothing_is_fetched(
    request_counter: tuple[str, list[str]],
) -> None:
    base, seen = request_counter
    image_url = f'<img src="{base}/tracker.png">'
    document = _minimal(
        client={"name": HOSTILE_NAME, "employees": 20},
        comments={"org.exec_sponsorship": HOSTILE_COMMENT, "org.kpis_defined": image_url},
        notes={"executive_summary": f"{image_url} {HOSTILE_COMMENT}"},
    )
    html, pdf = _render(document, "en")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'src="file:///etc/passwd"' not in html
    assert f'src="{base}' not in html
    text = pdf_text(pdf).replace("\n", "")
    assert HOSTILE_NAME in text
    assert "file:///etc/passwd" in text
    assert seen == []


def test_fetcher_refuses_everything_but_report_assets(request_counter: tuple[str, list[str]], tmp_path: Path) -> None:
    from weasyprint import HTML

    base, seen = request_counter
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>')
    fetcher = SafeFetcher(allowed_files=[logo])
    raw = (
        f'<img src="{base}/a.png"><img src="file:///etc/passwd"><img src="data:image/png;base64,AAAA">'
        f'<img src="{logo.as_uri()}"><link rel="stylesheet" href="{base}/x.css">'
    )
    HTML(string=raw, url_fetcher=fetcher).write_pdf()
    assert seen == []
    assert any(url.startswith(base) for url in fetcher.refused)
    assert "file:///etc/passwd" in fetcher.refused
    assert any(url.startswith("data:") for url in fetcher.refused)
    assert not any("logo.svg" in url for url in fetcher.refused)
    with pytest.raises(RefusedURL):
        fetcher.fetch("file:///etc/passwd")


def test_logo_and_branding(tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 30), "#0a7d5a").save(logo)
    branding = Branding(firm_name="Blue Peak", prepared_by="山田 太郎", accent_color="#0a7d5a", logo_path=str(logo))
    html, pdf = _render(_minimal(), branding=branding)
    assert "--accent: #0a7d5a" in html and logo.as_uri() in html
    text = squash(pdf_text(pdf))
    assert "BluePeak" in text and "山田太郎" in text
    assert PdfReader(io.BytesIO(pdf)).pages[0].images  # the logo made it onto the cover


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "assessment.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
    )


def test_cli_report_writes_pdf_and_self_contained_html(tmp_path: Path) -> None:
    from weasyprint import HTML

    out, html_out = tmp_path / "proposal.pdf", tmp_path / "proposal.html"
    result = run_cli("report", str(SAMPLE), "-o", str(out), "--html", str(html_out), "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    html = html_out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "<style>" in html and "<link" not in html
    pages = len(PdfReader(out).pages)
    assert len(HTML(filename=str(html_out)).render().pages) == pages


def test_cli_report_refuses_bad_branding_and_names_the_field(tmp_path: Path) -> None:
    result = run_cli(
        "report", str(SAMPLE), "-o", str(tmp_path / "x.pdf"), env={"READINESS_ACCENT_COLOR": "red; } body {"}
    )
    assert result.returncode == 2
    assert "accent_color" in result.stderr and "Traceback" not in result.stderr


def test_missing_japanese_font_is_a_clear_error(tmp_path: Path) -> None:
    """With a fontconfig that knows no fonts, the report refuses instead of printing empty boxes."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig></fontconfig>')
    result = run_cli(
        "report", str(SAMPLE), "-o", str(tmp_path / "x.pdf"),
        env={"FONTCONFIG_FILE": str(config), "XDG_CACHE_HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 2
    assert "Noto Sans CJK JP" in result.stderr and "fonts-noto-cjk" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_nothing_is_printed_beyond_the_right_edge(sample_pdf: tuple[str, bytes], tmp_path: Path) -> None:
    """Every word ends inside the page (the appendix's tool table once sat past the edge): word boxes from
    poppler's pdftotext, which lays the page out as a viewer does (SVG charts included)."""
    lang, pdf = sample_pdf
    path = tmp_path / f"sample-{lang}.pdf"
    path.write_bytes(pdf)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = boxes.split("<page ")[1:]
    assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages)
    for number, page in enumerate(pages, start=1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', page)
        assert words, f"page {number} has no words"
        outside = [f"{word} ({float(x0):.0f}-{float(x1):.0f})" for x0, x1, word in words if float(x1) > width + 0.5]
        assert outside == [], f"page {number} of {width:.0f}pt: {outside[:5]}"
