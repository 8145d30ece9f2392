"""How the funnel chapter words what the figures show: the context the PDF and the web results share."""

from __future__ import annotations

from typing import Any

from assessment import load_content
from assessment.presentation.view import build_view
from assessment.report.i18n import translations
from tests.core.builders import build, run

CONTENT = load_content()


def funnel_view(lang: str = "ja", **edits: Any) -> dict[str, Any]:
    """The funnel part of the report context for the healthy document with ``edits``."""
    gettext = translations(lang).gettext  # type: ignore[arg-type]
    context = build_view(run(build(**edits)), CONTENT, lang, gettext)
    return context["funnel"]


def test_no_bottleneck_names_the_figures_still_short() -> None:
    view = funnel_view(**{"survey.funnel.connect_rate": 15})
    assert view["bottleneck"]["below"] is False
    assert "各段階の主要指標はすべて目安の範囲内" in view["bottleneck"]["sentence"]
    assert view["concerns"] == ["コネクト率"]


def test_an_implausible_figure_reads_to_check_not_within() -> None:
    rows = {row["title"]: row["status"] for row in funnel_view(**{"survey.funnel.nrr": 250})["rows"]}
    assert rows["NRR（売上維持率）"] == "要確認"


def test_a_slow_response_reads_over_the_limit() -> None:
    rows = {
        row["title"]: row["status"] for row in funnel_view("en", **{"survey.funnel.lead_response_hours": 30})["rows"]
    }
    assert rows["First response to an MQL"] == "Over the limit"


def test_a_rate_behind_a_loose_bar_is_named_as_held_back() -> None:
    view = funnel_view(**{"survey.funnel.mqls": 600, "survey.funnel.sqls": 72, "survey.funnel.opportunities": 50})
    assert view["held_levers"] == ["商談化率（MQL→SQL）"]
    assert "商談化率（MQL→SQL）" not in [lever["title"] for lever in view["levers"]]


def test_the_first_90_days_come_from_the_scheduled_plan() -> None:
    gettext = translations("ja").gettext
    diagnosis = run(build(**{"checklist.org.exec_sponsorship": "no", "checklist.org.kpis_defined": "no"}))
    context = build_view(diagnosis, CONTENT, "ja", gettext)
    days = context["first_90_days"]
    assert days["blocks"] and days["blocks"][0]["when"].startswith("第1週")
    first = days["blocks"][0]["starting"][0]
    assert first.startswith("経営層による目的・期待成果の明確化（")
    assert days["rhythm"][0].startswith("バトンミーティング（毎週、実施中）")  # answered as already held
    scheduled_early = {t.title.ja for t in diagnosis.plan.scheduled if (t.start_week or 0) < 13}
    listed = {a.split("（")[0] for block in days["blocks"] for a in block["starting"]}
    assert listed == scheduled_early  # every task starting in the first 13 weeks, nothing later


def test_the_roles_the_phase_needs_are_named_with_a_month() -> None:
    gettext = translations("en").gettext
    document = build(**{
        "client.employees": 75, "checklist.org.inside_sales_setup": "no",
        "survey.departments": {"marketing": "shared", "inside_sales": "none", "field_sales": "dedicated"},
    })  # fmt: skip
    context = build_view(run(document), CONTENT, "en", gettext)
    roles = context["roadmap"]["roles"]
    assert roles[0] == "A dedicated Marketing owner by month 1 of the plan"
    assert roles[1].startswith("A dedicated Inside sales owner by month ") and roles[1] != roles[0]


def test_the_baton_meeting_line_follows_the_plan() -> None:
    """Not held yet: the line names the week the plan starts it, never 'from the first week' regardless."""
    gettext = translations("ja").gettext
    diagnosis = run(build(**{"checklist.org.baton_meeting": "no", "checklist.org.handoff_rules": "no"}))
    baton = diagnosis.plan.task("baton_meeting")
    assert baton.horizon == "now" and baton.start_week
    context = build_view(diagnosis, CONTENT, "ja", gettext)
    assert context["first_90_days"]["rhythm"][0].startswith(
        f"バトンミーティング（毎週、第{baton.start_week + 1}週から。"
    )
