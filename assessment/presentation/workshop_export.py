"""Workshop answers as tables: one row per respondent and item, and one row per item for the consensus.

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
from assessment.vocabulary import Lang

Table = tuple[tuple[str, ...], list[tuple[Any, ...]]]


def _respondent_headers(lang: Lang) -> tuple[str, ...]:
    _ = translator(lang)
    pgettext = context_translator(lang)
    return (
        _("Respondent"), _("Department id"), _("Department"), _("Item id"), pgettext("workshop export", "Axis"),
        _("Item"), _("Answer id"), _("Answer"), _("Comment"),
    )  # fmt: skip


def _consensus_headers(lang: Lang) -> tuple[str, ...]:
    _ = translator(lang)
    pgettext = context_translator(lang)
    return (
        _("Item id"), pgettext("workshop export", "Axis"), _("Item"), _("By department"), _("Proposed consensus"),
        _("Final answer"), _("Answer used"), _("Perception gap"), _("Note"),
    )  # fmt: skip


def respondent_table(respondents: Sequence[RespondentAnswers], content: Content, lang: Lang) -> Table:
    """Every respondent's answer to every item (unanswered items included, blank), comments included; the
    respondents by department in THE MODEL's order."""
    axes = {axis.id: axis.title.get(lang) for axis in content.checklist.axes}
    labels = content.checklist.answer_labels
    rows = []
    for respondent in in_model_order(respondents, content.survey.roles):
        department = role_label(respondent.department, content, lang)
        for item in content.checklist.items:
            answer = respondent.answers.get(item.id, "")
            rows.append((
                respondent.name, respondent.department, department, item.id, axes[item.axis], item.text.get(lang),
                answer, labels[answer].get(lang) if answer in labels else "", respondent.comments.get(item.id, ""),
            ))  # fmt: skip
    return _respondent_headers(lang), rows


def consensus_table(
    perception: Perception, item_decisions: Sequence[ItemDecision], content: Content, lang: Lang
) -> Table:
    """Per item: each department's view, the proposed consensus, the final answer, the one used, gap and note."""
    axes = {axis.id: axis.title.get(lang) for axis in content.checklist.axes}
    labels = content.checklist.answer_labels

    def word(answer: str | None) -> str:
        return labels[answer].get(lang) if answer in labels else ""

    pgettext = context_translator(lang)
    gap = pgettext("perception gap", "yes")  # the column flags a gap; no gap leaves it blank
    rows = []
    for view, decision in zip(perception.items, item_decisions, strict=True):
        item = content.checklist.item(view.item_id)
        by_department = " / ".join(
            f"{role_label(role, content, lang)}: {word(answer)}" for role, answer in view.by_department.items()
        )
        rows.append((
            item.id, axes[item.axis], item.text.get(lang), by_department, word(decision.consensus),
            word(decision.final), word(decision.settled), gap if decision.gap else "", decision.note,
        ))  # fmt: skip
    return _consensus_headers(lang), rows


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
        writer.writerow(["'" + text if formula_like(text := _cell_text(value)) else text for value in row])
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
