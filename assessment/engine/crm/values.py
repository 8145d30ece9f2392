"""The cells of a CRM export: dates as the vendors and Excel write them, amounts in yen, yes/no columns.

Dates (decided here; the tests pin each form):

- year first, as Japanese locales and ISO write them: ``2026-07-01``, ``2026/07/01``, ``2026/7/1``, ``2026.7.1``,
  with or without a time (``9:30``, ``09:30:00``, ``09:30:00.000``, ``9:30 PM``); ISO 8601 with ``T`` and a zone
  (``2026-07-01T09:30:00Z``): the clock time is kept as written and the zone dropped (a month's count moves by
  at most a few hours' records at its edges);
- year last, as English locales write them: ``07/01/2026``, ``7/1/2026 9:30 AM``. HubSpot and Salesforce in a
  US locale put the month first, a British locale the day first. A day above 12 tells the order; the whole file
  then follows it, a file that mixes both orders is an error naming both cells, and a file whose every such date
  leaves the order open (``03/04/2026``) is an error naming the first one, unless the mapping says
  ``date_order: month_first`` or ``day_first``;
- a workbook cell holding a date. Full-width digits are folded first (``２０２６／７／１``).

Not accepted: dates written with 年月日 (no export writes them), serial numbers, two-digit years.

Amounts are yen as people and exports write them (``1200000``, ``1,200,000``, ``¥1,200,000``, ``1,200,000円``,
``JPY 1,200,000``, ``\\1,200,000`` as Excel in Japan writes ¥ in a CP932 CSV, full-width digits; see
:mod:`assessment.engine.typed_number`). A cell starting with ``=`` or
``@``, or with ``+``/``-`` and not a number, is a formula: never evaluated, an error where a date or an amount
is expected.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from assessment.engine.typed_number import read_typed_number
from assessment.tables import Cell

BLANKS: Final = frozenset({"", "-", "\u2212", "--"})
FORMULA_STARTS: Final = ("=", "@", "+", "-")
_TIME = r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp][Mm])?)?"
_YEAR_FIRST = re.compile(rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}$")
_YEAR_LAST = re.compile(rf"^(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{4}}){_TIME}$")
# JPY before or after; a leading backslash is the yen sign Excel in Japan writes as the byte 0x5C (CP932)
_CURRENCY = re.compile(r"^\s*(?:JPY|\\)\s*|\s*JPY\s*$", re.IGNORECASE)
MIN_YEAR, MAX_YEAR = 1970, 2100


class CellProblem(ValueError):
    """A cell that does not hold what its column must: ``code`` is a message code (``crm_bad_date`` ...)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class YearLast:
    """A date written year last (``03/04/2026``): which of its two numbers is the month is decided per file.

    ``order`` is the order the date itself proves (a number above 12 is the day), else None.
    """

    first: int
    second: int
    year: int
    clock: tuple[int, int, int]

    @property
    def order(self) -> str | None:
        """``month_first`` or ``day_first`` when the numbers tell, else None (both 12 or less)."""
        if self.first > 12:
            return "day_first"
        if self.second > 12 or self.first == self.second:
            return "month_first"  # equal numbers read the same either way
        return None

    def resolve(self, order: str) -> datetime:
        """The date read in ``order``; raise CellProblem when it is no real day."""
        month, day = (self.first, self.second) if order == "month_first" else (self.second, self.first)
        return _checked(self.year, month, day, *self.clock)


def blank(cell: Cell) -> bool:
    """Whether a cell holds nothing (empty, or a dash as some exports write for no value)."""
    return cell is None or (isinstance(cell, str) and cell.strip() in BLANKS)


def parse_date(cell: Cell) -> datetime | YearLast | None:
    """The moment a cell holds (None when blank); a year-last date as :class:`YearLast`, its order open."""
    if type(cell) is str and len(cell) >= 10 and cell[4:5] == "-":  # ISO, as HubSpot writes: the fast way
        try:
            moment = datetime.fromisoformat(cell)
        except ValueError:
            pass
        else:
            if moment.tzinfo is None and MIN_YEAR <= moment.year <= MAX_YEAR:
                return moment
    if blank(cell):
        return None
    if isinstance(cell, datetime):
        return cell.replace(tzinfo=None)
    if isinstance(cell, date):
        return datetime(cell.year, cell.month, cell.day)
    if not isinstance(cell, str):
        raise CellProblem("crm_bad_date")
    text = cell.strip()
    _refuse_formula(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if text[:1].isdigit() and len(text) >= 8:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if MIN_YEAR <= moment.year <= MAX_YEAR:
                return moment.replace(tzinfo=None)
    return _parse_written(text)


def _parse_written(text: str) -> datetime | YearLast:
    match = _YEAR_FIRST.match(text)
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        return _checked(year, month, day, *_clock(match))
    match = _YEAR_LAST.match(text)
    if match:
        written = YearLast(int(match[1]), int(match[2]), int(match[3]), _clock(match))
        if written.order is not None:
            written.resolve(written.order)  # a bad day (31/02/2026) is an error now, not when resolved
        return written
    raise CellProblem("crm_bad_date")


def _clock(match: re.Match[str]) -> tuple[int, int, int]:
    if match[4] is None:
        return (0, 0, 0)
    hour, minute, second = int(match[4]), int(match[5]), int(match[6] or 0)
    half = (match[7] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise CellProblem("crm_bad_date")
        hour = hour % 12 + (12 if half == "pm" else 0)
    return (hour, minute, second)


def _checked(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellProblem("crm_bad_date")
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise CellProblem("crm_bad_date") from None


def parse_amount(cell: Cell) -> float | None:
    """An amount in yen (None when blank); raise CellProblem for text that is no amount, or a negative one."""
    if blank(cell):
        return None
    if isinstance(cell, bool | datetime | date):
        raise CellProblem("crm_bad_amount")
    if isinstance(cell, int | float):
        amount: float | None = float(cell)
    else:
        text = str(cell).strip()
        amount = read_typed_number(_CURRENCY.sub("", text), "yen")
        if amount is None:
            _refuse_formula(text)
    if amount is None or not math.isfinite(amount) or amount < 0:
        raise CellProblem("crm_bad_amount")
    return amount


def _refuse_formula(text: str) -> None:
    """A formula is never evaluated: where a date or an amount is expected it is an error of its own."""
    if text.startswith(FORMULA_STARTS) and text not in BLANKS:
        raise CellProblem("crm_formula")


def word_key(text: str) -> str:
    """A word as it is compared (a stage, a yes/no value): full-width forms folded, case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def parse_flag(cell: Cell, true_words: frozenset[str], false_words: frozenset[str]) -> bool | None:
    """A yes/no column's value (None when blank); ``true_words``/``false_words`` are :func:`word_key` forms."""
    if isinstance(cell, bool):
        return cell
    if blank(cell):
        return None
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell)
    key = word_key(str(cell))
    if key in true_words:
        return True
    if key in false_words:
        return False
    raise CellProblem("crm_bad_flag")
