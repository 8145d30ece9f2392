"""Re-assessment: the changes since the last workshop, in the core, the CLI and the PDF."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from assessment import load_content
from assessment.cli import main
from assessment.engine.comparison import compare
from tests.core.builders import ITEM_IDS, build, run

BEFORE = build(**{"checklist": dict.fromkeys(ITEM_IDS, "no"), "survey.tools": {"ma": "planned", "sfa": "planned"}})
AFTER = build(
    **{
        "checklist": {**dict.fromkeys(ITEM_IDS, "no"), "org.mql_definition": "yes", "org.kpis_defined": "partial",
                      "data.access_control": "unknown"},
        "survey.tools": {"ma": "in_use", "sfa": "planned"},
    }
)  # fmt: skip


def test_score_deltas_item_changes_and_tasks_completed() -> None:
    comparison = compare(run(BEFORE), run(AFTER))
    assert comparison.overall_delta > 0
    assert comparison.axis_deltas["organization"] > 0 and comparison.axis_deltas["data"] == 0
    changes = {c.item_id: (c.before, c.after, c.improved) for c in comparison.item_changes}
    assert changes["org.mql_definition"] == ("no", "yes", True)
    assert changes["org.kpis_defined"] == ("no", "partial", True)
    assert changes["data.access_control"] == ("no", "unknown", False)
    assert {"mql_definition", "ma_setup"} <= set(comparison.tasks_completed)
    assert "sfa_setup" not in comparison.tasks_completed


def test_same_assessment_changes_nothing() -> None:
    comparison = compare(run(AFTER), run(AFTER))
    assert comparison.overall_delta == 0 and comparison.item_changes == () and comparison.tasks_completed == ()
    assert comparison.risks_new == () and comparison.risks_resolved == ()


@pytest.mark.pdf
def test_cli_compares_with_previous(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before, after = tmp_path / "before.yaml", tmp_path / "after.yaml"
    before.write_text(yaml.safe_dump(BEFORE, allow_unicode=True), encoding="utf-8")
    after.write_text(yaml.safe_dump(AFTER, allow_unicode=True), encoding="utf-8")
    assert main(["diagnose", str(after), "--previous", str(before), "--format", "json"]) == 0
    since = json.loads(capsys.readouterr().out)["since_last"]
    assert since["overall_delta"] > 0 and "mql_definition" in since["tasks_completed"]
    assert main(["diagnose", str(after), "--previous", str(before)]) == 0
    text_out = capsys.readouterr().out
    resolved = since["risks_resolved"]
    assert resolved, "the fixture should resolve at least one risk"
    titles = {r.id: r.title.ja for r in load_content().rules}
    assert "解消したリスク: " + "、".join(titles[r] for r in resolved) in text_out  # said in the text too
    assert main(["diagnose", str(after), "--previous", str(tmp_path / "missing.yaml")]) == 2
    out = tmp_path / "p.pdf"
    assert main(["report", str(after), "--previous", str(before), "-o", str(out)]) == 0
    from pypdf import PdfReader

    text = "".join("".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "前回ワークショップからの変化" in text


def _people(**departments: dict[str, str]) -> list[dict[str, object]]:
    return [{"department": d, "name": d, "answers": answers} for d, answers in departments.items()]


ORG = [i for i in ITEM_IDS if i.startswith("org.")]


def test_gap_count_and_department_scores_before_and_after() -> None:
    """Hand-computed: the checklist's weights are organisation 12.5 (its ten items), tools 5.5, data 5.5."""
    before = build(
        respondents=_people(
            marketing=dict.fromkeys(ITEM_IDS, "yes"), field_sales=dict.fromkeys(ITEM_IDS, "no"),
            customer_success=dict.fromkeys(ITEM_IDS, "partial"),
        )
    )  # fmt: skip
    after = build(
        respondents=_people(
            marketing=dict.fromkeys(ITEM_IDS, "yes"), inside_sales=dict.fromkeys(ITEM_IDS, "partial"),
            field_sales={**dict.fromkeys(ITEM_IDS, "no"), **dict.fromkeys(ORG, "yes")},
        )
    )  # fmt: skip
    comparison = compare(run(before), run(after), load_content().checklist)
    assert (comparison.gaps_before, comparison.gaps_after) == (20, 10)  # every item, then tools and data only
    rows = [(d.department, d.before, d.after, d.delta) for d in comparison.departments]
    assert rows == [
        ("marketing", 100.0, 100.0, 0.0),
        ("inside_sales", None, 50.0, None),  # answered only now
        ("field_sales", 0.0, 53.2, 53.2),  # 12.5 / 23.5 of the weight
        ("customer_success", 50.0, None, None),  # answered only before
    ]


def test_without_respondents_no_gap_is_counted_and_no_department_scored() -> None:
    comparison = compare(run(BEFORE), run(AFTER), load_content().checklist)
    assert (comparison.gaps_before, comparison.gaps_after, comparison.departments) == (None, None, ())
    assert compare(run(BEFORE), run(AFTER)).departments == ()
