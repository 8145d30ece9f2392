"""``readiness funnel-from-crm``: the funnel figures from HubSpot or Salesforce exports, printed or written.

Reads each file once as a stream (the core never opens a path), prints the figures with their evidence, or writes
them into an assessment file's ``survey.funnel`` (the file checked before and after, written whole or not at
all), or writes a mapping template for headers the content does not know. Exit status 2 on bad input, every
problem listed with its file, row and column. Nothing of a row is printed or written: only totals.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from assessment.content.crm_columns import CrmColumns, load_crm_columns
from assessment.documents import DocumentError, dump_document, load_document
from assessment.engine.crm.exports import ExportFile, read_export, recognise_headers
from assessment.engine.crm.mapping import NO_MAPPING, CrmMapping, parse_mapping
from assessment.engine.crm.period import default_period, parse_period
from assessment.errors import AssessmentError, CrmExportError
from assessment.i18n import translator
from assessment.messages import Notice
from assessment.tables import MAX_BYTES
from assessment.vocabulary import Lang

EXIT_BAD_INPUT = 2
MAX_ASSESSMENT_BYTES = 1_000_000


def funnel_from_crm(args: argparse.Namespace) -> int:
    """Run ``readiness funnel-from-crm`` with parsed ``args``; return the exit status."""
    _ = translator(args.lang)
    columns = load_crm_columns(args.content)
    try:
        mapping = _mapping(args.mapping, columns) if args.mapping else NO_MAPPING
        if args.write_mapping:
            return _write_mapping(args, columns, mapping)
        period = parse_period(args.period, "--period") if args.period else default_period(date.today())
        exports = [_read(path, columns, mapping) for path in args.files]
    except CrmExportError as exc:
        for message in exc.messages(args.lang):
            print(message, file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"{exc.filename}: " + _("cannot read the file: {reason}").format(reason=exc.strerror), file=sys.stderr)
        return EXIT_BAD_INPUT
    return _report(args, exports, period)


def _report(args: argparse.Namespace, exports: list[ExportFile], period: Any) -> int:
    from assessment.content.cache import cached_content
    from assessment.engine.crm.funnel import compute_funnel
    from assessment.engine.crm.survey import survey_values
    from assessment.presentation.crm_funnel import crm_funnel_to_dict, render_crm_funnel

    content = cached_content(args.content)
    funnel = compute_funnel(exports, period)
    values = survey_values(funnel, content)
    written = None
    if args.into:
        changes = _write_into(args.into, values, content, args.lang)
        if changes is None:
            return EXIT_BAD_INPUT
        written = (args.into, changes)
    if args.json:
        data = crm_funnel_to_dict(funnel, content, args.lang, values, written)
        sys.stdout.write(dump_document(data, as_json=True))
    else:
        sys.stdout.write(render_crm_funnel(funnel, content, args.lang, values, written))
    return 0


def _mapping(path: Path, columns: CrmColumns) -> CrmMapping:
    with path.open("rb") as handle:
        return parse_mapping(handle.read(MAX_ASSESSMENT_BYTES + 1), columns, path.name)


def _read(path: Path, columns: CrmColumns, mapping: CrmMapping) -> ExportFile:
    """Read one export; a file over the limit is refused from its size, before a byte is read."""
    if path.is_file() and path.stat().st_size > MAX_BYTES:
        raise CrmExportError([Notice(path.name, "crm_too_large", {"detail": MAX_BYTES // (1024 * 1024)})])
    with path.open("rb") as stream:
        return read_export(stream, path.name, columns, mapping)


def _write_mapping(args: argparse.Namespace, columns: CrmColumns, mapping: CrmMapping) -> int:
    from assessment.presentation.crm_mapping import mapping_template

    _ = translator(args.lang)
    recognised = []
    for path in args.files:
        with path.open("rb") as stream:
            recognised.append((path.name, recognise_headers(stream, path.name, columns, mapping)))
    target: Path = args.write_mapping
    if target.exists():
        problem = _("{file} already exists; give another name (it is never overwritten)").format(file=target)
        print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    _write_atomically(target, mapping_template(recognised, columns, args.lang))
    print(_("Wrote {file}: fill in the empty headers, then run again with --mapping {file}").format(file=target))
    return 0


def _write_into(path: Path, values: dict[str, int | float], content: Any, lang: Lang) -> list[Any] | None:
    """Put ``values`` into the assessment file's ``survey.funnel``; the changes, or None (problems printed)."""
    from assessment.engine.assessment_file import parse_assessment
    from assessment.engine.crm.survey import with_funnel

    _ = translator(lang)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_ASSESSMENT_BYTES + 1)
        document = load_document(raw)
        parse_assessment(document, content)  # a file with problems is not touched
        updated, changes = with_funnel(document, values)
        parse_assessment(updated, content)
    except OSError as exc:
        print(f"{path}: " + _("cannot read the file: {reason}").format(reason=exc.strerror), file=sys.stderr)
        return None
    except DocumentError as exc:
        print(Notice(str(path), exc.code, {"detail": exc.detail}).render(lang), file=sys.stderr)
        return None
    except AssessmentError as exc:
        print(_("{file} has problems:").format(file=path), file=sys.stderr)
        for message in exc.messages(lang):
            print(f"  {message}", file=sys.stderr)
        return None
    if changes:
        as_json = raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
        lines = raw.decode("utf-8-sig").splitlines(keepends=True)
        heading = [] if as_json else _leading_comments(lines)
        _write_atomically(path, "".join(heading) + dump_document(updated, as_json=as_json))
        if any(line.lstrip().startswith("#") for line in lines[len(heading) :]):
            print(
                _("{file}: its comments were not kept (the figures and answers are)").format(file=path), file=sys.stderr
            )
    return changes


def _leading_comments(lines: list[str]) -> list[str]:
    """The comment lines a YAML file starts with (kept when it is written again; other comments are not)."""
    count = 0
    while count < len(lines) and (not lines[count].strip() or lines[count].lstrip().startswith("#")):
        count += 1
    return lines[:count]


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file beside it, then renamed over it)."""
    folder = path.resolve().parent
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".tmp") as handle:
        handle.write(text)
    os.chmod(handle.name, mode)
    os.replace(handle.name, path)
