"""The ``readiness`` command: diagnose an assessment file, export its roadmap, check the content.

Exit status: 0 on success, 2 on bad input or bad content (every problem listed, no traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from assessment import resources
from assessment.errors import AssessmentError, ContentError
from assessment.i18n import translator
from assessment.vocabulary import Lang

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1
MAX_FILE_BYTES = 1_000_000

PREVIOUS_HELP = "an earlier assessment file to compare with (default: the file's own baseline, if it has one)"
START_HELP = "the day the plan starts, YYYY-MM-DD (default: the file's plan.start, else next Monday)"


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``readiness`` command."""
    parser = argparse.ArgumentParser(prog="readiness", description="THE MODEL readiness diagnosis")
    parser.add_argument("--content", type=Path, help="content folder (default: the bundled questionnaires)")
    commands = parser.add_subparsers(dest="command", required=True)

    diagnose = commands.add_parser("diagnose", help="diagnose an assessment file (YAML or JSON)")
    diagnose.add_argument("file", type=Path)
    diagnose.add_argument("--format", choices=("text", "json"), default="text")
    diagnose.add_argument("--lang", choices=("ja", "en"), default="ja")
    diagnose.add_argument("--previous", type=Path, help=PREVIOUS_HELP)
    diagnose.add_argument("--start", help=START_HELP)

    roadmap = commands.add_parser("roadmap", help="export the implementation roadmap")
    roadmap.add_argument("file", type=Path)
    roadmap.add_argument(
        "--format", choices=("json", "csv", "mermaid", "mermaid-gantt", "mermaid-flowchart"), default="json"
    )
    roadmap.add_argument("--lang", choices=("ja", "en"), default="ja")
    roadmap.add_argument("--start", help=START_HELP)

    report = commands.add_parser("report", help="render the proposal PDF")
    report.add_argument("file", type=Path)
    report.add_argument("-o", "--output", type=Path, required=True, help="where to write the PDF")
    report.add_argument("--lang", choices=("ja", "en"), default="ja")
    report.add_argument("--html", type=Path, help="also write the exact HTML that is printed")
    report.add_argument("--branding", type=Path, help="branding YAML (default: $READINESS_BRANDING)")
    report.add_argument("--previous", type=Path, help=PREVIOUS_HELP)
    report.add_argument("--start", help=START_HELP)

    crm = commands.add_parser(
        "funnel-from-crm", help="compute the funnel figures from HubSpot or Salesforce exports (CSV or XLSX)"
    )
    crm.add_argument("files", type=Path, nargs="+", help="contacts or leads, deals or opportunities exports")
    crm.add_argument("--period", help="the months to average over, e.g. 2026-07..2026-09 (default: the last 3)")
    crm.add_argument("--mapping", type=Path, help="a mapping of the headers the exports name differently")
    crm.add_argument("--write-mapping", type=Path, help="write a mapping template for these files to fill in")
    crm.add_argument("--into", type=Path, help="write the figures into this assessment file's survey.funnel")
    crm.add_argument("--lang", choices=("ja", "en"), default="ja")
    crm.add_argument("--json", action="store_true", help="print JSON instead of text")

    check = commands.add_parser("check-content", help="validate the content files")
    check.add_argument("dir", type=Path, nargs="?")
    check.add_argument("--lang", choices=("ja", "en"), default="ja")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    _ = translator(args.lang)
    try:
        if args.command == "check-content":
            return _check_content(args.dir or args.content, args.lang)
        if args.command == "funnel-from-crm":
            from assessment.crm_command import funnel_from_crm

            return funnel_from_crm(args)
        return _run(args)
    except ContentError as exc:
        print(_("The content has problems:"), file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a user never sees a traceback; READINESS_DEBUG=1 shows it
        if os.environ.get("READINESS_DEBUG"):
            raise
        error = f"{type(exc).__name__}: {exc}"[:300]
        message = _("unexpected error ({error}); run again with READINESS_DEBUG=1 for the details")
        print(message.format(error=error), file=sys.stderr)
        return EXIT_INTERNAL


def _check_content(directory: Path | None, lang: Lang) -> int:
    from assessment.content.loader import FILES, load_content

    _ = translator(lang)
    content = load_content(directory)
    folder = directory or resources.content_dir()
    if (folder / "crm_columns.yaml").is_file():  # the CRM exports' headers (funnel-from-crm), when the folder has them
        from assessment.content.crm_columns import load_crm_columns

        load_crm_columns(folder)
    print(
        _("Content is valid ({count} files, {items} items, {rules} rules, {tasks} tasks)").format(
            count=len(FILES), items=len(content.checklist.items), rules=len(content.rules), tasks=len(content.tasks)
        )
    )
    return 0


def _run(args: argparse.Namespace) -> int:
    from assessment.content.cache import cached_content
    from assessment.engine.roadmap.calendar import parse_start

    _ = translator(args.lang)
    try:
        start = parse_start(args.start) if args.start else None
    except ValueError:
        problem = _("'{value}' is not a date; write it YYYY-MM-DD (e.g. 2026-12-07)").format(value=args.start)
        print(f"--start: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    content = cached_content(args.content)
    diagnosis = _diagnosed(args.file, content, args.lang, start)
    previous_file = getattr(args, "previous", None)
    previous = _diagnosed(previous_file, content, args.lang) if previous_file else None
    if diagnosis is None or (previous_file and previous is None):
        return EXIT_BAD_INPUT
    if previous is None and diagnosis.assessment.baseline is not None:  # the file carries its earlier diagnosis
        from assessment.engine.diagnosis import diagnose

        previous = diagnose(diagnosis.assessment.baseline, content)
    args.previous_diagnosis = previous
    if args.command == "report":
        return _report(args, diagnosis, content)
    sys.stdout.write(_output(args, diagnosis, content))
    return 0


def _diagnosed(path: Path, content: Any, lang: Lang, start: Any = None) -> Any:
    """Read, check and diagnose one assessment file; print its problems and return None when it is bad."""
    from assessment.engine.assessment_file import parse_assessment
    from assessment.engine.diagnosis import diagnose
    from assessment.engine.roadmap.calendar import next_monday

    _ = translator(lang)
    try:
        raw = _read_limited(path)
    except OSError as exc:
        print(f"{path}: " + _("cannot read the file: {reason}").format(reason=exc.strerror or exc), file=sys.stderr)
        return None
    try:
        assessment = parse_assessment(raw, content)
    except AssessmentError as exc:
        print(_("{file} has problems:").format(file=path), file=sys.stderr)
        for message in exc.messages(lang):
            print(f"  {message}", file=sys.stderr)
        return None
    return diagnose(assessment, content, start or assessment.plan_start or next_monday(date.today()))


def _report(args: argparse.Namespace, diagnosis: Any, content: Any) -> int:
    from assessment.report import FontMissingError, load_branding, render_html, render_pdf
    from assessment.report.branding import BrandingError

    _ = translator(args.lang)
    unwritable = _("cannot write the file: {reason}")
    try:
        branding = load_branding(args.branding)
        html = render_html(diagnosis, content, args.lang, branding, previous=args.previous_diagnosis)
        if args.html:
            args.html.write_text(html, encoding="utf-8")
        pdf = render_pdf(diagnosis, content, args.lang, branding, html=html)
    except (BrandingError, FontMissingError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"{exc.filename}: {unwritable.format(reason=exc.strerror or exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        args.output.write_bytes(pdf)
    except OSError as exc:
        print(f"{exc.filename}: {unwritable.format(reason=exc.strerror or exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def _read_limited(path: Path) -> bytes:
    """Read at most one byte past the limit, so a huge file is refused without reading it all."""
    with path.open("rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def _output(args: argparse.Namespace, diagnosis: Any, content: Any) -> str:
    if args.command == "diagnose":
        if args.format == "json":
            from assessment.presentation.export import diagnosis_to_dict

            data = diagnosis_to_dict(diagnosis, content, args.lang)
            if args.previous_diagnosis is not None:
                from assessment.presentation.export import comparison_to_dict

                data["since_last"] = comparison_to_dict(args.previous_diagnosis, diagnosis)
            return _json(data)
        from assessment.presentation.text_report import render_text

        return render_text(diagnosis, content, args.lang, args.previous_diagnosis)
    from assessment.presentation import roadmap_export as export

    if args.format == "csv":
        return export.plan_to_csv(diagnosis.plan, content, args.lang)
    if args.format == "mermaid":
        gantt = export.plan_to_mermaid_gantt(diagnosis.plan, content, args.lang)
        flowchart = export.plan_to_mermaid_flowchart(diagnosis.plan, content, args.lang)
        return f"```mermaid\n{gantt}```\n\n```mermaid\n{flowchart}```\n"
    if args.format == "mermaid-gantt":
        return export.plan_to_mermaid_gantt(diagnosis.plan, content, args.lang)
    if args.format == "mermaid-flowchart":
        return export.plan_to_mermaid_flowchart(diagnosis.plan, content, args.lang)
    from assessment.presentation.export import plan_to_dict

    return _json(plan_to_dict(diagnosis.plan, content, args.lang))


def _json(data: Any) -> str:
    """Strict JSON (no NaN or Infinity), Japanese kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


if __name__ == "__main__":
    sys.exit(main())
