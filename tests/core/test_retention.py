"""Retention in the money view: churn and NRR priced on the monthly recurring revenue, and new bookings beside
what churn takes. Expected figures are worked by hand from the definitions, written before the code ran:

- MRR 10,000,000, churn 3 % against its 1 % ceiling: 200,000 more is kept each month; a year on the recurring
  revenue is 10,000,000 x (0.99^12 - 0.97^12) = 1,925,425 higher.
- Churn within its ceiling and NRR 90 % against its 100 % floor: a year on 1,000,000 higher, 83,333 a month.
- Wins 10 x 1,000,000 = 10,000,000 new bookings; churn 3 % of 10,000,000 takes 300,000: net 9,700,000.
"""

from __future__ import annotations

import json
import re

import pytest

from assessment import load_content
from assessment.presentation.export import diagnosis_to_dict
from assessment.presentation.text_report import render_text
from assessment.presentation.view import build_view
from assessment.report import Branding, render_html
from assessment.report.i18n import translations
from tests.core.builders import DELETE, build, run

CONTENT = load_content()
MRR = 10_000_000


def words(html: str) -> str:
    """The text of the proposal's HTML (katakana words are wrapped in spans that keep them whole)."""
    return re.sub(r"<[^>]+>", "", html)


def levers(**edits: object) -> dict[str, object]:
    return {lever.factor: lever for lever in run(build(**edits)).funnel.levers}


def test_churn_above_its_ceiling_is_a_lever_priced_on_the_recurring_revenue() -> None:
    found = levers(**{"survey.funnel.recurring_revenue": MRR, "survey.funnel.monthly_churn_rate": 3})
    churn = found["monthly_churn_rate"]
    assert (churn.current, churn.target, churn.kind) == (3, 1, "retention")  # type: ignore[attr-defined]
    assert churn.added_revenue == 200_000  # type: ignore[attr-defined]
    assert churn.after_12_months == pytest.approx(1_925_425, abs=1)  # type: ignore[attr-defined]
    assert "nrr" not in found  # NRR counts the same lost customers: not a second lever
    assert found["leads"].kind == "new"  # type: ignore[attr-defined]


def test_nrr_is_the_lever_when_churn_is_within_its_ceiling() -> None:
    found = levers(**{"survey.funnel.recurring_revenue": MRR, "survey.funnel.nrr": 90})
    nrr = found["nrr"]
    assert (nrr.current, nrr.target) == (90, 100)  # type: ignore[attr-defined]
    assert nrr.after_12_months == 1_000_000 and nrr.added_revenue == 83_333  # type: ignore[attr-defined]
    assert "monthly_churn_rate" not in found


def test_healthy_retention_or_no_recurring_revenue_gives_no_retention_lever() -> None:
    assert {"monthly_churn_rate", "nrr"}.isdisjoint(levers(**{"survey.funnel.recurring_revenue": MRR}))
    assert {"monthly_churn_rate", "nrr"}.isdisjoint(levers(**{"survey.funnel.monthly_churn_rate": 3}))
    assert run(build(**{"survey.funnel.monthly_churn_rate": 3})).funnel.retention is None


def test_levers_rank_retention_and_new_business_by_what_they_add() -> None:
    ranked = run(build(**{"survey.funnel.recurring_revenue": 100_000_000, "survey.funnel.monthly_churn_rate": 5}))
    assert ranked.funnel.levers[0].factor == "monthly_churn_rate"  # 4,000,000 kept a month beats any +20 %
    amounts = [lever.added_revenue for lever in ranked.funnel.levers]
    assert amounts == sorted(amounts, reverse=True)


def test_new_bookings_and_what_churn_takes_side_by_side() -> None:
    retention = run(
        build(**{"survey.funnel.recurring_revenue": MRR, "survey.funnel.monthly_churn_rate": 3})
    ).funnel.retention
    assert retention is not None
    assert (retention.new_bookings, retention.churned_per_month, retention.net_growth) == (
        10_000_000,
        300_000,
        9_700_000,
    )
    no_churn = run(
        build(**{"survey.funnel.recurring_revenue": MRR, "survey.funnel.monthly_churn_rate": DELETE})
    ).funnel.retention
    assert no_churn is not None and no_churn.churned_per_month is None and no_churn.net_growth is None


def test_json_text_and_proposal_carry_the_retention_view() -> None:
    diagnosis = run(
        build(**{"survey.funnel.recurring_revenue": 100_000_000, "survey.funnel.monthly_churn_rate": 12})
    )  # 12,000,000 lost against 10,000,000 new: the revenue shrinks
    data = json.loads(json.dumps(diagnosis_to_dict(diagnosis, CONTENT, "ja")))
    assert data["funnel"]["retention"] == {
        "recurring_revenue": 100_000_000, "monthly_churn_rate": 12, "churned_per_month": 12_000_000,
        "new_bookings": 10_000_000, "net_growth": -2_000_000,
    }  # fmt: skip
    churn = next(lever for lever in data["funnel"]["levers"] if lever["factor"] == "monthly_churn_rate")
    assert churn["kind"] == "retention" and churn["added_revenue"] == 11_000_000 and churn["after_12_months"] > 0
    text = render_text(diagnosis, CONTENT, "ja")
    assert "新規受注 1,000万円 − 解約 1,200万円 = 差し引き −200万円/月" in text
    html = words(render_html(diagnosis, CONTENT, "ja", Branding()))
    assert "差し引き（純増減）" in html and "−200万円" in html
    assert "解約で失う額が新規受注額を上回っています" in html
    assert "1年後の継続売上：月+" in html


def test_a_churn_problem_without_recurring_revenue_asks_for_the_figure() -> None:
    gettext = translations("ja").gettext
    diagnosis = run(build(**{"survey.funnel.monthly_churn_rate": 3}))
    view = build_view(diagnosis, CONTENT, "ja", gettext)["funnel"]
    assert view["retention_unpriced"] is True and view["retention"] is None
    healthy = build_view(run(build()), CONTENT, "ja", gettext)["funnel"]
    assert healthy["retention_unpriced"] is False
    assert "改善レバーとして金額にできません" in words(render_html(diagnosis, CONTENT, "ja", Branding()))
