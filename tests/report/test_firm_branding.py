"""Issue 16: a firm's own look over the server's branding (``with_firm``). Each value the firm set wins; its logo's
bytes become one file named by their SHA-256, the only file besides the report's own the renderer may read; the
deck's cover carries that logo (the PDF's, in tests/web/test_firm_proposals.py)."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from assessment import diagnose, load_content, parse_assessment
from assessment.documents import load_document
from assessment.report import Branding
from assessment.report.branding import with_firm
from assessment.report.deck import render_deck
from assessment.report.fetcher import RefusedURL, SafeFetcher

CONTENT = load_content()
CLIENT_FILE = Path(__file__).parents[1] / "data" / "clients" / "10_workshop_perception_gaps.yaml"
SERVER = Branding(firm_name="Server Default KK", prepared_by="山田太郎", accent_color="#1f4e79")


def png(size: tuple[int, int] = (300, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#0a5d4a").save(out, "PNG")
    return out.getvalue()


def test_the_firms_values_win_and_unset_ones_keep_the_servers(tmp_path: Path) -> None:
    firm = with_firm(SERVER, tmp_path, firm_name=" Xenon Partners ", accent_color="#0A5D4A")
    assert (firm.firm_name, firm.accent_color, firm.prepared_by, firm.logo_path) == (
        "Xenon Partners", "#0a5d4a", "山田太郎", None,
    )  # fmt: skip
    assert with_firm(SERVER, tmp_path) == SERVER  # a firm that set nothing
    assert with_firm(SERVER, tmp_path, accent_color="red;}").accent_color == "#1f4e79"  # never anything but #rrggbb
    assert list(tmp_path.iterdir()) == []  # no logo, no file


def test_the_logo_is_one_file_named_by_its_hash_and_the_only_one_the_fetcher_reads(tmp_path: Path) -> None:
    data = png()
    first = with_firm(SERVER, tmp_path / "logos", logo=data, logo_type="image/png")
    again = with_firm(SERVER, tmp_path / "logos", logo=data, logo_type="image/png")
    assert first.logo_path == again.logo_path
    path = Path(first.logo_path or "")
    assert path.name == f"{hashlib.sha256(data).hexdigest()}.png" and path.read_bytes() == data
    assert [p.name for p in (tmp_path / "logos").iterdir()] == [path.name]  # no temporary file left
    jpeg = with_firm(SERVER, tmp_path / "logos", logo=data, logo_type="image/jpeg")
    assert (jpeg.logo_path or "").endswith(".jpg")
    assert with_firm(SERVER, tmp_path / "logos", logo=data, logo_type="image/svg+xml").logo_path is None

    fetcher = SafeFetcher(allowed_files=[path])
    assert fetcher.fetch(path.as_uri()) is not None
    for url in (f"data:image/png;base64,{data[:12].hex()}", (tmp_path / "other.png").as_uri()):
        try:
            fetcher.fetch(url)
        except RefusedURL:
            continue
        raise AssertionError(f"fetched {url}")


def cover_of(deck: bytes) -> tuple[str, list[tuple[int, int, int]]]:
    """The cover's text and its pictures (left, width, height)."""
    cover = Presentation(io.BytesIO(deck)).slides[0]
    words = "\n".join(shape.text_frame.text for shape in cover.shapes if shape.has_text_frame)
    pictures = [(s.left, s.width, s.height) for s in cover.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    return words, pictures


def test_the_decks_cover_carries_the_firms_name_and_logo(tmp_path: Path) -> None:
    found = diagnose(parse_assessment(load_document(CLIENT_FILE.read_bytes()), CONTENT), CONTENT)
    branded = with_firm(SERVER, tmp_path, firm_name="Xenon Partners", logo=png((1200, 100)), logo_type="image/png")
    words, pictures = cover_of(render_deck(found, CONTENT, "ja", branded, date(2026, 11, 30)))
    assert "Xenon Partners" in words and "Server Default KK" not in words
    [(left, width, height)] = pictures
    assert width <= 3 * 914400 and height <= 0.7 * 914400  # within 3 in x 0.7 in, at the top right
    assert abs(width / height - 12) < 0.1  # not stretched
    assert left + width <= 13.333 * 914400
    words, pictures = cover_of(render_deck(found, CONTENT, "ja", SERVER, date(2026, 11, 30)))
    assert "Server Default KK" in words and pictures == []
