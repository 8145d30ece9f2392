"""Scores per axis, and the funnel maths: rates, statuses, bottleneck, revenue, required leads, levers."""

from __future__ import annotations

import math

import pytest

from assessment import load_content
from assessment.engine.funnel import analyse_funnel
from assessment.engine.scoring import score
from tests.core.builders import ITEM_IDS, build, run

CONTENT = load_content()


def test_all_yes_scores_100_and_all_no_scores_0() -> None:
    assert score(dict.fromkeys(ITEM_IDS, "yes"), CONTENT.checklist).overall == 100.0
    assert score(dict.fromkeys(ITEM_IDS, "no"), CONTENT.checklist).overall == 0.0
    assert score(dict.fromkeys(ITEM_IDS, "unknown"), CONTENT.checklist).overall == 0.0


def test_partial_counts_half_and_weights_apply() -> None:
    scores = score(dict.fromkeys(ITEM_IDS, "partial"), CONTENT.checklist)
    assert [a.score for a in scores.axes] == [50.0, 50.0, 50.0]
    answers = dict.fromkeys(ITEM_IDS, "no")
    answers["tools.ma_sfa_integration"] = "yes"  # weight 1.5 of the tools axis' 5.5
    tools = score(answers, CONTENT.checklist).of("tools")
    weights = {i.id: i.weight for i in CONTENT.checklist.items if i.axis == "tools"}
    assert tools == round(100 * weights["tools.ma_sfa_integration"] / sum(weights.values()), 1)


def test_axis_counts_items_to_confirm() -> None:
    answers = dict.fromkeys(ITEM_IDS, "yes")
    answers["data.access_control"] = "unknown"
    data_axis = next(a for a in score(answers, CONTENT.checklist).axes if a.axis == "data")
    assert (data_axis.to_confirm, data_axis.answered_yes, data_axis.items) == (1, 4, 5)


SAMPLE_FUNNEL = {
    "leads": 800, "mqls": 120, "sqls": 40, "opportunities": 35, "wins": 6, "average_deal_size": 1_200_000,
    "lead_response_hours": 30, "monthly_revenue_target": 30_000_000, "pipeline_amount": 60_000_000,
}  # fmt: skip


def test_rates_and_statuses() -> None:
    funnel = analyse_funnel(SAMPLE_FUNNEL, CONTENT.benchmarks)
    assert funnel.metrics["mql_rate"] == 15.0
    assert funnel.metrics["sql_rate"] == pytest.approx(33.3333)
    assert funnel.metrics["win_rate"] == pytest.approx(17.1429)
    assert funnel.metrics["pipeline_coverage"] == 2.0
    by_metric = {f.metric: f for f in funnel.findings}
    assert (by_metric["pipeline_coverage"].status, by_metric["pipeline_coverage"].concern) == ("below", True)
    assert (by_metric["lead_response_hours"].status, by_metric["lead_response_hours"].concern) == (
        "above",
        True,
    )
    assert (by_metric["mql_rate"].status, by_metric["mql_rate"].concern) == ("within", False)
    assert by_metric["connect_rate"].value is None and by_metric["connect_rate"].status is None


def test_revenue_formula_and_required_leads() -> None:
    funnel = analyse_funnel(SAMPLE_FUNNEL, CONTENT.benchmarks)
    revenue = funnel.revenue
    assert revenue.monthly_revenue == 6 * 1_200_000
    # leads x conversion to opportunity x win rate x deal size, with the client's numbers
    rebuilt = revenue.leads * revenue.conversion_to_opportunity / 100 * revenue.win_rate / 100 * 1_200_000
    assert rebuilt == pytest.approx(7_200_000, rel=1e-3)
    assert funnel.required_leads == math.ceil(30_000_000 / 1_200_000 / (6 / 800))
    assert funnel.required == {"leads": 3334, "mqls": 500, "sqls": 167, "opportunities": 146, "wins": 25}


def test_required_volumes_skip_missing_stages() -> None:
    funnel = analyse_funnel(
        {"leads": 1000, "wins": 10, "average_deal_size": 500_000, "monthly_revenue_target": 10_000_000},
        CONTENT.benchmarks,
    )
    assert funnel.required == {"leads": 2000, "wins": 20}


def test_no_required_leads_without_target_or_with_zero_wins() -> None:
    assert analyse_funnel({"leads": 100, "wins": 2, "average_deal_size": 1}, CONTENT.benchmarks).required_leads is None
    zero = analyse_funnel(
        {"leads": 100, "wins": 0, "average_deal_size": 1, "monthly_revenue_target": 10}, CONTENT.benchmarks
    )
    assert zero.required_leads is None


def test_bottleneck_is_the_stage_furthest_below_its_benchmark() -> None:
    funnel = analyse_funnel(
        {**SAMPLE_FUNNEL, "sqls": 24, "opportunities": 21}, CONTENT.benchmarks
    )  # 20 %: 0.67 of 30 %
    assert funnel.bottleneck is not None
    assert (funnel.bottleneck.stage, funnel.bottleneck.metric) == ("inside_sales", "sql_rate")
    assert funnel.bottleneck.below_benchmark is True
    churn = analyse_funnel({**SAMPLE_FUNNEL, "monthly_churn_rate": 3}, CONTENT.benchmarks)
    assert churn.bottleneck is not None and churn.bottleneck.stage == "customer_success"


def test_levers_ranked_by_added_revenue() -> None:
    funnel = analyse_funnel({**SAMPLE_FUNNEL, "sqls": 24, "opportunities": 21}, CONTENT.benchmarks)
    added = [lever.added_revenue for lever in funnel.levers]
    assert added == sorted(added, reverse=True)
    sql = next(lever for lever in funnel.levers if lever.factor == "sql_rate")
    # below the range the realistic target is its bottom: 20 % -> 30 %, revenue x 1.5
    assert (sql.current, sql.target) == (20.0, 30.0)
    assert sql.added_revenue == round(funnel.revenue.monthly_revenue * 0.5)
    assert funnel.levers[0].factor == "sql_rate"


def test_an_mql_rate_far_above_its_range_is_a_concern() -> None:
    """Nearly every lead an MQL (30 %, 100 %) means the MQL bar is too low, not that marketing excels."""
    for mqls, status in ((300, "above"), (1000, "above"), (150, "within")):
        funnel = analyse_funnel({"leads": 1000, "mqls": mqls}, CONTENT.benchmarks)
        finding = next(f for f in funnel.findings if f.metric == "mql_rate")
        assert (finding.status, finding.concern) == (status, status == "above")


def test_a_lever_on_a_repeating_rate_adds_an_exact_amount() -> None:
    """MQL->SQL 10/60 = 16.66…%: raising it to 30 % adds exactly 80 % of revenue, not 80.0001 %."""
    figures = {"leads": 300, "mqls": 60, "sqls": 10, "opportunities": 9, "wins": 3, "average_deal_size": 800_000}
    funnel = analyse_funnel(figures, CONTENT.benchmarks)
    sql = next(lever for lever in funnel.levers if lever.factor == "sql_rate")
    assert funnel.revenue is not None and funnel.revenue.monthly_revenue == 2_400_000
    assert sql.added_revenue == 1_920_000


def test_no_lever_for_a_rate_already_above_its_range() -> None:
    funnel = analyse_funnel({**SAMPLE_FUNNEL, "wins": 14}, CONTENT.benchmarks)  # win rate 40 %
    assert "win_rate" not in {lever.factor for lever in funnel.levers}


def test_diagnosis_of_an_empty_funnel() -> None:
    diagnosis = run(build(**{"survey.funnel": {}}))
    assert diagnosis.funnel.metrics == {}
    assert diagnosis.funnel.bottleneck is None
    assert diagnosis.funnel.levers == ()
    assert diagnosis.bpr.stage == "current_state"
