"""PDF typesetting: katakana words are never split inside table cells, and nothing prints as an empty box."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import ContentStream

from assessment import diagnose, load_content, parse_assessment
from assessment.report import Branding, render_html, render_pdf, typeset
from assessment.report.fonts import SUBSTITUTE, can_draw

pytestmark = pytest.mark.pdf  # renders proposals with WeasyPrint: the slow tier

ROOT = Path(__file__).resolve().parents[2]
CONTENT = load_content()
DEPARTMENT_WORDS = ("インサイドセールス", "カスタマーサクセス", "フィールドセールス")
EMOJI = ("🚀", "✅", "👍🏽", "⚠️")
# Emoji 16 (2024) and a private-use character: no installed font draws them
UNDRAWABLE = ("\U0001fae9", "\ue000")


def _document() -> dict[str, Any]:
    """The bundled sample with a workshop (every department disagreeing) and comments full of department
    names and emoji, so the narrow cells of every table carry long katakana words."""
    document: dict[str, Any] = yaml.safe_load((ROOT / "questionnaires" / "samples" / "sample.yaml").read_text())
    document["comments"] = {
        "org.inside_sales_setup": "インサイドセールスとカスタマーサクセスとフィールドセールスの連携が弱い🚀",
        "org.customer_success_plan": "✅カスタマーサクセス担当は未定、フィールドセールスが兼務👍🏽",
        "tools.tool_owners": "⚠️ インサイドセールス担当者が決まっていない",
        "data.customer_master": f"顧客情報が分散 {''.join(UNDRAWABLE)} フィールドセールス個人のExcel",
    }
    departments = ("marketing", "inside_sales", "field_sales", "customer_success", "management")
    document["respondents"] = [
        {"department": department, "answers": {"org.mql_definition": answer, "org.handoff_rules": answer}}
        for department, answer in zip(departments, ("yes", "no", "partial", "yes", "no"), strict=True)
    ]
    return document


@pytest.fixture(scope="module", params=["ja", "en"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    lang = request.param
    diagnosis = diagnose(parse_assessment(_document(), CONTENT), CONTENT)
    pdf = render_pdf(diagnosis, CONTENT, lang, Branding(firm_name="Acme Consulting"), date(2026, 11, 22))
    path = tmp_path_factory.mktemp("typesetting") / f"typesetting-{lang}.pdf"
    path.write_bytes(pdf)
    return lang, path


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words(path: Path) -> list[Word]:
    """Every word poppler finds, with its box, in reading order."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for number, page in enumerate(boxes.split("<page ")[1:], start=1):
        for x0, y0, x1, y1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
        ):
            found.append(Word(number, float(x0), float(y0), float(x1), float(y1), text))
    return found


def splits(found: list[Word], word: str) -> list[str]:
    """Places where ``word`` starts at the end of one line and ends at the start of a line below it."""
    broken = []
    for above in found:
        for k in range(1, len(word)):
            if not above.text.endswith(word[:k]):
                continue
            broken += [
                f"page {above.page}: {above.text} / {below.text}"
                for below in found
                if below.page == above.page
                and below.text.startswith(word[k:])
                and 0 < below.y0 - above.y0 < 2.5 * (above.y1 - above.y0)
                and below.x0 < above.x1
            ]
    return broken


def test_department_names_are_never_split_across_lines(rendered: tuple[str, Path]) -> None:
    _, path = rendered
    found = words(path)
    text = "".join(w.text for w in found)
    for word in DEPARTMENT_WORDS:
        assert word in text
        assert splits(found, word) == [], word


def test_the_check_sees_a_split() -> None:
    """The split finder itself: a word broken over two lines of one cell is found."""
    found = [Word(1, 50, 100, 90, 110, "営業のインサイ"), Word(1, 50, 112, 80, 122, "ドセールス")]
    assert splits(found, "インサイドセールス") == ["page 1: 営業のインサイ / ドセールス"]
    assert splits([*found[:1], Word(1, 50, 160, 80, 170, "ドセールス")], "インサイドセールス") == []


def notdef_codes(path: Path) -> set[str]:
    """Glyphs drawn as .notdef (the empty box): a code mapped to CID 0 by a font's own encoding (where
    WeasyPrint puts the characters Pango found no font for), or code 0 shown in an Identity-H font."""
    reader = PdfReader(path)
    found = set()
    for page in reader.pages:
        fonts = {name: font.get_object() for name, font in (page["/Resources"].get("/Font") or {}).items()}
        identity = {name for name, font in fonts.items() if font.get("/Encoding") == "/Identity-H"}
        for name, font in fonts.items():
            encoding = font.get("/Encoding")
            if name not in identity and encoding is not None and hasattr(encoding.get_object(), "get_data"):
                cmap = encoding.get_object().get_data().decode("latin-1")
                found |= {f"{font['/BaseFont']} <{code}>" for code in re.findall(r"<(\w+)> 0\n", cmap)}
        current = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = operands[0]
            elif operator in (b"Tj", b"TJ") and current in identity:
                for string in operands[0] if operator == b"TJ" else [operands[0]]:
                    data = bytes(getattr(string, "original_bytes", b""))
                    if any(data[i : i + 2] == b"\0\0" for i in range(0, len(data), 2)):
                        found.add(f"{fonts[current]['/BaseFont']} <0000>")
    return found


def test_emoji_are_drawn_by_an_emoji_font_and_nothing_is_tofu(rendered: tuple[str, Path]) -> None:
    _, path = rendered
    assert all(can_draw(emoji[0]) for emoji in EMOJI), "no emoji font: install fonts-noto-color-emoji (make setup)"
    assert not any(can_draw(char) for char in UNDRAWABLE), "a font here draws these: pick rarer characters"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Color-Emoji" in fonts and "Noto-Sans-CJK-JP" in fonts, fonts
    assert notdef_codes(path) == set()
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for emoji in EMOJI:
        assert emoji[0] in text, emoji
    for char in UNDRAWABLE:
        assert char not in text
    assert SUBSTITUTE * len(UNDRAWABLE) in text


def test_typeset_touches_text_only() -> None:
    html = (
        '<html><head><title>カスタマーサクセス\ue000</title></head><body data-x="インサイドセールス">'
        "<td>カスタマーサクセス\ue000とマーケティングオートメーション</td>"
        "<svg><text>フィールドセールス\ue000</text></svg><style>.x::after { content: 'セールス' }</style></body></html>"
    )
    assert typeset(html) == (
        '<html><head><title>カスタマーサクセス\ue000</title></head><body data-x="インサイドセールス">'
        f'<td><span class="word">カスタマーサクセス</span>{SUBSTITUTE}とマーケティングオートメーション</td>'
        f"<svg><text>フィールドセールス{SUBSTITUTE}</text></svg><style>.x::after {{ content: 'セールス' }}</style>"
        "</body></html>"
    )


def test_the_html_carries_the_word_spans_and_no_undrawable_character() -> None:
    diagnosis = diagnose(parse_assessment(_document(), CONTENT), CONTENT)
    html = render_html(diagnosis, CONTENT, "ja", today=date(2026, 11, 22))
    body = html.partition("<body")[2]
    assert '<span class="word">インサイドセールス</span>' in body
    assert not any(char in body for char in UNDRAWABLE)
