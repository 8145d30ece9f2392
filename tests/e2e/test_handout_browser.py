"""The workshop handout printed by Chromium (page.pdf, the print CSS): one A4 page holding the join code, the
join link and the QR code, in the page's language; on screen it passes axe-core (a consultant's page, so it is
checked here rather than in test_accessibility's signed-out PAGES)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.axe import CONTEXT_OPTIONS, assert_accessible
from tests.e2e.conftest import Account, Server
from tests.e2e.test_live_screen_browser import round_page


def pdf_text(path: Path) -> tuple[int, str]:
    """The PDF's page count and its text (poppler-utils)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    words = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return pages, words.stdout


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_handout_prints_on_one_a4_page_with_the_code(
    server: Server, browser: Browser, consultant: Account, tmp_path: Path, lang: str
) -> None:
    desk = round_page(server, browser, consultant, **CONTEXT_OPTIONS)  # axe is injected past the CSP
    try:
        desk.goto(desk.url + f"/handout?lang={lang}")
        code = desk.locator(".handout-code strong").inner_text().strip()
        assert desk.locator(".handout-qr svg").count() == 1
        assert_accessible(desk, f"handout ({lang})")
        target = tmp_path / "handout.pdf"
        desk.emulate_media(media="print")
        desk.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
        pages, words = pdf_text(target)
        assert pages == 1, words
        assert code in words and f"/j/{code}" in words
        assert ("QRコード" in words) if lang == "ja" else ("Scan the QR code" in words and "enter the code" in words)
        assert "Back to the round" not in words and "戻る" not in words  # the screen's link is not printed
        size = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"Page size:\s+595(\.\d+)? x 841(\.\d+)?", size) or "A4" in size, size
    finally:
        desk.context.close()
