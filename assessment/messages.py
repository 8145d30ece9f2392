"""Messages about a client's input, in Japanese and English.

A problem is kept as a code and its parameters, and turned into words only when shown, so the CLI,
the web pages and the JSON output all say the same thing in the reader's language. Each code's message
is an English message id, its Japanese in the gettext catalogue (:mod:`assessment.i18n`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assessment.i18n import N_, translator
from assessment.vocabulary import Lang, Text

# code -> English message id; Japanese in the gettext catalogue. Translated when shown (Notice.text).
CATALOGUE: dict[str, str] = {
    "empty": N_("the file is empty"),
    "binary": N_("the file holds binary data, not text"),
    "not_utf8": N_("the file is not UTF-8 text ({detail})"),
    "too_large": N_("the file is too large ({detail})"),
    "too_deep": N_("the document is nested too deeply ({detail})"),
    "too_many_nodes": N_("the document holds too many values ({detail})"),
    "recursive_alias": N_(
        "the alias {detail} refers to a collection it sits inside, which never ends; write the values out instead"
    ),
    "not_yaml": N_("this is not valid YAML or JSON ({detail})"),
    "not_mapping": N_("must be a mapping of keys to values"),
    "unknown_key": N_("'{key}' is not a known field{suggestion}"),
    "unknown_item": N_("'{key}' is not a checklist item{suggestion}"),
    "bad_choice": N_("'{value}' is not one of {choices}"),
    "not_number": N_("'{value}' is not a number: {how}"),
    "not_integer": N_("{value} is not a whole number"),
    "below_min": N_("{value} is below {min}"),
    "above_max": N_("{value} is above {max}"),
    "not_text": N_("must be text"),
    "control_character": N_("contains an invisible control character; remove it and save again"),
    "bad_date": N_("'{value}' is not a date written YYYY-MM-DD (for example 2027-01-04, years 2000 to 2100)"),
    "too_long": N_("is longer than {max} characters"),
    "name_too_long": N_(
        "the company name can be at most {max} characters, so that it fits on the proposal's cover ({length} given)"
    ),
    "not_bool": N_("'{value}' is not true or false"),
    "not_list": N_("must be a list"),
    "too_many": N_("too many entries (at most {max})"),
    "required": N_("is required"),
    "bad_version": N_("version {value} is not supported; use 1"),
    "nested_baseline": N_(
        "an earlier diagnosis cannot hold an earlier one of its own: compare with one earlier diagnosis at a time"
    ),
    # CRM exports (readiness funnel-from-crm): the file is the notice's path; a cell's row and column are here
    "crm_empty": N_("the file is empty: export it again with its header row"),
    "crm_binary": N_("this is not a CSV or Excel (.xlsx) file; export the report as CSV or Excel and try again"),
    "crm_old_excel": N_("this is an Excel 97-2003 workbook (.xls); save it as .xlsx or as CSV and try again"),
    "crm_bad_xlsx": N_("this is not a readable Excel workbook ({detail}); save it again as .xlsx or CSV"),
    "crm_too_large": N_("the file is larger than {detail} MB; export a shorter period or fewer columns"),
    "crm_too_many_rows": N_("the file has more than {detail} rows; export a shorter period"),
    "crm_too_many_columns": N_("row {row} has more than {detail} columns; export fewer columns"),
    "crm_encoding": N_(
        "row {row}: the text is neither UTF-8 nor Shift_JIS; save the file again as 'CSV UTF-8' and try again"
    ),
    "crm_not_csv": N_("row {row}: this is not readable CSV ({detail})"),
    "crm_unknown_kind": N_(
        "these headers are not those of a HubSpot or Salesforce export known here ({headers}); name the file's kind "
        "and columns in a mapping (readiness funnel-from-crm FILE --write-mapping mapping.yaml writes one to fill)"
    ),
    "crm_ambiguous_kind": N_(
        "the headers fit both {first} and {second}; name the file's kind in a mapping (files: FILE: kind)"
    ),
    "crm_wrong_kind": N_("was given as {expected} but looks like {found} (its columns {columns})"),
    "crm_missing_columns": N_(
        "as {kind} the file needs one of these columns: {needed}; none was found. Name yours in a mapping "
        "(readiness funnel-from-crm FILE --write-mapping mapping.yaml)"
    ),
    "crm_mapped_column_missing": N_(
        "the mapping names the column '{header}' for {field}, which the file does not have"
    ),
    "crm_bad_date": N_(
        "row {row}, column {letter} '{column}': '{value}' is not a date; "
        "dates are read as 2026-07-01, 2026/07/01, 2026/7/1 9:30 or 07/01/2026"
    ),
    "crm_ambiguous_date": N_(
        "row {row}, column {letter} '{column}': '{value}' could be {month_first} (month first) or {day_first} "
        "(day first), and no date in the file tells which; write date_order: month_first or day_first in a mapping"
    ),
    "crm_mixed_date_order": N_(
        "row {row}, column {letter} '{column}': '{value}' and row {other_row}, column '{other_column}' ('{other}') put "
        "the day and the month in opposite orders; export the file again with its dates in one format"
    ),
    "crm_bad_amount": N_(
        "row {row}, column {letter} '{column}': '{value}' is not an amount in yen; "
        "amounts are read as 1200000, 1,200,000, ¥1,200,000 or JPY 1,200,000"
    ),
    "crm_formula": N_(
        "row {row}, column {letter} '{column}': '{value}' is a formula, and formulas are never worked out here; "
        "export the values again (or paste them as values) and try again"
    ),
    "crm_bad_flag": N_("row {row}, column {letter} '{column}': '{value}' is neither yes nor no (1 or 0)"),
    "crm_more_problems": N_("reading stopped after {count} problems; correct these and try again"),
    "crm_bad_period": N_("'{value}' is not a period; write the first and last month, for example 2026-07..2026-09"),
    "crm_period_too_long": N_("'{value}' is longer than {max} months"),
    # warnings
    "to_confirm": N_("Answered 'don't know' or left blank, to confirm: {count} of the statements"),
    "no_employees": N_("Without the number of employees the size-fit phase cannot be judged"),
    "no_wins": N_("With zero wins the leads needed cannot be worked out"),
}

SUGGESTION = N_(" (did you mean '{suggestion}'?)")

# What a file was given as, when it was given as records of a kind rather than as one vendor's export
RECORDS_WORDS: dict[str, str] = {
    "contacts": N_("an export of contacts or leads"),
    "deals": N_("an export of deals or opportunities"),
}


class Words(str):
    """A parameter of a notice that is itself the app's words (an English message id), translated when shown."""

    __slots__ = ()


# What to type in a figure of each unit, with an example in that unit (the Japanese adds 240万, 120件 ...).
HOW_TO_TYPE: dict[str, str] = {
    "yen": N_("type it in digits, for example 2400000"),
    "count": N_("type it in digits, for example 120"),
    "percent": N_("type it in digits, for example 1.5 for 1.5%"),
    "hours": N_("type it in digits, for example 48 for 48 hours"),
    "days": N_("type it in digits, for example 30 for 30 days"),
    "people": N_("type it in digits, for example 250 for 250 people"),
    "score": N_("type it in digits, for example 30 or -20"),
}
HOW_TO_TYPE_ANY = N_("type it in digits, for example 120")


def how_to_type(unit: str) -> Words:
    """What to type in a figure of ``unit`` (``yen``, ``count`` ...), as words translated when shown."""
    return Words(HOW_TO_TYPE.get(unit, HOW_TO_TYPE_ANY))


@dataclass(frozen=True)
class Notice:
    """A problem or warning about the input, at ``path`` (e.g. ``survey.funnel.connect_rate``)."""

    path: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: Lang = "ja") -> str:
        """Return the message alone, in ``lang``."""
        _ = translator(lang)
        template = _(CATALOGUE.get(self.code, self.code))
        params = {key: _param(value, lang) for key, value in self.params.items()}
        suggestion = params.get("suggestion")
        params["suggestion"] = _(SUGGESTION).format(suggestion=suggestion) if suggestion else ""
        try:
            return template.format(**params)
        except (KeyError, IndexError):
            return template

    def render(self, lang: Lang = "ja") -> str:
        """Return ``path: message`` in ``lang``."""
        return f"{self.path}: {self.text(lang)}" if self.path else self.text(lang)

    def as_dict(self, lang: Lang = "ja") -> dict[str, Any]:
        """Return the notice for JSON output."""
        return {"path": self.path, "code": self.code, "message": self.text(lang)}


def _param(value: Any, lang: Lang) -> Any:
    """A notice's parameter in ``lang``: a content word in that language, the app's words translated."""
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, Words):
        return translator(lang)(value)
    return value
