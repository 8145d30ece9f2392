"""The organisation phase: current, size-fit, one step at a time; and the BPR stage."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.builders import DELETE, build, run

NONE = {"marketing": "none", "inside_sales": "none", "field_sales": "dedicated", "customer_success": "none"}
P1 = {**NONE, "marketing": "shared"}
P2 = {**P1, "marketing": "dedicated", "inside_sales": "dedicated"}
P3 = {**P2, "customer_success": "dedicated"}


@pytest.mark.parametrize(
    ("employees", "departments", "current", "by_size", "recommended", "advice"),
    [
        (10, NONE, 0, 1, 1, "next_step"),
        (20, P1, 1, 1, 1, "consolidate"),
        (50, P1, 1, 2, 2, "next_step"),
        (150, P1, 1, 3, 2, "one_step"),
        (500, NONE, 0, 4, 1, "one_step"),
        (150, P2, 2, 3, 3, "next_step"),
        (20, P2, 2, 1, 1, "fold_inside_sales"),  # never aim beyond the size-fit phase: fold inside sales back
        (120, P3, 3, 3, 3, "consolidate"),
    ],
)
def test_phase(
    employees: int, departments: dict[str, str], current: int, by_size: int, recommended: int, advice: str
) -> None:
    edits: dict[str, Any] = {
        "client.employees": employees,
        "survey.departments": departments,
        "checklist.org.kpis_defined": "partial",  # keeps Phase 4 (data-driven) out of reach
    }
    phase = run(build(**edits)).phase
    assert (phase.current, phase.by_size, phase.recommended) == (current, by_size, recommended)
    assert advice in phase.advice


def test_small_company_keeps_inside_sales_shared() -> None:
    phase = run(build(**{"client.employees": 25, "survey.departments": P1})).phase
    assert phase.separate_inside_sales is False
    assert "keep_inside_sales_shared" in phase.advice


def test_small_company_with_a_separate_inside_sales_team_is_told_to_prove_or_fold_it() -> None:
    """'Keep inside sales shared' would contradict a team that already exists, and 'keep the structure ahead of
    your size' would contradict folding it back: the advice says the one thing to do."""
    phase = run(build(**{"client.employees": 25})).phase
    assert phase.advice == ("fold_inside_sales",)
    assert phase.recommended == phase.by_size == 1 and not phase.holds


def test_unknown_staffing_leaves_the_phase_open_and_raises_nothing_on_it() -> None:
    """Departments not given: the phase is the last one known to be reached, said to be uncertain, and
    rules that judge the phase gap stay silent (a missing fact neither raises nor clears)."""
    diagnosis = run(build(**{"survey.departments": DELETE, "survey.tools": DELETE, "client.employees": 200}))
    assert diagnosis.phase.structure_known is False
    assert "structure_unknown" in diagnosis.phase.advice
    assert diagnosis.phase.gap is None
    assert diagnosis.facts["phase.current"] is None
    assert "big_bang" not in {f.rule_id for f in diagnosis.findings}


def test_unknown_size_moves_one_phase_and_says_so() -> None:
    diagnosis = run(build(**{"client.employees": DELETE, "survey.departments": P1}))
    assert diagnosis.phase.by_size is None
    assert diagnosis.phase.recommended == 2
    assert "size_unknown" in diagnosis.phase.advice
    assert any(w.code == "no_employees" for w in diagnosis.warnings)


def test_data_driven_company_reaches_phase_4() -> None:
    assert run(build(**{"client.employees": 400})).phase.current == 4


@pytest.mark.parametrize(
    ("edits", "stage", "index"),
    [
        ({"survey.funnel": {}}, "current_state", 1),
        ({"checklist.org.sql_definition": "partial"}, "to_be", 2),
        ({"checklist.tools.ma_sfa_integration": "no"}, "gap_analysis", 3),
        ({"survey.tools.sfa": "planned"}, "staged_rollout", 4),
        ({}, None, 5),
    ],
)
def test_bpr_stage(edits: dict[str, Any], stage: str | None, index: int) -> None:
    bpr = run(build(**edits)).bpr
    assert (bpr.stage, bpr.index) == (stage, index)
