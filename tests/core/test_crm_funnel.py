"""The funnel from CRM exports, against figures computed by hand (the arithmetic is in the comments), and
properties: no figure counts more records than were read, and the order of the rows changes nothing."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.content.crm_columns import CrmColumns, load_crm_columns
from assessment.content.model import Content
from assessment.engine.crm.exports import read_export
from assessment.engine.crm.funnel import CrmFunnel, compute_funnel
from assessment.engine.crm.period import Period, default_period, parse_period
from assessment.engine.crm.survey import survey_values, with_funnel
from tests.core.crm_exports import HUBSPOT_CONTACT_HEADERS, case_a, case_b, case_c, csv_bytes

COLUMNS = load_crm_columns()
Q3 = parse_period("2026-07..2026-09")


def _funnel(files: list[tuple[str, bytes]], period: Period = Q3, columns: CrmColumns = COLUMNS) -> CrmFunnel:
    return compute_funnel([read_export(io.BytesIO(data), name, columns) for name, data in files], period)


def _figure(funnel: CrmFunnel, figure_id: str) -> tuple[float, dict[str, int], tuple[int, ...], int]:
    figure = funnel.figure(figure_id)
    assert figure is not None, funnel.not_computed
    return figure.value, dict(figure.evidence.excluded), figure.monthly, figure.evidence.used


def test_case_a_hubspot_contacts_and_deals(content: Content) -> None:
    funnel = _funnel(case_a())
    # Leads by lead date (contact 9 has none but reached MQL on 09-10 and was created 09-08: its lead date is 09-08):
    # July: 2 (07-01), 3 (07-15); August: 4 (08-03), 5 (08-20); September: 6 (09-05), 7 (09-30 23:59), 9 (09-08).
    # 7 leads / 3 months = 2.333 -> 2. Left out: 1 (06-20) and 8 (10-01) outside, 12 (a subscriber) no date,
    # and 2 duplicates: "A@Example.jp" is contact 1's email, and record ID 2 again.
    assert _figure(funnel, "leads") == (7 / 3, {"outside_period": 2, "no_date": 1, "duplicate": 2}, (2, 2, 3), 7)
    # MQLs: 1 (07-02), 2 (07-03) | 3 (08-01) | 5 (09-01), 9 (09-10) = 5 / 3 = 1.667 -> 2; no MQL date: 4, 6, 7, 8, 12.
    assert _figure(funnel, "mqls") == (5 / 3, {"no_date": 5, "duplicate": 2}, (2, 1, 2), 5)
    # SQLs: 1 (07-05) | 3 (08-10) | none = 2 / 3 = 0.667 -> 1; no date: the other 8.
    assert _figure(funnel, "sqls") == (2 / 3, {"no_date": 8, "duplicate": 2}, (1, 1, 0), 2)
    # Opportunities from the deals (created): 103 (07-10), 104 (07-20) | 102 (08-01) | 105 (09-01) = 4 / 3 -> 1;
    # outside: 101 (06-01), 106 (05-01), 107 (04-01); record 101 twice: 1 duplicate.
    assert _figure(funnel, "opportunities") == (4 / 3, {"outside_period": 3, "duplicate": 1}, (2, 1, 1), 4)
    # Wins (closed won, by close date): 101 (07-15) | 102 (08-31) | 103 (09-10) = 3 / 3 = 1;
    # not won: 104 (lost), 105 and 106 (open); 107 won 06-30, outside.
    assert _figure(funnel, "wins") == (1.0, {"outside_period": 1, "duplicate": 1, "not_won": 3}, (1, 1, 1), 3)
    # Average deal size: 101 ¥1,200,000 and 102 800,000 -> 2,000,000 / 2 = 1,000,000; 103 has no amount.
    size = _figure(funnel, "average_deal_size")
    assert size == (1_000_000.0, {"outside_period": 1, "duplicate": 1, "not_won": 3, "no_amount": 1}, (), 2)
    # Sales cycle: 101 06-01 -> 07-15 = 29 + 15 = 44 days; 102 08-01 -> 08-31 = 30; 103 07-10 -> 09-10 = 21 + 31 + 10
    # = 62; (44 + 30 + 62) / 3 = 136 / 3 = 45.333 -> 45.3.
    assert _figure(funnel, "sales_cycle_days") == (136 / 3, {"outside_period": 1, "duplicate": 1, "not_won": 3}, (), 3)
    # Pipeline: the open deals 105 (300,000) + 106 (2,000,000) = 2,300,000; closed: 101, 102, 103, 104, 107.
    assert _figure(funnel, "pipeline_amount") == (2_300_000.0, {"duplicate": 1, "closed": 5}, (), 2)
    # Response, MQL -> first engagement, MQL in the period: 1: 10:00 -> 14:00 = 4 h; 2: 07-03 09:00 -> 07-04 09:00 =
    # 24 h; 3: 08:00 -> 09:30 = 1.5 h; 9: 10:00 -> 11:00 = 1 h; (4 + 24 + 1.5 + 1) / 4 = 30.5 / 4 = 7.625 -> 7.6.
    # 5's first engagement (08-31) is before its MQL (09-01): dates reversed. No MQL or no engagement: 4, 6, 7, 8, 12.
    response = _figure(funnel, "lead_response_hours")
    assert response == (7.625, {"no_date": 5, "duplicate": 2, "dates_reversed": 1}, (), 4)
    assert funnel.not_computed == {"monthly_churn_rate": "no_column"}
    assert survey_values(funnel, content) == {
        "leads": 2, "mqls": 2, "sqls": 1, "opportunities": 1, "wins": 1, "average_deal_size": 1_000_000,
        "sales_cycle_days": 45.3, "pipeline_amount": 2_300_000, "lead_response_hours": 7.6,
    }  # fmt: skip
    # Cohorts (leads of each month, and what they have reached so far): June: 1 (MQL, SQL); July: 2 (MQL) and 3
    # (MQL, SQL, opportunity, customer); August: 4, 5 (MQL); September: 6, 7, 9 (MQL).
    cohorts = {f"{c.month:%Y-%m}": (c.leads, dict(c.reached)) for c in funnel.cohorts}
    assert cohorts == {
        "2026-06": (1, {"mqls": 1, "sqls": 1, "opportunities": 0, "wins": 0}),
        "2026-07": (2, {"mqls": 2, "sqls": 1, "opportunities": 1, "wins": 1}),
        "2026-08": (2, {"mqls": 1, "sqls": 0, "opportunities": 0, "wins": 0}),
        "2026-09": (3, {"mqls": 1, "sqls": 0, "opportunities": 0, "wins": 0}),
    }
    assert [(f.name, f.kind, f.rows, f.duplicates, f.encoding) for f in funnel.files] == [
        ("contacts.csv", "hubspot_contacts", 12, 2, "utf-8"),
        ("deals.csv", "hubspot_deals", 8, 1, "utf-8"),
    ]


def test_case_b_salesforce_reports_in_japanese_cp932(content: Content) -> None:
    funnel = _funnel(case_b())
    # Leads (every row of a lead report is a lead, on its 作成日): 07-03, 07-15 | 08-01, 08-31 | 09-30 = 5 / 3 -> 2;
    # outside: 06-30 and 10-01; "A@EXAMPLE.JP" again: 1 duplicate. The footer's four lines are not rows.
    assert _figure(funnel, "leads") == (5 / 3, {"outside_period": 2, "duplicate": 1}, (2, 2, 1), 5)
    # SQLs (取引開始日, the hand-off as an opportunity): 07-20, 07-01 | none | 09-02 = 3 / 3 = 1; no date: 4.
    assert _figure(funnel, "sqls") == (1.0, {"no_date": 4, "duplicate": 1}, (2, 0, 1), 3)
    # Opportunities (作成日): B 07-10, D 07-25 | C 08-16 | E 09-05 = 4 / 3 -> 1; A (05-01) outside.
    assert _figure(funnel, "opportunities") == (4 / 3, {"outside_period": 1}, (2, 1, 1), 4)
    # Wins (成立 = 1, by 完了予定日): A 07-31 | none | C 09-15 = 2 / 3 = 0.667 -> 1; not won: B, D, E.
    assert _figure(funnel, "wins") == (2 / 3, {"not_won": 3}, (1, 0, 1), 2)
    # Deal size: (1,500,000 + 500,000) / 2 = 1,000,000. Cycle: A 05-01 -> 07-31 = 30 + 30 + 31 = 91 days;
    # C 08-16 -> 09-15 = 30; (91 + 30) / 2 = 60.5. Pipeline: B ２，０００，０００円 = 2,000,000; E has no amount.
    assert _figure(funnel, "average_deal_size") == (1_000_000.0, {"not_won": 3}, (), 2)
    assert _figure(funnel, "sales_cycle_days") == (60.5, {"not_won": 3}, (), 2)
    assert _figure(funnel, "pipeline_amount") == (2_000_000.0, {"no_amount": 1, "closed": 3}, (), 1)
    # No MQL date in a lead report, no first-contact column, no churn column: not computed, and said so.
    assert funnel.not_computed == {
        "mqls": "no_column", "lead_response_hours": "no_column", "monthly_churn_rate": "no_column"
    }  # fmt: skip
    assert survey_values(funnel, content) == {
        "leads": 2, "sqls": 1, "opportunities": 1, "wins": 1, "average_deal_size": 1_000_000,
        "sales_cycle_days": 60.5, "pipeline_amount": 2_000_000,
    }  # fmt: skip
    assert [(f.kind, f.rows, f.encoding) for f in funnel.files] == [
        ("salesforce_leads", 8, "cp932"),
        ("salesforce_opportunities", 5, "cp932"),
    ]


def test_case_c_churn_from_a_japanese_workbook(content: Content) -> None:
    funnel = _funnel(case_c())
    # Customers at the start of each month (customer before it, not ended before it), and those ending in it:
    # 07-01: c1, c2, c3, c5 (c4 joins 07-10, c6 ended 06-15) = 4; c2 ends 07-15: 1.
    # 08-01: c1, c3, c4, c5 = 4; c5 ends 08-31 23:00: 1.   09-01: c1, c3 (ends 09-01: still there at the start), c4
    # = 3; c3 ends 09-01: 1. Pooled: 3 / (4 + 4 + 3) = 3 / 11 = 27.27 %. c6: outside; c7 never a customer: no date.
    assert _figure(funnel, "monthly_churn_rate") == (3 / 11 * 100, {"outside_period": 1, "no_date": 1}, (), 5)
    # Wins from the contacts' customer dates (no deals file): c4 07-10 only = 1 / 3 -> 0; 5 outside, c7 no date.
    assert _figure(funnel, "wins") == (1 / 3, {"outside_period": 5, "no_date": 1}, (1, 0, 0), 1)
    # Leads: c7 (08-15) only, the others became leads before July.
    assert _figure(funnel, "leads") == (1 / 3, {"outside_period": 6}, (0, 1, 0), 1)
    values = survey_values(funnel, content)
    assert values["monthly_churn_rate"] == 27.27 and values["wins"] == 0 and values["leads"] == 0
    assert funnel.files[0].file_format == "xlsx" and funnel.files[0].kind == "hubspot_contacts"


def test_default_period_is_the_last_three_full_months() -> None:
    assert default_period(date(2026, 11, 30)) == Period(date(2026, 8, 1), 3)
    assert default_period(date(2026, 1, 1)).label() == "2025-10..2025-12"


@pytest.mark.parametrize("text", ["2026-07..2026-09", "2026/7..2026/9", " 2026-07 ~ 2026-09 ", "2026-07〜2026-09"])
def test_period_as_typed(text: str) -> None:
    assert parse_period(text) == Q3


def test_the_figures_go_into_survey_funnel_and_nothing_else_changes(content: Content) -> None:
    document = {"version": 1, "client": {"name": "A社"}, "survey": {"funnel": {"leads": 40, "nps": 20}}}
    updated, changes = with_funnel(document, survey_values(_funnel(case_a()), content))
    assert updated["client"] == {"name": "A社"} and updated["survey"]["funnel"]["nps"] == 20
    assert updated["survey"]["funnel"]["leads"] == 2 and document["survey"]["funnel"]["leads"] == 40
    assert [(c.figure, c.before, c.after) for c in changes][:2] == [("leads", 40, 2), ("mqls", None, 2)]


# Properties -----------------------------------------------------------------------------------------------

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
moments = st.one_of(st.none(), st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31, 23, 59)))
contact_rows = st.lists(st.tuples(moments, moments, moments, moments), min_size=1, max_size=40)


def _contacts_csv(rows: list[tuple[datetime | None, ...]], emails: list[str]) -> bytes:
    def written(moment: datetime | None) -> str:
        return "" if moment is None else f"{moment:%Y-%m-%d %H:%M}"

    table = [
        (
            str(index),
            "",
            "",
            email,
            "",
            written(lead),
            written(lead),
            written(mql),
            written(sql),
            "",
            "",
            written(first),
        )
        for index, (email, (lead, mql, sql, first)) in enumerate(zip(emails, rows, strict=True))
    ]
    return csv_bytes(HUBSPOT_CONTACT_HEADERS, table)


@SETTINGS
@given(rows=contact_rows, seed=st.integers(0, 10_000))
def test_no_figure_counts_more_records_than_were_read(rows: list[tuple[datetime | None, ...]], seed: int) -> None:
    emails = [f"p{random.Random(seed + i).randrange(len(rows))}@example.jp" for i in range(len(rows))]  # duplicates
    funnel = _funnel([("contacts.csv", _contacts_csv(rows, emails))])
    for figure in funnel.figures:
        evidence = figure.evidence
        assert evidence.used + sum(evidence.excluded.values()) == len(rows), figure.id
        if figure.monthly:
            assert sum(figure.monthly) == evidence.used <= len(set(emails))


@SETTINGS
@given(rows=contact_rows, seed=st.integers(0, 10_000))
def test_the_order_of_the_rows_changes_nothing(rows: list[tuple[datetime | None, ...]], seed: int) -> None:
    emails = [f"p{i}@example.jp" for i in range(len(rows))]
    shuffled = list(zip(rows, emails, strict=True))
    random.Random(seed).shuffle(shuffled)
    once = _funnel([("contacts.csv", _contacts_csv(rows, emails))])
    again = _funnel([("contacts.csv", _contacts_csv([r for r, _ in shuffled], [e for _, e in shuffled]))])
    assert [(f.id, round(f.value, 9), f.evidence.used, f.evidence.excluded, f.monthly) for f in once.figures] == [
        (f.id, round(f.value, 9), f.evidence.used, f.evidence.excluded, f.monthly) for f in again.figures
    ]
    assert once.cohorts == again.cohorts and once.not_computed == again.not_computed


@SETTINGS
@given(days=st.lists(st.integers(0, 400), min_size=1, max_size=30), months=st.integers(1, 12))
def test_a_count_is_its_records_in_the_period_over_its_months(days: list[int], months: int) -> None:
    start = datetime(2026, 1, 1)
    rows: list[tuple[datetime | None, ...]] = [(start + timedelta(days=d), None, None, None) for d in days]
    period = Period(date(2026, 1, 1), months)
    funnel = _funnel([("c.csv", _contacts_csv(rows, [f"p{i}@x.jp" for i in range(len(rows))]))], period)
    inside = sum(1 for d in days if period.index(start + timedelta(days=d)) is not None)
    leads = funnel.figure("leads")
    if inside == 0:
        assert leads is None or leads.value == 0
    else:
        assert leads is not None and leads.value == inside / months
