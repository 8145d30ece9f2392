"""Workshop answers as tables to chart: one row per respondent and item, and one row per item for the consensus
with a column per department.

The same rows go to CSV (UTF-8 with a byte order mark, so Excel opens Japanese text correctly) and to XLSX
(openpyxl: bold header, frozen header row, filters, readable column widths). No Flask here.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from assessment.content.model import Content
from assessment.engine.perception import Perception
from assessment.engine.wording import role_label
from assessment.engine.workshop import ItemDecision, RespondentAnswers, in_model_order
from assessment.i18n import context_translator, translator
from assessment.presentation.view.words import answer_labels
from assessment.vocabulary import Lang

Table = tuple[tuple[str, ...], list[tuple[Any, ...]]]


def _respondent_headers(lang: Lang, names: bool) -> tuple[str, ...]:
    _ = translator(lang)
    pgettext = context_translator(lang)
    return (
        _("Respondent id"), *((_("Respondent"),) if names else ()), _("Department id"), _("Department"),
        _("Item number"), _("Item id"), pgettext("workshop export", "Axis"), _("Item"), _("Answer id"), _("Answer"),
        _("Comment"), _("Answered at"),
    )  # fmt: skip


def respondent_table(
    respondents: Sequence[RespondentAnswers], content: Content, lang: Lang, names: bool = False
) -> Table:
    """One row per respondent and item (an item not answered included: its answer id blank, its answer in words
    "not answered", never "don't know"): the respondent's number in the round,
    department (id and words), item (number, id, axis, text), answer (id and words), comment and the time of their
    last save (ISO 8601 with its offset, as the caller's clock gives it). Names only when ``names`` is asked for:
    respondents are anonymous by default."""
    axes = {axis.id: axis.title.get(lang) for axis in content.checklist.axes}
    labels = content.checklist.answer_labels
    not_answered = translator(lang)("Not answered")  # the answer id stays blank: no answer was given
    rows = []
    for respondent in in_model_order(respondents, content.survey.roles):
        department = role_label(respondent.department, content, lang)
        name = (respondent.name,) if names else ()
        answered_at = respondent.answered_at.isoformat(timespec="seconds") if respondent.answered_at else ""
        for number, item in enumerate(content.checklist.items, start=1):
            answer = respondent.answers.get(item.id, "")
            rows.append((
                respondent.number, *name, respondent.department, department, number, item.id, axes[item.axis],
                item.text.get(lang), answer, labels[answer].get(lang) if answer in labels else not_answered,
                respondent.comments.get(item.id, ""), answered_at,
            ))  # fmt: skip
    return _respondent_headers(lang, names), rows


def consensus_table(
    perception: Perception, item_decisions: Sequence[ItemDecision], content: Content, lang: Lang
) -> Table:
    """One row per item: a column per department (THE MODEL's order, then the survey's other roles) with that
    department's view (blank where nobody from it answered), the proposed consensus, the final answer, the one
    used, the gap flag and the note."""
    _ = translator(lang)
    pgettext = context_translator(lang)
    axes = {axis.id: axis.title.get(lang) for axis in content.checklist.axes}
    labels = answer_labels(content)  # a department none of whose people answered an item: "not answered"
    roles = content.survey.roles

    def word(answer: str | None) -> str:
        return labels[answer].get(lang) if answer in labels else ""

    headers = (
        _("Item number"), _("Item id"), pgettext("workshop export", "Axis"), _("Item"),
        *(role_label(role, content, lang) for role in roles), _("Proposed consensus"), _("Final answer"),
        _("Answer used"), _("Perception gap"), _("Note"),
    )  # fmt: skip
    gap = pgettext("perception gap", "yes")  # the column flags a gap; no gap leaves it blank
    numbers = {item.id: number for number, item in enumerate(content.checklist.items, start=1)}
    rows = []
    for view, decision in zip(perception.items, item_decisions, strict=True):
        item = content.checklist.item(view.item_id)
        rows.append((
            numbers[item.id], item.id, axes[item.axis], item.text.get(lang),
            *(word(view.by_department.get(role)) for role in roles), word(decision.consensus),
            word(decision.final), word(decision.settled), gap if decision.gap else "", decision.note,
        ))  # fmt: skip
    return headers, rows


def to_csv(table: Table) -> bytes:
    """The table as CSV in UTF-8 with a BOM (Excel reads Japanese correctly only with one).

    Every field is quoted, so a spreadsheet that splits on ``;`` (or any other separator) keeps ``x;=cmd`` in
    one cell; text a spreadsheet would run as a formula gets a leading apostrophe (CSV has no other way).
    """
    headers, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["'" + text if formula_like(text := str(_cell_text(value))) else text for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheets: Sequence[tuple[str, Table]]) -> bytes:
    """The tables as one workbook, a sheet each: bold frozen header, filters, column widths that fit."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, (headers, rows) in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_cell_text(value) if isinstance(value, str) else value for value in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and formula_like(cell.value):
                    cell.data_type = "s"  # a string cell, shown as typed: no formula, no visible apostrophe
                    cell.quotePrefix = True
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
        for index, header in enumerate(headers, start=1):
            longest = max([_display_width(str(header))] + [_display_width(str(r[index - 1])) for r in rows[:500]])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 60)
            if longest > 58:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_CANNOT_HOLD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls and DEL (tab, LF, CR stay)


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could take the text for a formula: it starts (after spaces) with =, +, -, @, a tab
    or a line break, in half or full width (Excel turns ＝ into = as it reads)."""
    first = unicodedata.normalize("NFKC", text.lstrip(" \u3000")[:1])
    return text[:1] in _FORMULA_STARTS or first[:1] in _FORMULA_STARTS


def _cell_text(value: Any) -> Any:
    """A value as a cell can hold it: control characters a workbook refuses (openpyxl raises on them) are
    dropped; the answers never contain them (the forms refuse them), but older rows may."""
    if value is None:
        return ""
    return _CANNOT_HOLD.sub("", value) if isinstance(value, str) else value


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: full-width (Japanese) characters count twice."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
