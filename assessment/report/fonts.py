"""The report is set in Noto Sans CJK JP: check it is installed before rendering, never print tofu."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

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
        raise FontMissingError(
            f"The Japanese font '{JAPANESE_FONT}' is not installed, so the PDF would show empty boxes. "
            "Install it with `make setup` (Debian/Ubuntu package fonts-noto-cjk). / "
            f"日本語フォント「{JAPANESE_FONT}」がありません。`make setup`（fonts-noto-cjk）で導入してください。"
        )
