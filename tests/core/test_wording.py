"""Amounts of yen in words: 万 and 億 units in Japanese, ¥ with separators in English."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from assessment.engine.wording import format_yen

JAPANESE_YEN = re.compile(
    r"^(?P<minus>-)?(?P<approx>約)?(?:(?P<oku>[\d,]+)億)?(?:(?P<man>[\d,]+)万)?(?P<yen>[\d,]+)?円$"
)


def read_japanese_yen(text: str) -> tuple[int, bool]:
    """The amount a Japanese reader takes from ``text`` (億 = 10^8, 万 = 10^4), and whether it says 約."""
    match = JAPANESE_YEN.match(text)
    assert match and any(match[unit] for unit in ("oku", "man", "yen")), text
    parts = [(match[unit] or "0").replace(",", "") for unit in ("oku", "man", "yen")]
    assert all(part == "0" or not part.startswith("0") for part in parts), text
    amount = int(parts[0]) * 10**8 + int(parts[1]) * 10**4 + int(parts[2])
    return (-amount if match["minus"] else amount), match["approx"] is not None


@pytest.mark.parametrize(
    ("value", "japanese", "english"),
    [
        (0, "0円", "¥0"),
        (5_000, "5,000円", "¥5,000"),
        (98_000, "98,000円", "¥98,000"),
        (60_000, "6万円", "¥60,000"),
        (15_000, "15,000円", "¥15,000"),
        (100_000, "10万円", "¥100,000"),
        (337_500, "約34万円", "¥337,500"),
        (340_000, "34万円", "¥340,000"),
        (1_000_000, "100万円", "¥1,000,000"),
        (12_000_000, "1,200万円", "¥12,000,000"),
        (100_000_000, "1億円", "¥100,000,000"),
        (123_456_789, "約1億2,346万円", "¥123,456,789"),
        (150_000_000, "1億5,000万円", "¥150,000,000"),
        (900_000_000, "9億円", "¥900,000,000"),
        (99_995_000, "約1億円", "¥99,995,000"),
        (1_234_500_000_000, "12,345億円", "¥1,234,500,000,000"),
        (-340_000, "-34万円", "-¥340,000"),
        (-123_456_789, "-約1億2,346万円", "-¥123,456,789"),
        (1_234.4, "約1,234円", "¥1,234"),
        (-0.2, "約0円", "¥0"),
    ],
)
def test_format_yen(value: float, japanese: str, english: str) -> None:
    assert format_yen(value, "ja") == japanese
    assert format_yen(value, "en") == english


@given(st.integers(min_value=0, max_value=10**13))
@example(99_999)
@example(100_000)
@example(104_999)
@example(105_000)
@example(9_999_995_000)
@example(10**13)
def test_japanese_yen_reads_back_within_5000_yen(value: int) -> None:
    amount, approx = read_japanese_yen(format_yen(value, "ja"))
    assert abs(amount - value) <= 5_000
    assert approx is (amount != value)


@given(st.integers(min_value=-(10**13), max_value=-1))
def test_negative_yen_reads_as_the_positive_one_with_a_minus(value: int) -> None:
    assert format_yen(value, "ja") == f"-{format_yen(-value, 'ja')}"
    assert format_yen(value, "en") == f"-{format_yen(-value, 'en')}"
