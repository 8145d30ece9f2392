"""Read one CRM export: tell its kind from its headers, then its rows into records (dates, amounts, flags).

The kind is the one whose identifying headers the file has most of (``questionnaires/crm_columns.yaml``), its
other recognised headers breaking a tie; the user's mapping adds headers and may name a file's kind. A file given
as one kind of records that looks like the other (a deals export given as contacts) is refused, saying which kind
it looks like and by which headers. The header row is the first of the top 20 rows with the most known headers
(a Salesforce "formatted" report has a title above it); a blank row followed by one-cell rows ends the table (the
footer a Salesforce report carries). Every bad cell is reported with its file, row and column, up to
:data:`MAX_PROBLEMS` at once. Only the dates, amounts and flags the funnel needs are kept, never names or text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple

from assessment.content.crm_columns import CrmColumns, ExportKind, header_key
from assessment.engine.crm.mapping import NO_MAPPING, CrmMapping
from assessment.engine.crm.reading import CellReader
from assessment.engine.crm.records import Contact, Deal, ExportFile
from assessment.errors import CrmExportError
from assessment.messages import RECORDS_WORDS, Notice, Words
from assessment.tables import Row, TableError, read_table
from assessment.vocabulary import CRM_STAGE_DATES

HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Recognised:
    """A file's headers and what they tell: its kind (None when none fits) and which column holds each field."""

    headers: tuple[str, ...]
    kind: ExportKind | None
    indexes: Mapping[str, int] = field(default_factory=dict)  # field -> column index
    header_row: int = 1
    told: bool = False  # the kind is told by the headers or named by the mapping, not only a guess


def read_export(
    stream: IO[bytes],
    name: str,
    columns: CrmColumns,
    mapping: CrmMapping = NO_MAPPING,
    expected: str | None = None,
) -> ExportFile:
    """Read an export (binary stream) named ``name``; ``expected`` is a kind id or ``contacts``/``deals``.

    Raise :class:`CrmExportError` naming the file (and the row and column) for anything that cannot be read.
    """
    try:
        table = read_table(stream)
        rows = iter(table)
        recognised, rows = _find_headers(rows, columns, mapping)
        kind, indexes = _decide(recognised, name, columns, mapping, expected)
        reader = CellReader(name, recognised.headers, columns, kind, mapping)
        records = reader.read(rows, indexes, recognised.header_row)
    except TableError as exc:
        raise CrmExportError([_table_problem(name, exc)]) from None
    return ExportFile(
        name=name,
        kind=kind,
        columns={f: recognised.headers[i] for f, i in indexes.items()},
        rows=reader.rows,
        file_format=table.format,
        encoding=table.encoding,
        contacts=tuple(r for r in records if isinstance(r, Contact)),
        deals=tuple(r for r in records if isinstance(r, Deal)),
        date_order=reader.order,
    )


def recognise_headers(
    stream: IO[bytes], name: str, columns: CrmColumns, mapping: CrmMapping = NO_MAPPING
) -> Recognised:
    """The headers of an export and the kind they fit best, reading no further.

    The kind is the mapping's for the file, else the one the identifying headers tell, else a guess from the
    other headers (``told`` False), else None when no header is known at all.
    """
    try:
        recognised, _ = _find_headers(iter(read_table(stream)), columns, mapping)
    except TableError as exc:
        raise CrmExportError([_table_problem(name, exc)]) from None
    forced = mapping.files.get(name)
    best = _ranked(recognised.headers, columns, mapping)[0]
    kind = columns.kind(forced) if forced else (best.kind if best.score[2] > 0 else None)
    indexes = _indexes(recognised.headers, kind, mapping)[0] if kind else {}
    return Recognised(recognised.headers, kind, indexes, recognised.header_row, bool(forced) or best.score[0] > 0)


def _find_headers(rows: Iterator[Row], columns: CrmColumns, mapping: CrmMapping) -> tuple[Recognised, Iterator[Row]]:
    known = {header_key(h) for kind in columns.kinds for headers in kind.columns.values() for h in headers}
    known |= {header_key(h) for fields in mapping.columns.values() for h in fields.values()}
    top: list[Row] = []
    for row in rows:
        top.append(row)
        if len(top) >= HEADER_SEARCH_ROWS:
            break
    if not top:
        raise TableError("empty")
    scores = [sum(1 for cell in row if isinstance(cell, str) and header_key(cell) in known) for row in top]
    best = max(range(len(top)), key=lambda i: (scores[i], -i))
    headers = tuple("" if cell is None else str(cell).strip() for cell in top[best])

    def rest() -> Iterator[Row]:
        yield from top[best + 1 :]
        yield from rows

    return Recognised(headers, None, {}, best + 1), rest()


def _indexes(headers: Sequence[str], kind: ExportKind, mapping: CrmMapping) -> tuple[dict[str, int], list[str]]:
    """Which column holds each field of ``kind``; and the mapped headers the file does not have."""
    keys = [header_key(h) for h in headers]
    first: dict[str, int] = {}
    for index, key in enumerate(keys):
        first.setdefault(key, index)
    indexes = {}
    for field_name, aliases in kind.columns.items():
        found = next((first[header_key(a)] for a in aliases if header_key(a) in first), None)
        if found is not None:
            indexes[field_name] = found
    missing = []
    for field_name, header in mapping.columns.get(kind.id, {}).items():
        if header_key(header) in first:
            indexes[field_name] = first[header_key(header)]
        else:
            missing.append(field_name)
    return indexes, missing


class _Fit(NamedTuple):
    """How well a file's headers fit one kind: identifying fields found, complete or not, fields found."""

    score: tuple[int, bool, int]
    kind: ExportKind
    indexes: dict[str, int]
    missing: list[str]  # mapped fields whose header the file lacks


def _ranked(headers: Sequence[str], columns: CrmColumns, mapping: CrmMapping) -> list[_Fit]:
    """Every kind with how well the headers fit it, best first."""
    fits = []
    for kind in columns.kinds:
        indexes, missing = _indexes(headers, kind, mapping)
        identifying = sum(1 for f in kind.identifying if f in indexes)
        fits.append(_Fit((identifying, _complete(kind, indexes), len(indexes)), kind, indexes, missing))
    return sorted(fits, key=lambda fit: fit.score, reverse=True)


def _decide(
    recognised: Recognised, name: str, columns: CrmColumns, mapping: CrmMapping, expected: str | None
) -> tuple[ExportKind, dict[str, int]]:
    """The file's kind and its columns, or a CrmExportError saying what it looks like and what is missing.

    ``expected`` (or the mapping's kind for the file) narrows the kinds allowed; a file that fits none of them
    but fits another is the wrong kind of file, and the error says which kind it looks like.
    """
    headers = recognised.headers
    ranked = _ranked(headers, columns, mapping)
    wanted = mapping.files.get(name) or expected
    allowed = [fit for fit in ranked if wanted in (None, fit.kind.id, fit.kind.records)]
    best = ranked[0]
    if wanted is None:
        if best.score[0] == 0:
            raise CrmExportError([Notice(name, "crm_unknown_kind", {"headers": _listed(headers)})])
        if len(ranked) > 1 and ranked[1].score == best.score:
            titles = {"first": best.kind.title, "second": ranked[1].kind.title}
            raise CrmExportError([Notice(name, "crm_ambiguous_kind", titles)])
        chosen = best
    else:
        if not allowed:
            raise CrmExportError([Notice(name, "crm_unknown_kind", {"headers": _listed(headers)})])
        chosen = allowed[0]
        if chosen.score[0] == 0 and best.score[0] > 0 and best not in allowed:
            raise CrmExportError([_wrong_kind(name, headers, best, wanted, columns)])
        if chosen.score[0] == 0 and wanted not in columns.kind_ids and not chosen.score[1]:
            raise CrmExportError([Notice(name, "crm_unknown_kind", {"headers": _listed(headers)})])
    kind = chosen.kind
    problems = [
        Notice(name, "crm_mapped_column_missing", {"header": mapping.columns[kind.id][f], "field": f})
        for f in chosen.missing
    ]
    if not chosen.score[1]:
        problems.append(Notice(name, "crm_missing_columns", {"kind": kind.title, "needed": _needed(kind)}))
    if problems:
        raise CrmExportError(problems)
    return kind, chosen.indexes


def _complete(kind: ExportKind, indexes: Mapping[str, int]) -> bool:
    """A contacts export needs a stage date; a deals export a date, and a stage or a won column."""
    if kind.records == "contacts":
        return any(f in indexes for f in CRM_STAGE_DATES)
    return ("created" in indexes or "close_date" in indexes) and ("stage" in indexes or "won" in indexes)


def _needed(kind: ExportKind) -> str:
    fields = CRM_STAGE_DATES if kind.records == "contacts" else ("created", "close_date", "stage", "won")
    return ", ".join(f"{f} ({' / '.join(kind.columns[f][:2])})" for f in fields if f in kind.columns)


def _wrong_kind(name: str, headers: Sequence[str], found: _Fit, wanted: str, columns: CrmColumns) -> Notice:
    telling = [headers[found.indexes[f]] for f in found.kind.identifying if f in found.indexes]
    expected: Any = columns.kind(wanted).title if wanted in columns.kind_ids else Words(RECORDS_WORDS[wanted])
    params = {"expected": expected, "found": found.kind.title, "columns": _listed(telling)}
    return Notice(name, "crm_wrong_kind", params)


def _listed(headers: Sequence[str], most: int = 8) -> str:
    shown = [f"'{h}'" for h in headers if h][:most]
    return ", ".join(shown) + (", ..." if len([h for h in headers if h]) > most else "")


def _table_problem(name: str, error: TableError) -> Notice:
    params: dict[str, Any] = {"detail": error.detail}
    if error.row is not None:
        params["row"] = error.row
    return Notice(name, f"crm_{error.code}", params)


__all__ = ["Contact", "Deal", "ExportFile", "Recognised", "read_export", "recognise_headers"]
