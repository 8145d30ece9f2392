"""An assessment file may carry its date and the earlier diagnosis it is compared with (``date``, ``baseline``):
both survive a round trip, and a baseline that is not an assessment is refused with its path."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from assessment.content.model import Content
from assessment.engine.assessment_file import parse_assessment, to_document
from assessment.errors import AssessmentError

FILE = """\
version: 1
date: 2026-05-11
client: {name: 再診断株式会社}
checklist: {org.mql_definition: yes, org.kpis_defined: partial}
survey: {funnel: {leads: 1200, wins: 12}}
baseline:
  version: 1
  date: 2025-11-04
  client: {name: 再診断株式会社}
  checklist: {org.mql_definition: no}
  survey: {funnel: {leads: 1000, wins: 10}}
"""


def _problems(text: str, content: Content, lang: str = "en") -> list[str]:
    with pytest.raises(AssessmentError) as caught:
        parse_assessment(text, content)
    return caught.value.messages(lang)  # type: ignore[arg-type]


def test_the_date_and_the_baseline_are_read(content: Content) -> None:
    assessment = parse_assessment(FILE, content)
    assert assessment.dated == date(2026, 5, 11)
    assert assessment.answers["org.mql_definition"] == "yes"
    baseline = assessment.baseline
    assert baseline is not None and baseline.dated == date(2025, 11, 4)
    assert baseline.answers["org.mql_definition"] == "no" and baseline.funnel["leads"] == 1000
    assert baseline.baseline is None


def test_they_round_trip_through_the_canonical_document(content: Content) -> None:
    document = to_document(parse_assessment(FILE, content))
    assert document["date"] == "2026-05-11" and list(document)[:3] == ["version", "date", "client"]
    assert document["baseline"]["date"] == "2025-11-04"
    assert document["baseline"]["checklist"] == {"org.mql_definition": "no"}
    again = yaml.safe_load(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    assert to_document(parse_assessment(again, content)) == document


def test_a_file_without_them_exports_as_before(content: Content) -> None:
    document = to_document(parse_assessment("client: {name: x}\n", content))
    assert "date" not in document and "baseline" not in document


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("date: 2026-05-11", "date: 11/05/2026"), "date: '11/05/2026' is not a date written YYYY-MM-DD"),
        (("  date: 2025-11-04", "  date: yesterday"), "baseline.date: 'yesterday' is not a date written YYYY-MM-DD"),
        (("  checklist: {org.mql_definition: no}", "  checklist: {org.mql_definition: maybe}"),
         "baseline.checklist.org.mql_definition: 'maybe' is not one of yes, partial, no, unknown"),
        (("  survey: {funnel: {leads: 1000, wins: 10}}", "  surveys: {}"),
         "baseline.surveys: 'surveys' is not a known field (did you mean 'survey'?)"),
        (("  version: 1", "  version: 1\n  baseline: {version: 1}"),
         "baseline.baseline: an earlier diagnosis cannot hold an earlier one of its own"),
    ],
)  # fmt: skip
def test_a_bad_baseline_is_refused_with_its_path(content: Content, edit: tuple[str, str], expected: str) -> None:
    old, new = edit
    assert old in FILE
    problems = _problems(FILE.replace(old, new, 1), content)
    assert any(problem.startswith(expected) for problem in problems), problems


@pytest.mark.parametrize("baseline", ["[1, 2, 3]", "just some text", "42"])
def test_a_baseline_that_is_not_an_assessment_says_so(content: Content, baseline: str) -> None:
    text = FILE.split("baseline:")[0] + f"baseline: {baseline}\n"
    assert _problems(text, content) == ["baseline: must be a mapping of keys to values"]
    assert _problems(text, content, "ja")[0].startswith("baseline: ")


def test_every_problem_of_file_and_baseline_is_listed_at_once(content: Content) -> None:
    text = FILE.replace("org.kpis_defined: partial", "org.kpis_defined: perhaps").replace("leads: 1000", "leads: many")
    problems = _problems(text, content)
    assert [p.split(":")[0] for p in problems] == ["checklist.org.kpis_defined", "baseline.survey.funnel.leads"]


def test_the_cli_compares_a_file_with_its_own_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from assessment.cli import main

    path = tmp_path / "again.yaml"
    path.write_text(FILE, encoding="utf-8")
    assert main(["diagnose", str(path), "--format", "json"]) == 0
    since = json.loads(capsys.readouterr().out)["since_last"]
    assert {"kpi": "leads", "before": 1000, "after": 1200, "delta": 200, "trend": "improved"} in since["funnel"]
    assert main(["diagnose", str(path.with_name("missing.yaml"))]) == 2
    plain = tmp_path / "plain.yaml"
    plain.write_text(FILE.split("baseline:")[0], encoding="utf-8")
    assert main(["diagnose", str(plain), "--format", "json"]) == 0
    assert "since_last" not in json.loads(capsys.readouterr().out)
