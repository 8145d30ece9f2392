"""Read a spreadsheet safely: CSV (UTF-8 with or without BOM, UTF-16, Shift_JIS/CP932) or XLSX, row by row.

The tabular twin of :mod:`assessment.documents`. A CRM export is read once, as a stream, never more than
:data:`MAX_BYTES` of it: a CSV is handed on a row at a time, so a 50 MB file is neither loaded whole nor read
twice; a workbook (a zip, which is read by seeking) is held in memory once.
The encoding is told from the first 64 kB (a byte order mark, else UTF-8 if it decodes, else CP932, which is
what Excel in Japan saves as "CSV"); the delimiter from the first line (comma, tab or semicolon). An XLSX
workbook is read by openpyxl in read-only mode, first sheet only, with formulas as the text written
(``=SUM(A1:A3)``), never evaluated. Anything else (a PDF, an image, an Excel 97-2003 ``.xls``) is refused with a
:class:`TableError` whose code says why.

Cells are text from CSV; from XLSX also numbers, booleans and datetimes, as the workbook stores them.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO, Any

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 2_000_000
MAX_COLUMNS = 2_000
SNIFF_BYTES = 64 * 1024

Cell = str | int | float | bool | datetime | date | None
Row = tuple[Cell, ...]

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls), old Word ...
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class TableError(ValueError):
    """A file could not be read as a table; ``code`` says why, ``row`` where (1-based, as a spreadsheet counts)."""

    def __init__(self, code: str, detail: str = "", row: int | None = None) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.row = row


class Table:
    """The rows of a CSV or XLSX file, read lazily: iterate once, while the stream is open."""

    def __init__(self, rows: Iterator[Row], file_format: str, encoding: str = "") -> None:
        self._rows = rows
        self.format = file_format  # "csv" or "xlsx"
        self.encoding = encoding  # the CSV's encoding ("" for a workbook)

    def __iter__(self) -> Iterator[Row]:
        return self._rows


def read_table(stream: IO[bytes], limit: int = MAX_BYTES) -> Table:
    """Open ``stream`` (a binary file) as a table; raise :class:`TableError` when it is none we can read."""
    buffered = io.BufferedReader(_Capped(stream, limit), buffer_size=SNIFF_BYTES)
    head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if not head:
        raise TableError("empty")
    if head.startswith(_ZIP):
        return Table(_xlsx_rows(buffered, limit), "xlsx")
    if head.startswith(_OLE2):
        raise TableError("old_excel")
    encoding = _encoding(head)
    text = io.TextIOWrapper(buffered, encoding=encoding, newline="")
    return Table(_csv_rows(text, _delimiter(head, encoding)), "csv", encoding.removesuffix("-sig"))


class _Capped(io.RawIOBase):
    """A raw stream over ``stream`` that refuses to read past ``limit`` bytes."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        self._read += len(data)
        if self._read > self._limit:
            raise TableError("too_large", str(self._limit // (1024 * 1024)))
        buffer[: len(data)] = data
        return len(data)


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    if b"\x00" in head:
        raise TableError("binary")
    for encoding in ("utf-8", "cp932"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise TableError("encoding", row=1)


def _delimiter(head: bytes, encoding: str) -> str:
    first_line = head.decode(encoding, errors="ignore").split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", "\t", ";")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _csv_rows(text: io.TextIOWrapper, delimiter: str) -> Iterator[Row]:
    reader = csv.reader(text, delimiter=delimiter)
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise TableError("too_many_rows", str(MAX_ROWS), number)
            if len(row) > MAX_COLUMNS:
                raise TableError("too_many_columns", str(MAX_COLUMNS), number)
            yield tuple(row)
    except UnicodeDecodeError:
        raise TableError("encoding", row=number + 1) from None
    except csv.Error as exc:
        raise TableError("not_csv", str(exc)[:120], number + 1) from None


def _xlsx_rows(stream: IO[bytes], limit: int) -> Iterator[Row]:
    import zipfile
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, IndexError, ParseError)
    source = _in_memory(stream, limit)
    try:
        with warnings.catch_warnings():  # "no default style" and the like: the values are what we read
            warnings.simplefilter("ignore")
            workbook = load_workbook(source, read_only=True, data_only=False)
    except unreadable as exc:
        raise TableError("bad_xlsx", f"{type(exc).__name__}: {exc}"[:120]) from None
    try:
        sheet = workbook.worksheets[0]
        number = 0
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise TableError("too_many_rows", str(MAX_ROWS), number)
            if len(row) > MAX_COLUMNS:
                raise TableError("too_many_columns", str(MAX_COLUMNS), number)
            yield tuple(_cell(value) for value in row)
    except unreadable as exc:
        raise TableError("bad_xlsx", f"{type(exc).__name__}: {exc}"[:120], number + 1) from None
    finally:
        workbook.close()


def _in_memory(stream: IO[bytes], limit: int) -> IO[bytes]:
    """The workbook's bytes (at most ``limit``, the capped stream refuses more): a zip is read by seeking."""
    return io.BytesIO(stream.read(limit + 1))


def _cell(value: Any) -> Cell:
    """A workbook value as a cell: text, a number, a boolean or a datetime (a time or duration as text)."""
    if value is None or isinstance(value, str | int | float | bool | datetime | date):
        return value
    if isinstance(value, time):
        return value.isoformat()
    return str(value)  # an array formula, a duration ...
