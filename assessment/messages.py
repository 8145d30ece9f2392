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
    # warnings
    "to_confirm": N_("Answered 'don't know' or left blank, to confirm: {count} of the statements"),
    "no_employees": N_("Without the number of employees the size-fit phase cannot be judged"),
    "no_wins": N_("With zero wins the leads needed cannot be worked out"),
}

SUGGESTION = N_(" (did you mean '{suggestion}'?)")


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
