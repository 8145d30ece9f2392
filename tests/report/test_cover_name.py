"""The longest company name the loader takes fits the proposal's cover: wrapped, emoji drawn, the date and author
table still above the confidentiality line (issue 15: a 177-character name pushed the table off the page)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from assessment import diagnose, load_content, parse_assessment
from assessment.engine.assessment_file import MAX_CLIENT_NAME
from assessment.report import Branding, render_pdf

pytestmark = pytest.mark.pdf

CONTENT = load_content()
# Wide characters throughout, with long katakana words (they wrap as words) and two emoji at the end.
LONGEST = ("株式会社日本国際総合販売促進技術開発研究所ホールディングス" * 3)[: MAX_CLIENT_NAME - 2] + "🚀🎉"
BRANDING = Branding(
    firm_name="株式会社レディネス・コンサルティング・パートナーズ", prepared_by="山田太郎（シニアコンサルタント）"
)


def cover_lines(pdf: bytes) -> list[tuple[str, float]]:
    """Each piece of text on the cover with its height on the page (PDF units, from the bottom)."""
    found: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found.append((text.strip(), tm[5] * cm[3] + cm[5]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize(("lang", "last_row", "confidential"), [
    ("ja", "作成", "社外秘"), ("en", "Prepared by (firm)", "Confidential"),
])  # fmt: skip
def test_the_longest_name_fits_on_the_cover(lang: str, last_row: str, confidential: str) -> None:
    assert len(LONGEST) == MAX_CLIENT_NAME
    document = {"client": {"name": LONGEST}, "checklist": {"org.exec_sponsorship": "yes"}}
    diagnosis = diagnose(parse_assessment(document, CONTENT), CONTENT)
    pdf = render_pdf(diagnosis, CONTENT, lang, branding=BRANDING, today=date(2026, 11, 30))  # type: ignore[arg-type]
    lines = cover_lines(pdf)
    text = re.sub(r"\s+", "", "".join(t for t, _ in lines))
    assert LONGEST in text  # all of it, wrapped, the emoji drawn (not replaced with 〓)
    row = next(y for t, y in lines if t == last_row)
    line = next(y for t, y in lines if t.startswith(confidential))
    assert row > line > 0, f"the table's last row ({row}) must stay above the confidentiality line ({line})"
