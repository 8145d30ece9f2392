"""Re-assessment of the funnel: each KPI both diagnoses can work out, before and after, and which way is better.

Every expectation is worked out by hand from the figures below (the benchmarks are questionnaires/benchmarks.yaml:
MQL rate 10-25 % inside a range, MQL -> SQL higher, first response at most 24 h lower, churn at most 1 % lower).
"""

from __future__ import annotations

from assessment.engine.comparison import FunnelChange, compare
from tests.core.builders import DELETE, build, run

BEFORE = build(
    **{
        "survey.funnel": {
            "leads": 1000, "mqls": 150, "sqls": 60, "opportunities": 50, "wins": 10,
            "average_deal_size": 1_000_000, "lead_response_hours": 48, "monthly_churn_rate": 2.0, "nrr": 95,
            "marketing_pipeline_share": 70, "nps": 30,
        }
    }
)  # fmt: skip
AFTER = build(
    **{
        "survey.funnel": {
            "leads": 1200, "mqls": 200, "sqls": 100, "opportunities": 60, "wins": 12,
            "average_deal_size": 900_000, "lead_response_hours": 4, "monthly_churn_rate": 1.5,
            "marketing_pipeline_share": 55, "nps": 30, "sales_cycle_days": 60,
        }
    }
)  # fmt: skip


def changes(before: dict[str, object], after: dict[str, object]) -> dict[str, FunnelChange]:
    return {change.kpi: change for change in compare(run(before), run(after)).funnel}


def test_each_kpi_before_after_delta_and_trend() -> None:
    found = changes(BEFORE, AFTER)
    expected = {
        # volumes as given: more is better
        "leads": (1000, 1200, 200, "improved"),
        "mqls": (150, 200, 50, "improved"),
        "sqls": (60, 100, 40, "improved"),
        "opportunities": (50, 60, 10, "improved"),
        "wins": (10, 12, 2, "improved"),
        "average_deal_size": (1_000_000, 900_000, -100_000, "worsened"),
        # 10 x 1,000,000 = 10,000,000 -> 12 x 900,000 = 10,800,000
        "monthly_revenue": (10_000_000, 10_800_000, 800_000, "improved"),
        # 150/1000 = 15 % -> 200/1200 = 16.6667 %: inside 10-25 % both times, so neither better nor worse
        "mql_rate": (15.0, 16.6667, 1.6667, "moved"),
        # 60/150 = 40 % -> 100/200 = 50 %
        "sql_rate": (40.0, 50.0, 10.0, "improved"),
        # 50/60 = 83.3333 % -> 60/100 = 60 %
        "opportunity_rate": (83.3333, 60.0, -23.3333, "worsened"),
        # 10/50 = 20 % -> 12/60 = 20 %
        "win_rate": (20.0, 20.0, 0.0, "unchanged"),
        # lower is better: 48 h -> 4 h, churn 2 % -> 1.5 %
        "lead_response_hours": (48, 4, -44, "improved"),
        "monthly_churn_rate": (2.0, 1.5, -0.5, "improved"),
        # 70 % is 10 points above 40-60 %; 55 % is inside it
        "marketing_pipeline_share": (70, 55, -15, "improved"),
        "nps": (30, 30, 0, "unchanged"),
    }
    assert {kpi: (c.before, c.after, c.delta, c.trend) for kpi, c in found.items() if kpi in expected} == expected
    # given on one side only: NRR before, the sales cycle after; the revenue target is a goal, never compared
    assert "nrr" not in found and "sales_cycle_days" not in found and "monthly_revenue_target" not in found


def test_the_funnel_order_volumes_first_then_deal_size_revenue_and_rates() -> None:
    order = [change.kpi for change in compare(run(BEFORE), run(AFTER)).funnel]
    assert order[:7] == ["leads", "mqls", "sqls", "opportunities", "wins", "average_deal_size", "monthly_revenue"]
    assert order.index("mql_rate") < order.index("sql_rate") < order.index("win_rate") < order.index("nps")


def test_a_rate_leaving_its_range_is_worse_whichever_side_it_leaves_by() -> None:
    inside = build(**{"survey.funnel": {"leads": 1000, "mqls": 200}})  # 20 %, inside 10-25 %
    too_loose = build(**{"survey.funnel": {"leads": 1000, "mqls": 400}})  # 40 %: 15 points above
    too_tight = build(**{"survey.funnel": {"leads": 1000, "mqls": 50}})  # 5 %: 5 points below
    assert changes(inside, too_loose)["mql_rate"].trend == "worsened"
    assert changes(inside, too_tight)["mql_rate"].trend == "worsened"
    assert changes(too_loose, too_tight)["mql_rate"].trend == "improved"  # 15 points off -> 5 points off
    assert changes(too_tight, too_loose)["mql_rate"].trend == "worsened"


def test_nothing_is_said_about_figures_that_cannot_be_true() -> None:
    # 300 MQLs from 200 leads cannot be one month of one funnel: the lead and MQL figures, the rates built on
    # them and the revenue formula are not compared; wins, the deal size and the other figures still are
    impossible = build(**{"survey.funnel": {**AFTER["survey"]["funnel"], "leads": 200, "mqls": 300}})
    found = changes(BEFORE, impossible)
    assert not {"leads", "mqls", "mql_rate", "sql_rate", "monthly_revenue"} & set(found)
    assert found["wins"].trend == "improved" and found["lead_response_hours"].trend == "improved"
    assert not {"leads", "mqls", "mql_rate", "monthly_revenue"} & set(changes(impossible, BEFORE))


def test_no_funnel_on_either_side_compares_nothing() -> None:
    empty = build(**{"survey.funnel": DELETE})
    assert compare(run(empty), run(AFTER)).funnel == ()
    assert compare(run(AFTER), run(empty)).funnel == ()


def test_the_json_export_carries_the_funnel_changes() -> None:
    from assessment.presentation.export import comparison_to_dict

    funnel = comparison_to_dict(run(BEFORE), run(AFTER))["funnel"]
    rows = {row["kpi"]: row for row in funnel}
    assert rows["lead_response_hours"] == {
        "kpi": "lead_response_hours", "before": 48, "after": 4, "delta": -44, "trend": "improved",
    }  # fmt: skip
    assert [row["kpi"] for row in funnel] == [c.kpi for c in compare(run(BEFORE), run(AFTER)).funnel]
