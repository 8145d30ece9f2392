"""The figures of contacts beside the volumes: the response time, churn, and the cohorts of each month's leads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime

from assessment.engine.crm.figures import STAGE_DATES, Cohort, CrmFigure, Tally, dupes, having, mean
from assessment.engine.crm.period import Period, add_months
from assessment.engine.crm.records import Contact, ExportFile
from assessment.vocabulary import FUNNEL_STAGES

COHORT_MONTHS = 12


def response(
    contacts: Sequence[Contact], files: Sequence[ExportFile], duplicates: Mapping[str, int], period: Period
) -> CrmFigure | str:
    """Hours from the MQL date (the lead date where no MQL date is exported) to the first contact."""
    names = having(files, "first_contact")
    if not names:
        return "no_column"
    tally = Tally(names, dupes(names, duplicates))
    from_mql = bool(having(files, "mql_date"))  # from the MQL date; from the lead date where none is exported
    for contact in contacts:
        start = contact.mql_date if from_mql else contact.lead_date
        if start is None or contact.first_contact is None:
            tally.excluded["no_date"] += 1
        elif period.index(start) is None:
            tally.excluded["outside_period"] += 1
        elif contact.first_contact < start:
            tally.excluded["dates_reversed"] += 1
        else:
            tally.values.append((contact.first_contact - start).total_seconds() / 3600)
    return mean("lead_response_hours", tally)


def churn(
    contacts: Sequence[Contact], files: Sequence[ExportFile], duplicates: Mapping[str, int], period: Period
) -> CrmFigure | str:
    """Customers ending in a month over those there at its start, pooled over the period, in percent."""
    names = tuple(n for n in having(files, "churn_date") if n in having(files, "customer_date"))
    if not names:
        return "no_column"
    tally = Tally(names, dupes(names, duplicates))
    at_start = churned = 0
    starts = [datetime.combine(m, datetime.min.time()) for m in (*period.month_starts(), period.end)]
    for contact in contacts:
        began, ended = contact.customer_date, contact.churn_date
        if began is None:
            tally.excluded["no_date"] += 1
            continue
        months = [i for i in range(period.months) if began < starts[i] and (ended is None or ended >= starts[i])]
        if not months:
            tally.excluded["outside_period"] += 1
            continue
        tally.values.append(1)
        at_start += len(months)
        churned += sum(1 for i in months if ended is not None and ended < starts[i + 1])
    if not at_start:
        return "no_records"
    return CrmFigure("monthly_churn_rate", churned / at_start * 100, tally.evidence())


def cohorts(
    contacts: Sequence[Contact], leads: Sequence[datetime | None], files: Sequence[ExportFile], period: Period
) -> tuple[Cohort, ...]:
    """The leads of each of the 12 months up to the period's last, and the later stages they have reached."""
    window = Period(add_months(period.last, 1 - COHORT_MONTHS), COHORT_MONTHS)
    stages = {s: STAGE_DATES[s] for s in FUNNEL_STAGES[1:]}
    exported = {s: bool(having(files, f)) for s, f in stages.items()}
    counts = [Counter[str]() for _ in range(COHORT_MONTHS)]
    base = window.first.year * 12 + window.first.month
    for contact, lead in zip(contacts, leads, strict=True):
        month = lead.year * 12 + lead.month - base if lead is not None else -1
        if not 0 <= month < COHORT_MONTHS:
            continue
        tally = counts[month]
        tally["leads"] += 1
        reached = (contact.mql_date, contact.sql_date, contact.opportunity_date, contact.customer_date)
        for stage, moment in zip(stages, reached, strict=True):
            if moment is not None:
                tally[stage] += 1
    return tuple(
        Cohort(start, counts[i]["leads"], {s: counts[i][s] if exported[s] else None for s in stages})
        for i, start in enumerate(window.month_starts())
        if counts[i]["leads"]
    )
