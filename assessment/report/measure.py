"""How many lines a text takes in a slide's table cell: laid out word by word with the report's own font, so that
a row is made as tall as its text (LibreOffice and PowerPoint draw a row at the height the file gives it)."""

from __future__ import annotations

import re
from functools import lru_cache

from PIL import ImageFont

from assessment.report.fonts import japanese_font_files

_SAMPLE = 100  # the size the font is measured at, in points; widths scale with the size
# punctuation, closing brackets, the long-vowel mark and small kana: what Japanese never starts a line with
_NO_LINE_START = (  # escapes that re reads (the code holds no Japanese)
    r"\u3001\u3002\uff0c\uff0e\u30fb\uff1a\uff1b\uff1f\uff01\uff09\u300d\u300f\u3011\u3015\u3009\u300b"
    r"\u30fc\u3005\u3041\u3043\u3045\u3047\u3049\u3063\u3083\u3085\u3087\u308e\u30a1\u30a3\u30a5\u30a7"
    r"\u30a9\u30c3\u30e3\u30e5\u30e7\u30ee\u30f5\u30f6"
)
# a Latin word (with the punctuation stuck to it), a run of spaces, or one other character (Japanese breaks
# between any two), which takes the closing brackets and punctuation after it along (they never start a line)
_TOKENS = re.compile(r"[!-~]+|\s+|.[" + _NO_LINE_START + "]*")
_SLACK = 1.04  # the renderers' own rounding and the little space they put between Latin and Japanese


@lru_cache(maxsize=2)
def _font(bold: bool) -> ImageFont.FreeTypeFont | None:
    """The report's font (its bold face when there is one), or None when it is not installed."""
    files = japanese_font_files()
    wanted = [f for f in files if ("Bold" in f) == bold and f.lower().endswith((".ttc", ".otf", ".ttf"))]
    for path in wanted or list(files):
        try:
            return ImageFont.truetype(path, _SAMPLE)
        except OSError:
            continue
    return None


def _width(token: str, size: float, font: ImageFont.FreeTypeFont | None) -> float:
    """The width of ``token`` in points at ``size``: measured, or guessed (full width 1 em, others 0.6)."""
    if font is None:
        return sum(size if ord(char) >= 0x2000 else size * 0.6 for char in token)
    return float(font.getlength(token)) * size / _SAMPLE


def line_count(text: str, width_pt: float, size: float, bold: bool = False) -> int:
    """The lines ``text`` takes in a box ``width_pt`` points wide at ``size`` points (its own line breaks too):
    words wrap whole, Japanese wraps between characters, a line never starts with a space."""
    font = _font(bold)
    room = max(width_pt, 1.0)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for token in _TOKENS.findall(paragraph):
            wide = _width(token, size, font) * _SLACK
            if token.isspace():
                used += wide if used else 0.0
                continue
            if used and used + wide > room:
                lines += 1
                used = 0.0
            while wide > room:  # a word longer than the line is broken inside it
                lines += 1
                wide -= room
            used += wide
    return lines
