"""Load the content files under ``questionnaires/`` and validate them.

Types and required keys are checked by pydantic against the dataclasses in :mod:`.model`; conditions
are parsed by :mod:`.conditions`; cross-references (item ids, fact names, task ids, owners) and cycles
are checked here. Every problem names the file, the entry id and the field, and all problems are
reported at once in a :class:`~assessment.errors.ContentError`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from assessment import resources
from assessment.content import crossrefs
from assessment.content.conditions import Comparison, ConditionSyntaxError, parse_condition
from assessment.content.model import (
    Benchmarks,
    Checklist,
    Content,
    Durations,
    Glossary,
    Organisation,
    Playbook,
    Rule,
    Survey,
    Task,
)
from assessment.documents import DocumentError, load_document
from assessment.errors import ContentError, ContentProblem

DEFAULT_CONTENT_DIR = resources.content_dir()
FILES = ("checklist", "survey", "benchmarks", "rules", "organisation", "tasks", "playbook", "glossary")

_PLACEHOLDER = Comparison("invalid", "present", True)

# Which keys of which list hold a condition, per file.
_CONDITION_FIELDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "rules": ("rules", "id", ("when",)),
    "tasks": ("tasks", "id", ("done_when", "confirm_when")),
    "organisation": ("phases", "number", ("reached_when",)),
}
_BPR_CONDITIONS = ("bpr_stages", "id", ("complete_when",))


def load_content(directory: Path | str | None = None) -> Content:
    """Load and validate every content file in ``directory`` (default: the bundled questionnaires)."""
    folder = Path(directory) if directory is not None else DEFAULT_CONTENT_DIR
    problems: list[ContentProblem] = []
    raw: dict[str, Any] = {}
    digest = hashlib.sha256()
    for name in FILES:
        path = folder / f"{name}.yaml"
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(ContentProblem(path.name, "", "", f"cannot read the file: {exc.strerror}"))
            continue
        digest.update(data)
        try:
            document = load_document(data)
        except DocumentError as exc:
            problems.append(ContentProblem(path.name, "", "", f"not a readable YAML file ({exc})"))
            continue
        if not isinstance(document, dict):
            problems.append(ContentProblem(path.name, "", "", "the file must hold a mapping at the top"))
            continue
        raw[name] = document
    if problems:
        raise ContentError(problems)

    _parse_conditions(raw, problems)
    _parse_rule_parts(raw, problems)
    parts = _validate_types(raw, problems)
    if problems:
        raise ContentError(problems)
    content = Content(
        checklist=parts["checklist"],
        survey=parts["survey"],
        benchmarks=parts["benchmarks"],
        rules=parts["rules"],
        organisation=parts["organisation"],
        tasks=parts["tasks"],
        playbook=parts["playbook"],
        glossary=parts["glossary"],
        fingerprint=digest.hexdigest()[:16],
        durations=parts["durations"],
    )
    problems.extend(crossrefs.check(content))
    if problems:
        raise ContentError(problems)
    return content


def _parse_conditions(raw: dict[str, Any], problems: list[ContentProblem]) -> None:
    """Replace condition mappings by parsed condition objects in place, collecting syntax errors."""
    places = [(file, spec) for file, spec in _CONDITION_FIELDS.items()]
    places.append(("organisation", _BPR_CONDITIONS))
    for file, (section, key, fields) in places:
        entries = raw.get(file, {}).get(section)
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            entry_id = str(entry.get(key, f"#{index + 1}"))
            for field in fields:
                if entry.get(field) is None:
                    continue
                try:
                    entry[field] = parse_condition(entry[field])
                except ConditionSyntaxError as exc:
                    where = f"{field}.{exc.path}" if exc.path else field
                    problems.append(ContentProblem(f"{file}.yaml", f"{section}[{entry_id}]", where, exc.message))
                    entry[field] = _PLACEHOLDER  # reported once; keeps the type check from repeating it


def _parse_rule_parts(raw: dict[str, Any], problems: list[ContentProblem]) -> None:
    """Parse the conditions inside a rule's explanation sentences and severity overrides, in place.

    An explanation may also be written as one ``{ja, en}`` sentence; it becomes a list of one.
    """
    rules = raw.get("rules", {}).get("rules")
    if not isinstance(rules, list):
        return
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        entry = f"rules[{rule.get('id', f'#{index + 1}')}]"
        if isinstance(rule.get("explanation"), dict):
            rule["explanation"] = [rule["explanation"]]
        for field in ("explanation", "severity_if"):
            parts = rule.get(field)
            if not isinstance(parts, list):
                continue
            for position, part in enumerate(parts):
                if not isinstance(part, dict) or part.get("when") is None:
                    continue
                try:
                    part["when"] = parse_condition(part["when"])
                except ConditionSyntaxError as exc:
                    where = f"{field}[{position}].when" + (f".{exc.path}" if exc.path else "")
                    problems.append(ContentProblem("rules.yaml", entry, where, exc.message))
                    part["when"] = _PLACEHOLDER


def _validate_types(raw: dict[str, Any], problems: list[ContentProblem]) -> dict[str, Any]:
    """Check types and keys with pydantic; return the typed parts (only complete when no problems)."""
    from pydantic import TypeAdapter, ValidationError  # imported here: only when loading

    shapes: dict[str, Any] = {
        "checklist": Checklist,
        "survey": Survey,
        "benchmarks": Benchmarks,
        "rules": tuple[Rule, ...],
        "organisation": Organisation,
        "tasks": tuple[Task, ...],
        "playbook": Playbook,
        "glossary": Glossary,
    }
    parts: dict[str, Any] = {}
    try:
        parts["durations"] = TypeAdapter(Durations).validate_python(raw.get("tasks", {}).get("durations") or {})
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            where = ".".join(str(p) for p in error["loc"])
            problems.append(ContentProblem("tasks.yaml", "durations", where, _message(error)))
    for name, shape in shapes.items():
        document = dict(raw[name])
        version = document.pop("version", None)
        if version != 1:
            problems.append(ContentProblem(f"{name}.yaml", "", "version", f"must be 1, got {version!r}"))
        data = _as_shape(name, document, problems)
        try:
            parts[name] = TypeAdapter(shape).validate_python(data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                entry, field = _locate(name, error["loc"], data)
                problems.append(ContentProblem(f"{name}.yaml", entry, field, _message(error)))
    return parts


def _as_shape(name: str, document: dict[str, Any], problems: list[ContentProblem]) -> Any:
    """Map the file layout (written for people) onto the dataclasses."""
    renames = {
        "checklist": {"answers": "answer_labels"},
        "survey": {"staffing": "staffing_labels", "tool_statuses": "tool_status_labels"},
    }
    if name in ("rules", "tasks"):
        for key in sorted(set(document) - {name, "durations"} if name == "tasks" else set(document) - {name}):
            problems.append(ContentProblem(f"{name}.yaml", "", key, "is not a known field"))
        return document.get(name)
    for old, new in renames.get(name, {}).items():
        if old in document:
            document[new] = document.pop(old)
    return document


def _locate(name: str, loc: tuple[Any, ...], data: Any) -> tuple[str, str]:
    """Turn a pydantic location into (entry, field), naming list entries by their id."""
    parts = [str(p) for p in loc if not str(p).startswith(("function-", "tagged-union"))]
    node = data
    entry = ""
    rest: list[str] = []
    section = name if isinstance(data, list) else ""
    for index, part in enumerate(parts):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            item = node[int(part)]
            label = _entry_label(item, int(part))
            if not entry:
                entry = f"{section}[{label}]" if section else f"[{label}]"
                node = item
                continue
            rest.append(f"[{label}]")
            node = item
            continue
        if not entry and isinstance(node, dict) and part in node and isinstance(node[part], list):
            section = part
            node = node[part]
            continue
        rest.append(part)
        node = node.get(part) if isinstance(node, dict) else None
        if index == 0 and not isinstance(data, list):
            section = part
    return entry or section, ".".join(rest).replace(".[", "[")


def _entry_label(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in ("id", "metric", "number"):
            if key in item:
                return str(item[key])
    return f"#{index + 1}"


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "is not a known field"
    if kind == "literal_error":
        return f"{error['input']!r} is not one of {error['ctx']['expected']}"
    return str(error["msg"])
