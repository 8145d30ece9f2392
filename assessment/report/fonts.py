"""The report is set in Noto Sans CJK JP: check it is installed before rendering, never print tofu."""

from __future__ import annotations

import bisect
import shutil
import subprocess
import sys
import unicodedata
from functools import lru_cache

from assessment.i18n import N_, translator

JAPANESE_FONT = "Noto Sans CJK JP"


class FontMissingError(RuntimeError):
    """The Japanese font the report needs is not installed."""


@lru_cache(maxsize=1)
def japanese_font_files() -> tuple[str, ...]:
    """Return the files fontconfig knows for the report's Japanese font (empty when missing)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    result = subprocess.run(
        [fc_list, f":family={JAPANESE_FONT}", "file"], capture_output=True, text=True, timeout=10, check=False
    )
    return tuple(sorted(line.strip().rstrip(":") for line in result.stdout.splitlines() if line.strip()))


def require_japanese_font() -> None:
    """Raise FontMissingError, saying how to install it, when the Japanese font is missing."""
    if not japanese_font_files():
        # said in both languages: it is raised before anyone knows which one the reader wants
        message = N_(
            "The Japanese font '{font}' is not installed, so the PDF would show empty boxes. "
            "Install it with `make setup` (Debian/Ubuntu package fonts-noto-cjk)."
        )
        english, japanese = (translator(lang)(message).format(font=JAPANESE_FONT) for lang in ("en", "ja"))
        raise FontMissingError(f"{english} / {japanese}")


# What Japanese typesetting prints for a character it has no type for (the geta mark): visible, never a box.
SUBSTITUTE = "〓"
# Never drawn, so never missing: controls, format characters (ZWJ, tags), spaces, variation selectors.
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


@lru_cache(maxsize=1)
def drawable_ranges() -> tuple[tuple[int, int], ...]:
    """Return the merged code point ranges that some installed font covers (fontconfig's charsets).

    Pango falls back through every font fontconfig knows, so a character outside these ranges is the one
    that would print as an empty box. Empty when fontconfig is missing.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    result = subprocess.run(
        [fc_list, "--format", "%{charset}\n"], capture_output=True, text=True, timeout=10, check=False
    )
    ranges = sorted(_charset_ranges(result.stdout))
    merged: list[tuple[int, int]] = []
    for first, last in ranges:
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return tuple(merged)


def _charset_ranges(charsets: str) -> list[tuple[int, int]]:
    """Parse fontconfig charsets ("20-7e a0 3000-30ff") into (first, last) code points."""
    ranges = []
    for token in charsets.split():
        first, _, last = token.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    return ranges


def can_draw(char: str) -> bool:
    """Whether an installed font has a glyph for ``char`` (or it is never drawn, as a space or ZWJ is)."""
    code = ord(char)
    if unicodedata.category(char) in _INVISIBLE or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return True
    index = bisect.bisect_right(drawable_ranges(), (code, sys.maxunicode)) - 1
    return index >= 0 and drawable_ranges()[index][1] >= code


def replace_undrawable(text: str) -> str:
    """Replace each character no installed font can draw with 〓, so the PDF never shows tofu.

    Emoji are drawn by Noto Color Emoji (fonts-noto-color-emoji), found through fontconfig's fallback;
    only what no font covers (a newer emoji, a private-use character) is replaced. Without fontconfig the
    text is left alone: :func:`require_japanese_font` refuses to render anyway.
    """
    if not drawable_ranges():
        return text
    return "".join(char if can_draw(char) else SUBSTITUTE for char in text)
