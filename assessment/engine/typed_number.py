"""A figure as a Japanese manager types it: ``240万``, ``２，０００万円``, ``1.5%``, ``5件``, ``48時間``.

:func:`read_typed_number` turns the text into a number: full-width digits and punctuation are folded to
ASCII (NFKC), thousands separators are dropped, a trailing unit word is accepted when it is the figure's own
unit (円 for an amount, 件 for a count, % for a rate ...), and an amount may be written with 万 (10,000) and
億 (100,000,000), alone or together (``1億2000万円``). Anything else is not a number: the loader then says
what to type. The unit words are what a client types (read, never shown).
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Final

# The words a figure of each unit may end with (after NFKC, so ％ is %). Longest first: 日間 before 日.
UNIT_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "yen": ("円",),
    "count": ("件", "回"),
    "percent": ("%",),
    "hours": ("時間",),
    "days": ("日間", "日"),
    "people": ("名", "人"),
    "score": ("点",),
}
MAN: Final = "万"
OKU: Final = "億"
_SCALED_UNITS: Final = frozenset({"yen"})  # 万 and 億 are for amounts only

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_PLAIN = re.compile(rf"^[-+]?{_NUMBER}$")
_SCALED = re.compile(rf"^(?:(?P<oku>{_NUMBER}){OKU})?(?:(?P<man>{_NUMBER}){MAN})?(?P<rest>{_NUMBER})?$")
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\u30fc": "-"})
MAX_TYPED = 40  # longer text is no figure anyone types


def normalise_typed(text: str) -> str:
    """The text with full-width forms folded (NFKC), minus signs as ``-``, separators and spaces removed."""
    folded = unicodedata.normalize("NFKC", text).translate(_MINUS_SIGNS)
    return re.sub(r"[\s,_]", "", folded)


def read_typed_number(text: str, unit: str = "") -> float | None:
    """The number ``text`` stands for in a figure of ``unit`` (``240万`` in yen is 2400000.0), else None.

    Finite numbers only: ``nan``, ``inf`` and overflowing exponents are None, as is any unit word that is
    not the figure's own (``5件`` for an amount).
    """
    if len(text) > MAX_TYPED:
        return None
    compact = normalise_typed(text)
    if unit == "yen" and compact.startswith("¥"):
        compact = compact[1:]
    for word in UNIT_WORDS.get(unit, ()):
        if compact.endswith(word) and len(compact) > len(word):
            compact = compact[: -len(word)]
            break
    if _PLAIN.match(compact):
        return _finite(float(compact))
    if unit not in _SCALED_UNITS:
        return None
    sign = compact[:1] if compact[:1] in ("-", "+") else ""
    match = _SCALED.match(compact[len(sign) :])
    if match is None or (match["oku"] is None and match["man"] is None):
        return None
    parts = ((match["oku"], 100_000_000), (match["man"], 10_000), (match["rest"], 1))
    total = sum(float(written) * scale for written, scale in parts if written is not None)
    return _finite(-total if sign == "-" else total)


def _finite(number: float) -> float | None:
    return number if math.isfinite(number) else None
