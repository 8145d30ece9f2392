"""Issue 16: the workshop round's proposal as an editable deck (.pptx). Read back with python-pptx: the slides and
their titles, real text and tables in the Japanese font (latin and east-Asian), the charts as pictures; and, in
the slow tier, opened by LibreOffice: one PDF page per slide, the Japanese text drawn."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from assessment import diagnose, load_content, parse_assessment
from assessment.documents import load_document
from assessment.report import Branding
from assessment.report.context import build_context
from assessment.report.deck import render_deck
from assessment.report.i18n import translations
from assessment.report.measure import line_count
from assessment.report.raster import svg_to_png

CONTENT = load_content()
CLIENT_FILE = Path(__file__).parents[1] / "data" / "clients" / "10_workshop_perception_gaps.yaml"
SAMPLE = Path(__file__).parents[2] / "questionnaires" / "samples" / "sample.yaml"
BRANDING = Branding(firm_name="株式会社レディネス", prepared_by="山田太郎")
DAY = date(2026, 11, 30)


def diagnosis() -> Any:
    return diagnose(parse_assessment(load_document(CLIENT_FILE.read_bytes()), CONTENT), CONTENT)


@pytest.fixture(scope="module")
def decks() -> dict[str, bytes]:
    found = diagnosis()
    return {lang: render_deck(found, CONTENT, lang, BRANDING, DAY) for lang in ("ja", "en")}


def slide_texts(slide: Any) -> Iterator[str]:
    for shape in slide.shapes:
        if shape.has_text_frame:
            yield shape.text_frame.text
        if shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    yield cell.text


def all_runs(prs: Any) -> Iterator[Any]:
    for slide in prs.slides:
        for shape in slide.shapes:
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for frame in frames:
                for paragraph in frame.paragraphs:
                    yield from paragraph.runs


def titles(prs: Any) -> list[str]:
    return [slide.shapes.title.text if slide.shapes.title is not None else "" for slide in prs.slides]


def test_the_japanese_deck_has_its_slides_text_tables_and_pictures(decks: dict[str, bytes]) -> None:
    prs = Presentation(io.BytesIO(decks["ja"]))
    view = build_context(diagnosis(), CONTENT, "ja", BRANDING, DAY, translations("ja").gettext)
    named = titles(prs)
    assert named[0] == ""  # the cover has no title bar
    expected = ["エグゼクティブサマリー", "観点別の準備度", "月間ファネル", "部門間の認識ギャップ"]
    for title in [*expected, "想定される失敗リスク", "導入ロードマップ", "最初の90日間"]:
        assert title in named, (title, named)
    cover = "\n".join(slide_texts(prs.slides[0]))
    assert "株式会社東邦システムインテグレーション 御中" in cover and "2026年11月30日" in cover and "山田太郎" in cover

    summary = "\n".join(slide_texts(prs.slides[named.index("エグゼクティブサマリー")]))
    assert f"{view['scores']['overall']:.0f}/100" in summary
    assert view["band"] is not None and view["band"]["verdict"] in summary
    assert view["phase"]["recommended"] in summary
    assert len(view["next_actions"]) == 3 and all(action["title"] in summary for action in view["next_actions"])

    every = "\n".join(text for slide in prs.slides for text in slide_texts(slide))
    assert "MQL/SQLの品質問題" in every  # a risk, in Japanese
    assert "□ MQL定義と判定基準の文書化" in every  # a 90-day checkpoint, in Japanese
    assert all(risk["countermeasure"] in every for risk in view["risks"])

    gap_slide = prs.slides[named.index("部門間の認識ギャップ")]
    table = next(shape.table for shape in gap_slide.shapes if shape.has_table)
    assert view["perception"] is not None
    departments = view["perception"]["departments"]
    assert [cell.text for cell in table.rows[0].cells] == ["設問", *departments, "採用する回答"]
    gap = view["perception"]["gaps"][0]
    first = [cell.text for cell in table.rows[1].cells]
    assert first[0] == f"{gap['number']}. {gap['text']}"
    marks = {v["department"]: f"{v['mark']} {v['label']}" for v in gap["views"]}
    assert first[1:-1] == [marks.get(d, "") for d in departments]
    assert first[-1].startswith(gap["adopted"])

    runs = list(all_runs(prs))
    assert len(runs) > 100
    for run in runs:
        r_pr = run._r.find(qn("a:rPr"))
        assert r_pr is not None and r_pr.get("lang") == "ja-JP", run.text
        assert r_pr.find(qn("a:latin")).get("typeface") == "Noto Sans CJK JP", run.text
        assert r_pr.find(qn("a:ea")).get("typeface") == "Noto Sans CJK JP", run.text

    pictures = [shape for slide in prs.slides for shape in slide.shapes if shape.shape_type == 13]
    assert {p.name for p in pictures} == {"score chart", "funnel chart", "benchmark chart", "roadmap chart"}
    for picture in pictures:
        assert picture.image.content_type == "image/png" and len(picture.image.blob) > 2000
        assert picture._element.nvPicPr.cNvPr.get("descr")  # the chart's figures, as alternative text


def test_the_english_deck_is_in_english(decks: dict[str, bytes]) -> None:
    prs = Presentation(io.BytesIO(decks["en"]))
    named = titles(prs)
    assert {"Executive summary", "Failure risks", "Implementation roadmap", "The first 90 days"} <= set(named)
    cover = "\n".join(slide_texts(prs.slides[0]))
    assert "THE MODEL Readiness Assessment" in cover and "30 November 2026" in cover
    assert {run._r.find(qn("a:rPr")).get("lang") for run in all_runs(prs)} == {"en-GB"}


def test_a_long_table_continues_on_the_next_slide_within_the_page(decks: dict[str, bytes]) -> None:
    prs = Presentation(io.BytesIO(decks["ja"]))
    roadmap = [slide for slide in prs.slides if slide.shapes.title is not None and
               slide.shapes.title.text == "導入ロードマップ"]  # fmt: skip
    assert len(roadmap) >= 3  # the Gantt chart, then the tasks over two slides
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.top + shape.height <= prs.slide_height, (shape.name, titles(prs))


def test_the_rasteriser_paints_a_chart_and_refuses_what_it_does_not_know() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="20"><rect x="0" y="0" width="50" height="20" fill="#1f4e79"/><text x="60" y="15" font-size="10">組織</text></svg>'  # noqa: E501
    png = svg_to_png(svg)
    assert png.startswith(b"\x89PNG") and svg_to_png("") == b""
    with pytest.raises(ValueError, match="path"):
        svg_to_png('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><path d="M0 0"/></svg>')


@pytest.mark.pdf
def test_libreoffice_opens_the_deck_one_page_per_slide(decks: dict[str, bytes], tmp_path: Path) -> None:
    assert shutil.which("soffice"), "LibreOffice is missing: `make setup` installs libreoffice-impress"
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(decks["ja"])
    profile = (tmp_path / "profile").as_uri()  # its own profile: no lock shared with another soffice
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(deck)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "deck.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == len(Presentation(io.BytesIO(decks["ja"])).slides)
    words = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    squeezed = "".join(words.split())
    assert "想定される失敗リスク" in squeezed and "MQL/SQLの品質問題" in squeezed
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts.replace(" ", "")


# The review's deck: the bundled sample, the consultant's summary in both languages, a plan over the new year.
SUMMARY = {
    "ja": "MQLの定義のずれが最大の課題です。定義の合意とSFAの導入を並行して進め、90日後に再診断します。",
    "en": "The MQL definition is the biggest gap. Agree it while the SFA goes in, then re-assess in 90 days.",
}
COMPACT_SPAN = re.compile(r"^\d{4}/\d{2}/\d{2}–\d{4}/\d{2}/\d{2}$")


@pytest.fixture(scope="module")
def sample_decks() -> dict[str, bytes]:
    document: dict[str, Any] = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    document["checklist"]["data.customer_master"] = "yes"
    document["notes"] = {"executive_summary": SUMMARY}
    document["plan"] = {"start": "2026-12-07"}
    found = diagnose(parse_assessment(document, CONTENT), CONTENT)
    return {lang: render_deck(found, CONTENT, lang, BRANDING, DAY) for lang in ("ja", "en")}


def footer_top(slide: Any) -> int:
    """The top of a slide's footer (the client and firm line at the foot of every slide but the cover)."""
    lines = [shape for shape in slide.shapes if shape.has_text_frame and shape.top > Inches(6.5)]
    return min(shape.top for shape in lines if BRANDING.firm_name in shape.text_frame.text)


def test_the_summary_slide_carries_the_consultants_summary(sample_decks: dict[str, bytes]) -> None:
    for lang, title in (("ja", "エグゼクティブサマリー"), ("en", "Executive summary")):
        prs = Presentation(io.BytesIO(sample_decks[lang]))
        slide = prs.slides[titles(prs).index(title)]
        assert SUMMARY[lang] in "\n".join(slide_texts(slide)), lang


def test_nothing_runs_into_the_footer_and_every_row_holds_its_text(sample_decks: dict[str, bytes]) -> None:
    """A row is drawn as tall as the file says: each must hold its text as the font sets it, and the table,
    continued on the next slide when it must, ends above the footer."""
    for lang in ("ja", "en"):
        prs = Presentation(io.BytesIO(sample_decks[lang]))
        for number, slide in enumerate(list(prs.slides)[1:], start=2):
            limit = footer_top(slide)
            for shape in slide.shapes:
                if shape.top >= limit:
                    continue  # the footer itself
                assert shape.top + shape.height <= limit, (lang, number, shape.name)
                if not shape.has_table:
                    continue
                columns = [column.width for column in shape.table.columns]
                for row in shape.table.rows:
                    for cell, width in zip(row.cells, columns, strict=True):
                        size = cell.text_frame.paragraphs[0].runs[0].font.size.pt if cell.text else 11
                        lines = line_count(cell.text, (width - 2 * Inches(0.1)) / 12700, size, bold=False)
                        assert row.height >= Pt(size * 1.45) * lines, (lang, number, cell.text)


def test_the_roadmap_and_the_first_90_days_give_compact_dates(sample_decks: dict[str, bytes]) -> None:
    for lang, roadmap, days in (
        ("ja", "導入ロードマップ", "最初の90日間"),
        ("en", "Implementation roadmap", "The first 90 days"),
    ):
        prs = Presentation(io.BytesIO(sample_decks[lang]))
        spans = []
        for slide in prs.slides:
            title = slide.shapes.title.text if slide.shapes.title is not None else ""
            column = {roadmap: 2, days: 0}.get(title)
            if column is None:
                continue
            for shape in slide.shapes:
                if shape.has_table:
                    spans += [row.cells[column].text for row in list(shape.table.rows)[1:]]
        assert spans and all(COMPACT_SPAN.match(span) for span in spans), (lang, spans)
        assert any(span.startswith("2026/12/07–") for span in spans)


def test_the_benchmark_chart_is_large_enough_to_read(sample_decks: dict[str, bytes]) -> None:
    prs = Presentation(io.BytesIO(sample_decks["ja"]))
    chart = next(shape for slide in prs.slides for shape in slide.shapes if shape.name == "benchmark chart")
    assert chart.width >= Inches(10) and chart.height >= Inches(3), (chart.width / 914400, chart.height / 914400)


def test_the_prerequisites_name_only_work_to_come_or_say_it_is_done(sample_decks: dict[str, bytes]) -> None:
    prs = Presentation(io.BytesIO(sample_decks["ja"]))
    after = [row.cells[3].text for slide in prs.slides for shape in slide.shapes if shape.has_table
             and shape.table.cell(0, 0).text == "タスク" for row in list(shape.table.rows)[1:]]  # fmt: skip
    named = "、".join(after)
    assert "顧客マスタの一元化（実施済み）" in named and "MAツールの導入・初期設定（実施済み）" in named
    assert "顧客マスタの一元化、" not in named + "、" and "MAツールの導入・初期設定、" not in named + "、"
