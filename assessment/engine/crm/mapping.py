"""The user's mapping: the headers of their exports the content does not know, written once and kept.

A YAML (or JSON) file, as ``readiness funnel-from-crm --write-mapping`` writes its template::

    version: 1
    date_order: month_first          # only when dates like 03/04/2026 leave the order open
    files:                           # a file (its name, no folder) whose kind its headers do not tell
      leads_2026.csv: salesforce_leads
    kinds:
      hubspot_contacts:
        columns: {mql_date: "MQL日"}  # field -> the header in the export
      hubspot_deals:
        won_stages: ["受注（確定）"]   # stage values meaning won (or lost_stages), besides the known ones

Every problem is reported at once, each with its path in the file, as an :class:`~assessment.errors.AssessmentError`
would: the same codes and words.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assessment.content.crm_columns import CrmColumns
from assessment.documents import DocumentError, load_document
from assessment.errors import CrmExportError
from assessment.messages import Notice
from assessment.vocabulary import DATE_ORDERS

TOP_KEYS = ("version", "date_order", "files", "kinds")
KIND_KEYS = ("columns", "won_stages", "lost_stages")
MAX_MAPPING_BYTES = 200_000


@dataclass(frozen=True)
class CrmMapping:
    """What the user said about their exports: headers per kind and field, kinds per file, the date order."""

    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # kind -> field -> header
    files: Mapping[str, str] = field(default_factory=dict)  # file name -> kind
    won_stages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> stages
    lost_stages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_order: str | None = None


NO_MAPPING = CrmMapping()


def parse_mapping(raw: bytes | str, columns: CrmColumns, name: str = "mapping") -> CrmMapping:
    """Read a mapping file's text; raise CrmExportError listing every problem, each under ``name``."""
    if len(raw) > MAX_MAPPING_BYTES:
        raise CrmExportError([Notice(name, "too_large", {"detail": f"{len(raw)} > {MAX_MAPPING_BYTES}"})])
    try:
        data = load_document(raw)
    except DocumentError as exc:
        raise CrmExportError([Notice(name, exc.code, {"detail": exc.detail})]) from None
    reader = _Reader(name)
    top = reader.keys(reader.mapping(data, ""), TOP_KEYS, "")
    if top.get("version", 1) not in (1, "1"):
        reader.problem("version", "bad_version", value=str(top.get("version")))
    order = top.get("date_order")
    if order is not None and order not in DATE_ORDERS:
        reader.problem("date_order", "bad_choice", value=str(order), choices=", ".join(DATE_ORDERS))
    files = {}
    for file_name, kind in reader.mapping(top.get("files"), "files").items():
        if kind in columns.kind_ids:
            files[file_name] = str(kind)
        else:
            reader.problem(f"files.{file_name}", "bad_choice", value=str(kind), choices=", ".join(columns.kind_ids))
    kinds = reader.keys(reader.mapping(top.get("kinds"), "kinds"), columns.kind_ids, "kinds")
    mapped: dict[str, dict[str, str]] = {}
    won: dict[str, tuple[str, ...]] = {}
    lost: dict[str, tuple[str, ...]] = {}
    for kind_id, entry in kinds.items():
        path = f"kinds.{kind_id}"
        given = reader.keys(reader.mapping(entry, path), KIND_KEYS, path)
        fields = columns.kind(kind_id).fields()
        headers = reader.keys(reader.mapping(given.get("columns"), f"{path}.columns"), fields, f"{path}.columns")
        texts = {f: reader.text(h, f"{path}.columns.{f}") for f, h in headers.items()}
        mapped[kind_id] = {f: h for f, h in texts.items() if h}
        won[kind_id] = reader.words(given.get("won_stages"), f"{path}.won_stages")
        lost[kind_id] = reader.words(given.get("lost_stages"), f"{path}.lost_stages")
    if reader.problems:
        raise CrmExportError(reader.problems)
    return CrmMapping(mapped, files, won, lost, str(order) if order else None)


class _Reader:
    """Collects the problems of one mapping file, each under its path there."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Notice] = []

    def problem(self, path: str, code: str, **params: Any) -> None:
        self.problems.append(Notice(f"{self.name}: {path}" if path else self.name, code, params))

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, "not_mapping")
            return {}
        return {str(k): v for k, v in value.items()}

    def keys(self, data: dict[str, Any], allowed: tuple[str, ...], path: str) -> dict[str, Any]:
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                where = f"{path}.{key}" if path else key
                self.problem(where, "unknown_key", key=key, suggestion=close[0] if close else "")
        return {k: v for k, v in data.items() if k in allowed}

    def text(self, value: Any, path: str) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(path, "not_text")
            return ""
        return str(value).strip()

    def words(self, value: Any, path: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(path, "not_list")
            return ()
        return tuple(word for index, item in enumerate(value) if (word := self.text(item, f"{path}[{index}]")))
