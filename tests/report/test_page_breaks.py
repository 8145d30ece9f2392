"""The printed proposal breaks pages as a consulting firm's document does: an action never parted from its owner
and dates, no table leaving its header and one row at a page's foot or its last row alone on the next page; and
what the review found missing in print (a note's language, how a benchmark was scaled) is on the page."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from assessment import diagnose, load_content, parse_assessment
from assessment.report import TEMPLATE_DIR, Branding, render_html, render_pdf

pytestmark = pytest.mark.pdf  # lays out proposals with WeasyPrint: the slow tier

CONTENT = load_content()
SAMPLE = Path(__file__).resolve().parents[2] / "questionnaires" / "samples" / "sample.yaml"
# four sentences of the consultant's summary: on the code before this test, the executive summary's second
# next action started at the foot of page 3 and its owner and dates went to page 4
SUMMARY = "営業とマーケティングのMQL定義のずれが最大の課題です。" * 4


def document() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    found["checklist"]["data.customer_master"] = "yes"
    found["survey"]["funnel"]["sales_cycle_days"] = 60
    found["plan"] = {"start": "2027-01-04"}
    found["notes"] = {"executive_summary": SUMMARY}
    return found


def pages(lang: str) -> list[Any]:
    diagnosis = diagnose(parse_assessment(document(), CONTENT), CONTENT)
    html = render_html(diagnosis, CONTENT, lang, Branding(), date(2026, 11, 22))
    return list(HTML(string=html, base_url=str(TEMPLATE_DIR)).render().pages)


def _body_rows(table: Any) -> int:
    """The rows of a table element's bodies, as the HTML has them."""
    return sum(
        len([row for row in body if row.tag.endswith("tr")]) for body in table.iter() if body.tag.endswith("tbody")
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_action_is_split_and_no_table_row_is_left_alone(lang: str) -> None:
    actions: set[int] = set()
    action_pages: dict[int, set[int]] = {}
    lonely = []
    for number, page in enumerate(pages(lang), start=1):
        for box in page._page_box.descendants():
            if box.element_tag == "ol" and "actions" in (box.element.get("class") or ""):
                actions |= {id(item) for item in box.element}
            if box.element_tag == "li" and id(box.element) in actions:
                action_pages.setdefault(id(box.element), set()).add(number)
            if isinstance(box, boxes.TableBox) and box.element_tag == "table":
                groups = [group for group in box.children if isinstance(group, boxes.TableRowGroupBox)]
                here = sum(len(group.children) for group in groups if not group.is_header)
                if here == 1 and _body_rows(box.element) > 1:
                    lonely.append((number, box.element.get("class")))
    assert action_pages and all(len(found) == 1 for found in action_pages.values()), action_pages
    assert lonely == [], lonely


def test_the_english_pdf_says_which_notes_are_quoted_in_japanese_and_how_coverage_was_scaled() -> None:
    diagnosis = diagnose(parse_assessment(document(), CONTENT), CONTENT)
    pdf = render_pdf(diagnosis, CONTENT, "en", Branding(), date(2026, 11, 22))
    text = "".join("\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Consultant'snote,aswritten(Japanese):営業とマーケで定義が一致していない" in text
    assert "3–4×foraone-monthcycle,×2for60days" in text
    assert "3–4×2=6–8times" in text
