"""The figures of deals won in the period (deal size, sales cycle), the volumes from deals, and the pipeline."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from assessment.engine.crm.figures import EXCLUSIONS, CrmFigure, Evidence, Tally, dupes, having, mean, volume
from assessment.engine.crm.period import Period
from assessment.engine.crm.records import Deal, ExportFile


def deal_volume(
    stage: str, deals: Sequence[Deal], files: Sequence[ExportFile], duplicates: Mapping[str, int], period: Period
) -> CrmFigure | str:
    """Opportunities (by create date) or wins (closed won, by close date) counted from the deals."""
    if stage == "opportunities":
        return volume(stage, [d.created for d in deals], having(files, "created"), duplicates, period)
    if not any(d.won for d in deals):
        return "no_won"
    names = having(files, "close_date")
    figure = volume(stage, [d.close_date if d.won else None for d in deals], names, duplicates, period)
    if isinstance(figure, CrmFigure):  # the deals not won are "not won", not "no date"
        excluded = dict(figure.evidence.excluded)
        not_won = sum(1 for d in deals if not d.won)
        excluded["no_date"] = excluded.get("no_date", 0) - not_won
        excluded["not_won"] = not_won
        evidence = Evidence(figure.evidence.used, {k: excluded[k] for k in EXCLUSIONS if excluded.get(k)}, names)
        figure = CrmFigure(stage, figure.value, evidence, figure.monthly)
    return figure


def _won_in_period(deals: Sequence[Deal], tally: Tally, period: Period, value: Callable[[Deal], float | None]) -> None:
    """Add ``value`` of each deal won in the period to the tally; count every other deal's reason."""
    for deal in deals:
        if not deal.won:
            tally.excluded["not_won"] += 1
        elif deal.close_date is None:
            tally.excluded["no_date"] += 1
        elif period.index(deal.close_date) is None:
            tally.excluded["outside_period"] += 1
        else:
            result = value(deal)
            if result is not None:
                tally.values.append(result)


def deal_size(
    deals: Sequence[Deal], files: Sequence[ExportFile], duplicates: Mapping[str, int], period: Period
) -> CrmFigure | str:
    """The average amount of the deals won in the period."""
    names = having(files, "amount")
    if not names:
        return "no_column"
    tally = Tally(names, dupes(names, duplicates))

    def amount(deal: Deal) -> float | None:
        if deal.amount is None:
            tally.excluded["no_amount"] += 1
        return deal.amount

    _won_in_period(deals, tally, period, amount)
    return mean("average_deal_size", tally)


def sales_cycle(
    deals: Sequence[Deal], files: Sequence[ExportFile], duplicates: Mapping[str, int], period: Period
) -> CrmFigure | str:
    """The average days from create to close of the deals won in the period."""
    names = tuple(n for n in having(files, "created") if n in having(files, "close_date"))
    if not names:
        return "no_column"
    tally = Tally(names, dupes(names, duplicates))

    def days(deal: Deal) -> float | None:
        if deal.created is None or deal.close_date is None:
            tally.excluded["no_date"] += 1
            return None
        if deal.close_date < deal.created:
            tally.excluded["dates_reversed"] += 1
            return None
        return float((deal.close_date.date() - deal.created.date()).days)

    _won_in_period(deals, tally, period, days)
    return mean("sales_cycle_days", tally)


def pipeline(deals: Sequence[Deal], files: Sequence[ExportFile], duplicates: Mapping[str, int]) -> CrmFigure | str:
    """The amounts of the open deals, as exported (not tied to the period)."""
    names = tuple(f.name for f in files if "amount" in f.columns and ("stage" in f.columns or "closed" in f.columns))
    if not names:
        return "no_column"
    tally = Tally(names, dupes(names, duplicates))
    for deal in deals:
        if deal.closed:
            tally.excluded["closed"] += 1
        elif deal.amount is None:
            tally.excluded["no_amount"] += 1
        else:
            tally.values.append(deal.amount)
    if not tally.values:
        return "no_records"
    return CrmFigure("pipeline_amount", sum(tally.values), tally.evidence())
