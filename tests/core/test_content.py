"""The bundled content loads, follows the seeds' shape, and keeps the core free of Flask and WeasyPrint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assessment import diagnose, load_content, parse_assessment
from assessment.content.catalogue import fact_catalogue
from tests.core.builders import ITEM_IDS

CONTENT = load_content()


def test_checklist_has_the_twenty_items_in_order_on_three_axes() -> None:
    assert [item.id for item in CONTENT.checklist.items] == ITEM_IDS
    per_axis = [sum(1 for i in CONTENT.checklist.items if i.axis == a.id) for a in CONTENT.checklist.axes]
    assert per_axis == [10, 5, 5]
    assert all(item.text.ja and item.text.en and item.hint.ja and item.hint.en for item in CONTENT.checklist.items)


def test_benchmarks_carry_the_seed_figures() -> None:
    ranges = {b.metric: (b.min, b.max) for b in CONTENT.benchmarks.benchmarks}
    assert ranges["mql_rate"] == (10, 25)
    assert ranges["sql_rate"] == (30, 50)
    assert ranges["win_rate"] == (15, 30)
    assert ranges["connect_rate"] == (20, 30)
    assert ranges["pipeline_coverage"] == (3, 4)
    assert ranges["marketing_pipeline_share"] == (40, 60)
    assert ranges["calls_per_rep_per_day"] == (30, 50)
    assert ranges["monthly_churn_rate"] == (None, 1)
    assert ranges["nrr"] == (100, None)
    response = CONTENT.benchmark("lead_response_hours")
    assert response is not None and response.max == 24 and response.ideal is not None and response.ideal * 60 <= 5


def test_rules_and_tasks_have_the_stable_ids() -> None:
    assert {r.id for r in CONTENT.rules} == {
        "silo", "lead_quality", "no_tooling", "big_bang", "hollow_roles", "data_silo",
        "handoff_friction", "tools_without_bpr", "formal_division", "thin_aftercare",
    }  # fmt: skip
    flow = [
        "requirements", "tool_selection", "ma_setup", "sfa_setup", "ma_sfa_integration", "lead_scoring",
        "status_rules", "operating_rules", "pilot", "measure_improve", "full_rollout",
    ]  # fmt: skip
    assert set(flow) <= {t.id for t in CONTENT.tasks}


def test_every_checklist_item_is_established_by_some_task() -> None:
    established = {item for task in CONTENT.tasks for item in task.establishes}
    assert established == set(ITEM_IDS)


def test_phases_follow_company_size() -> None:
    sizes = {p.number: (p.employees_min, p.employees_max) for p in CONTENT.organisation.phases}
    assert sizes == {0: (None, None), 1: (1, 29), 2: (30, 99), 3: (100, 299), 4: (300, None)}
    assert CONTENT.organisation.separate_inside_sales_min_employees == 30
    assert [s.id for s in CONTENT.organisation.bpr_stages] == [
        "current_state",
        "to_be",
        "gap_analysis",
        "staged_rollout",
    ]


def test_core_imports_neither_flask_nor_weasyprint() -> None:
    code = (
        "import sys, assessment, assessment.engine.diagnosis, assessment.presentation.export\n"
        "import assessment.presentation.roadmap_export\n"
        "from assessment import diagnose, load_content, parse_assessment\n"
        "c = load_content(); diagnose(parse_assessment('client: {name: x}', c), c)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'weasyprint', 'werkzeug', 'jinja2')]\n"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_cli_diagnosis_path_does_not_import_pydantic_when_cached(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"READINESS_CACHE_DIR": str(tmp_path), "PATH": ""}
    code = (
        "import sys; from assessment.cli import main\n"
        "main(['diagnose', 'questionnaires/samples/sample.yaml', '--format', 'json'])\n"
        "print('PYDANTIC' if 'pydantic' in sys.modules else 'LEAN', file=sys.stderr)"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert first.stderr.strip().endswith("PYDANTIC")  # the first run validates and fills the cache
    assert second.stderr.strip().endswith("LEAN")
    assert first.stdout == second.stdout


def test_the_engine_gathers_exactly_the_facts_the_content_catalogue_names() -> None:
    """The catalogue (content) and the gathering (engine) live apart; this keeps them from drifting."""
    catalogue = set(fact_catalogue(CONTENT))
    gathered: set[str] = set()
    files = [Path("questionnaires/samples/sample.yaml"), *sorted(Path("tests/data/clients").glob("[0-9]*.yaml"))]
    for path in files:
        facts = set(diagnose(parse_assessment(path.read_text(encoding="utf-8"), CONTENT), CONTENT).facts)
        assert facts <= catalogue, f"{path.name}: gathered but not in the catalogue: {sorted(facts - catalogue)}"
        gathered |= facts
    # a survey figure is a fact only when a file gives it; every other fact is gathered for every client
    assert {fact for fact in catalogue - gathered if not fact.startswith("funnel.")} == set()
