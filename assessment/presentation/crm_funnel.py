"""The funnel computed from CRM exports, as text for a terminal and as JSON-ready data, with its evidence.

Figures are labelled with the survey's own labels (content), every other word is the app's (gettext). Only
aggregates appear: counts, averages and the headers each field was read from, never a row of a file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from assessment.content.model import Content
from assessment.engine.crm.figures import CrmFigure, Evidence
from assessment.engine.crm.funnel import CrmFunnel
from assessment.engine.crm.survey import Change
from assessment.engine.wording import format_number, format_rate, format_yen, unit_suffix
from assessment.i18n import N_, context_translator, translator
from assessment.vocabulary import FUNNEL_STAGES, Lang

# why a record was left out of a figure
EXCLUSION_WORDS = {
    "no_date": N_("no date"),
    "outside_period": N_("outside the period"),
    "duplicate": N_("duplicates (same email or record ID)"),
    "not_won": N_("not won"),
    "no_amount": N_("no amount"),
    "dates_reversed": N_("dates in reverse order"),
    "closed": N_("closed (won or lost)"),
}
# why a figure could not be computed
NOT_COMPUTED_WORDS = {
    "no_column": N_("none of the files has the column it needs"),
    "column_empty": N_("its column is empty in every file"),
    "no_records": N_("no record to compute it from in the period"),
    "no_won": N_("no deal's stage means won; name your won stages in a mapping (won_stages)"),
}
STAGE_HEADINGS = {
    "mqls": N_("MQL"),
    "sqls": N_("SQL"),
    "opportunities": N_("Opportunities"),
    "wins": N_("Won"),
}
PRIVACY = N_("Only these totals are used: no row of the files is kept, shown or written.")


def crm_funnel_to_dict(
    funnel: CrmFunnel, content: Content, lang: Lang, values: Mapping[str, int | float], written: Any = None
) -> dict[str, Any]:
    """The figures, their evidence, the cohorts and the files read, ready for JSON (``written``: file and changes)."""
    _ = translator(lang)
    figures = {}
    for figure in funnel.figures:
        if figure.id not in values:
            continue
        spec = content.survey.figure(figure.id)
        entry: dict[str, Any] = {"label": spec.label.get(lang), "unit": spec.unit, "value": values[figure.id]}
        entry["exact"] = round(figure.value, 4)
        if figure.monthly:
            entry["monthly"] = {
                f"{m:%Y-%m}": n for m, n in zip(funnel.period.month_starts(), figure.monthly, strict=True)
            }
        entry |= {"used": figure.evidence.used, "excluded": dict(figure.evidence.excluded)}
        figures[figure.id] = entry | {"files": list(figure.evidence.files)}
    data: dict[str, Any] = {
        "period": {"first": f"{funnel.period.first:%Y-%m}", "last": f"{funnel.period.last:%Y-%m}",
                   "months": funnel.period.months},
        "files": [
            {"name": f.name, "kind": f.kind, "title": f.title.get(lang), "rows": f.rows, "duplicates": f.duplicates,
             "format": f.file_format, "encoding": f.encoding, "columns": dict(f.columns)}
            for f in funnel.files
        ],
        "figures": figures,
        "not_computed": {
            figure: {"reason": reason, "message": _(NOT_COMPUTED_WORDS[reason])}
            for figure, reason in funnel.not_computed.items()
            if _in_survey(figure, content)
        },
        "cohorts": [{"month": f"{c.month:%Y-%m}", "leads": c.leads, **c.reached} for c in funnel.cohorts],
        "privacy": _(PRIVACY),
    }  # fmt: skip
    if written is not None:
        path, changes = written
        data["written"] = {
            "file": str(path),
            "changes": [{"figure": c.figure, "before": c.before, "after": c.after} for c in changes],
        }
    return data


def render_crm_funnel(
    funnel: CrmFunnel, content: Content, lang: Lang, values: Mapping[str, int | float], written: Any = None
) -> str:
    """The figures with their evidence, the cohorts and the files read, as text (``written``: file and changes)."""
    _ = translator(lang)
    period = funnel.period
    title = _("The funnel from the CRM exports: {first} to {last} ({months} months)")
    lines = [f"== {title.format(first=f'{period.first:%Y-%m}', last=f'{period.last:%Y-%m}', months=period.months)} =="]
    lines += ["", _heading(_("Files read"))]
    for f in funnel.files:
        encoding = f", {f.encoding.upper()}" if f.encoding else ""
        read = _("{title} ({format}{encoding}): rows read {rows}, duplicates left out {duplicates}")
        lines.append(
            f"  {f.name}: "
            + read.format(title=f.title.get(lang), format=f.file_format.upper(), encoding=encoding,
                          rows=format_number(f.rows), duplicates=format_number(f.duplicates))
        )  # fmt: skip
        lines.append(
            "    " + _("columns: {columns}").format(columns=", ".join(f"{k} = '{v}'" for k, v in f.columns.items()))
        )
    lines += ["", _heading(_("Figures (a month on average over the period)"))]
    for figure in funnel.figures:
        if figure.id in values:
            lines += _figure(figure, funnel, content, lang, values[figure.id])
    missing = {k: v for k, v in funnel.not_computed.items() if _in_survey(k, content)}
    if missing:
        lines += ["", _heading(_("Not computed"))]
        for figure_id, reason in missing.items():
            lines.append(f"  {content.survey.figure(figure_id).label.get(lang)}: {_(NOT_COMPUTED_WORDS[reason])}")
    if funnel.cohorts:
        lines += ["", _heading(_("Cohorts: the leads of each month, and how many have reached each stage so far"))]
        lines += _cohorts(funnel, lang)
    if written is not None:
        path, changes = written
        lines += ["", _heading(_("Written")), *_written(path, changes, content, lang)]
    lines += ["", _(PRIVACY)]
    return "\n".join(lines) + "\n"


def _heading(title: str) -> str:
    return f"[{title}]"


def _figure(figure: CrmFigure, funnel: CrmFunnel, content: Content, lang: Lang, value: int | float) -> list[str]:
    _ = translator(lang)
    spec = content.survey.figure(figure.id)
    shown = _value(value, spec.unit, lang)
    if figure.monthly:
        separator = context_translator(lang)("list separator", ", ")
        months = separator.join(
            f"{m:%Y-%m}: {format_number(n)}" for m, n in zip(funnel.period.month_starts(), figure.monthly, strict=True)
        )
        shown = _("{value} (average {exact}; {months})").format(
            value=shown, exact=format_number(figure.value, 2), months=months
        )
    return [f"  {spec.label.get(lang)}: {shown}", "    " + _evidence(figure.evidence, lang)]


def _evidence(evidence: Evidence, lang: Lang) -> str:
    _ = translator(lang)
    separator = context_translator(lang)("list separator", ", ")
    files = separator.join(evidence.files)
    used = format_number(evidence.used)
    if not evidence.excluded:
        return _("records used: {used} ({files})").format(used=used, files=files)
    reasons = separator.join(
        _("{reason} {count}").format(reason=_(EXCLUSION_WORDS[k]), count=format_number(n))
        for k, n in evidence.excluded.items()
    )
    return _("records used: {used}; left out: {reasons} ({files})").format(used=used, reasons=reasons, files=files)


def _value(value: float, unit: str, lang: Lang) -> str:
    if unit == "yen":
        return format_yen(value, lang)
    if unit == "percent":
        return format_rate(value)
    return format_number(value) + unit_suffix(unit, lang)


def _cohorts(funnel: CrmFunnel, lang: Lang) -> list[str]:
    _ = translator(lang)
    stages = FUNNEL_STAGES[1:]
    heads = [_("Month"), _("Leads"), *(_(STAGE_HEADINGS[s]) for s in stages)]
    rows = [
        [f"{c.month:%Y-%m}", format_number(c.leads), *("-" if c.reached[s] is None else format_number(c.reached[s] or 0)
                                                       for s in stages)]
        for c in funnel.cohorts
    ]  # fmt: skip
    widths = [max(_width(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
    return ["  " + "  ".join(_pad(cell, widths[i], i > 0) for i, cell in enumerate(r)) for r in [heads, *rows]]


def _written(path: Any, changes: Sequence[Change], content: Content, lang: Lang) -> list[str]:
    _ = translator(lang)
    if not changes:
        return ["  " + _("{file}: survey.funnel already held these figures; nothing changed").format(file=path)]
    lines = ["  " + _("{file}: survey.funnel").format(file=path)]
    for change in changes:
        unit = content.survey.figure(change.figure).unit
        after = _value(change.after, unit, lang)
        if change.before is None:
            lines.append("    " + _("{figure}: {after} (added)").format(figure=change.figure, after=after))
        else:
            before = _value(change.before, unit, lang) if isinstance(change.before, int | float) else str(change.before)
            words = _("{figure}: {before} -> {after} (replaced)")
            lines.append("    " + words.format(figure=change.figure, before=before, after=after))
    return lines


def _in_survey(figure_id: str, content: Content) -> bool:
    return any(f.id == figure_id for f in content.survey.funnel)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(width - _width(text), 0)
    return space + text if right else text + space
