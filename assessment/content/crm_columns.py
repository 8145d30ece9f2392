"""The column headers of CRM exports, as content: ``questionnaires/crm_columns.yaml``.

Which headers HubSpot and Salesforce give each field, in English and Japanese, which fields tell one kind of
export from another, and which deal stages mean won or lost. A consultant adds a header there, never in Python.
The file is validated when loaded (pydantic, as the other content files): every problem names the file, the
kind and the field, and all are reported at once in a :class:`~assessment.errors.ContentError`.

Sources of the headers (the YAML's comment has them in full, checked 2026-11-30): HubSpot's default contact and
deal properties as its properties API labels them ("Create Date", "Became a Marketing Qualified Lead Date",
"Deal Stage", "Close Date" ...) and its Knowledge Base in English and Japanese (リード(見込み客)になった日付,
取引ステージ, クローズ日); Salesforce's Lead and Opportunity field labels in English and in Japanese Help (Lead Status
/ リード状況, Converted Date / 取引開始日, Stage / フェーズ, Close Date / 完了予定日, Won / 成立). Not confirmed from
the vendors and marked so there: HubSpot's Japanese SQL and opportunity date labels, first-engagement dates and
every churn or contract-end column (neither vendor has a standard one); the mapping covers what is missing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assessment import resources
from assessment.documents import DocumentError, load_document
from assessment.errors import ContentError, ContentProblem
from assessment.vocabulary import CRM_CONTACT_FIELDS, CRM_DEAL_FIELDS, CrmRecords, Text

FILE_NAME = "crm_columns.yaml"
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def header_key(header: str) -> str:
    """A header as it is compared: full-width forms folded, case and spacing ignored, curly quotes straight."""
    folded = unicodedata.normalize("NFKC", header).translate(_QUOTES).casefold()
    return " ".join(folded.split())


@dataclass(frozen=True)
class ExportKind:
    """One kind of export (HubSpot contacts, a Salesforce opportunity report ...) and the headers of its fields."""

    id: str
    title: Text
    records: CrmRecords
    identifying: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    won_stages: tuple[str, ...] = ()
    lost_stages: tuple[str, ...] = ()

    def fields(self) -> tuple[str, ...]:
        """The fields a row of this kind can carry (a contact's or a deal's)."""
        return CRM_CONTACT_FIELDS if self.records == "contacts" else CRM_DEAL_FIELDS


@dataclass(frozen=True)
class CrmColumns:
    """Every known kind of export, and the words of a yes/no column."""

    kinds: tuple[ExportKind, ...]
    true_words: tuple[str, ...]
    false_words: tuple[str, ...]

    def kind(self, kind_id: str) -> ExportKind:
        """Return the kind with ``kind_id``."""
        return next(k for k in self.kinds if k.id == kind_id)

    @property
    def kind_ids(self) -> tuple[str, ...]:
        """The ids of the known kinds, in the file's order."""
        return tuple(k.id for k in self.kinds)


# unknown keys are errors, not silently dropped (a plain dict, so this module does not import pydantic)
for _cls in (ExportKind, CrmColumns):
    setattr(_cls, "__pydantic_config__", {"extra": "forbid"})  # noqa: B010


def load_crm_columns(directory: Path | str | None = None) -> CrmColumns:
    """Load and validate ``crm_columns.yaml`` in ``directory`` (default: the bundled questionnaires)."""
    path = Path(directory or resources.content_dir()) / FILE_NAME
    try:
        document = load_document(path.read_bytes())
    except OSError as exc:
        raise ContentError([ContentProblem(FILE_NAME, "", "", f"cannot read the file: {exc.strerror}")]) from None
    except DocumentError as exc:
        raise ContentError([ContentProblem(FILE_NAME, "", "", f"not a readable YAML file ({exc})")]) from None
    if not isinstance(document, dict):
        raise ContentError([ContentProblem(FILE_NAME, "", "", "the file must hold a mapping at the top")])
    problems: list[ContentProblem] = []
    if document.pop("version", None) != 1:
        problems.append(ContentProblem(FILE_NAME, "", "version", "must be 1"))
    columns, kinds = _validated(document, problems)
    problems += _check(kinds)
    if problems or columns is None:
        raise ContentError(problems)
    return columns


def _validated(document: dict[str, Any], problems: list[ContentProblem]) -> tuple[CrmColumns | None, list[ExportKind]]:
    """Check types and keys with pydantic, kind by kind (so one broken kind hides no other's problems)."""
    from pydantic import TypeAdapter, ValidationError  # imported here: only when loading

    kinds = document.get("kinds")
    valid: list[ExportKind] = []
    for index, entry in enumerate(kinds if isinstance(kinds, list) else []):
        label = entry.get("id", f"#{index + 1}") if isinstance(entry, dict) else f"#{index + 1}"
        try:
            valid.append(TypeAdapter(ExportKind).validate_python(entry))
        except ValidationError as exc:
            problems += [_problem(f"kinds[{label}]", error) for error in exc.errors(include_url=False)]
    try:
        columns = TypeAdapter(CrmColumns).validate_python(document | {"kinds": valid})
    except ValidationError as exc:
        problems += [_problem("", error) for error in exc.errors(include_url=False)]
        return None, valid
    return (columns if len(valid) == len(kinds or []) else None), valid


def _problem(entry: str, error: Any) -> ContentProblem:
    message = "is not a known field" if error["type"] == "extra_forbidden" else str(error["msg"])
    return ContentProblem(FILE_NAME, entry, ".".join(str(part) for part in error["loc"]), message)


def _check(kinds: list[ExportKind]) -> list[ContentProblem]:
    """What types cannot say: unique ids, fields the code knows, headers unique within a kind."""
    problems = []
    seen: set[str] = set()
    for kind in kinds:
        entry = f"kinds[{kind.id}]"
        if kind.id in seen:
            problems.append(ContentProblem(FILE_NAME, entry, "id", "is used twice"))
        seen.add(kind.id)
        for field, headers in kind.columns.items():
            if field not in kind.fields():
                problems.append(ContentProblem(FILE_NAME, entry, f"columns.{field}", _not_a_field(kind)))
            if not headers or any(not header_key(h) for h in headers):
                problems.append(ContentProblem(FILE_NAME, entry, f"columns.{field}", "needs headers, none blank"))
        for field in kind.identifying:
            if field not in kind.columns:
                problems.append(
                    ContentProblem(FILE_NAME, entry, "identifying", f"'{field}' has no headers under columns")
                )
        keys = [header_key(h) for headers in kind.columns.values() for h in headers]
        for key in sorted({k for k in keys if keys.count(k) > 1}):
            problems.append(ContentProblem(FILE_NAME, entry, "columns", f"the header '{key}' is given to two fields"))
        if kind.records == "contacts" and (kind.won_stages or kind.lost_stages):
            problems.append(ContentProblem(FILE_NAME, entry, "won_stages", "only a deals export has stages"))
    return problems


def _not_a_field(kind: ExportKind) -> str:
    return f"is not a field of {kind.records}: one of {', '.join(kind.fields())}"
