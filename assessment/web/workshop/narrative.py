"""The proposal page's narrative form: a Japanese and an English text per section, and the plan's start day.

Each text is a form field ``note-<key>`` sent with the value the page showed (``was-<key>``), so two consultants
writing at once merge section by section and language by language (``web.merge``). The Japanese texts keep the
keys they always had (the section's name); the English ones are ``en-<section>``. A field the form did not send
is left as stored."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _

from assessment.engine.assessment_file import MAX_NOTE, has_control_characters, plan_day, unix_newlines
from assessment.engine.narrative import NOTE_SECTIONS, notes_section, stored_narrative
from assessment.vocabulary import LANGS, Lang
from assessment.web.merge import three_way
from assessment.web.wording import control_character_message

PREFIX: dict[Lang, str] = {"ja": "", "en": "en-"}
# (language, section, the field's key) for every text of the form, Japanese first
FIELDS: tuple[tuple[Lang, str, str], ...] = tuple(
    (lang, section, PREFIX[lang] + section) for lang in LANGS for section in NOTE_SECTIONS
)


def stored_texts(document: dict[str, Any]) -> dict[str, str]:
    """Every text of the form as the document holds it, by key ("" where empty)."""
    narrative = stored_narrative(document)
    return {key: narrative[lang].get(section, "") for lang, section, key in FIELDS}


def stored_start(document: dict[str, Any]) -> str:
    """The plan's start day as the document holds it ("" when none is set)."""
    return str((document.get("plan") or {}).get("start") or "")


def empty_languages(texts: dict[str, str]) -> list[Lang]:
    """The languages whose narrative is empty while another's is not: the PDF in them prints no narrative."""
    written = {lang: any(texts[PREFIX[lang] + section] for section in NOTE_SECTIONS) for lang in LANGS}
    return [lang for lang in LANGS if not written[lang] and any(written.values())]


def posted_narrative(texts: dict[str, str]) -> tuple[dict[str, str], str, dict[str, str]]:
    """The texts and start day sent (a text not sent stays as given), and the ones that cannot be stored, with
    why, by key."""
    texts = dict(texts)
    errors: dict[str, str] = {}
    for _lang, _section, key in FIELDS:
        if f"note-{key}" not in request.form:
            continue
        text = unix_newlines(request.form[f"note-{key}"]).strip()
        if len(text) > MAX_NOTE:
            errors[key] = _("The text is too long (at most %(n)s characters).", n=MAX_NOTE)
        elif has_control_characters(text):
            errors[key] = control_character_message()
        texts[key] = text
    plan_start = request.form.get("plan-start", "").strip()[:40]
    if plan_start and plan_day(plan_start) is None:
        errors["plan_start"] = _("Write the date as YYYY-MM-DD, between the years 2000 and 2100.")
    return texts, plan_start, errors


def merge_narrative(read: Any, wanted: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Write each text (and the plan's start day) this consultant changed; one a colleague changed meanwhile
    is kept and reported as a conflict."""
    document = read.document
    stored = {**stored_texts(document), "plan_start": stored_start(document)}
    merged_texts = dict(stored)
    conflicts = []
    for key, mine in wanted.items():
        was = request.form.get(f"was-{key}")
        merged = three_way(stored[key], unix_newlines(was).strip() if was is not None else None, mine)
        if merged.conflict:
            conflicts.append(key)
        merged_texts[key] = merged.value
    if merged_texts["plan_start"]:
        document["plan"] = {"start": merged_texts["plan_start"]}
    else:
        document.pop("plan", None)
    narrative = {lang: {s: merged_texts[PREFIX[lang] + s] for s in NOTE_SECTIONS} for lang in LANGS}
    document["notes"] = notes_section(narrative)
    return document, read.drafts, conflicts
