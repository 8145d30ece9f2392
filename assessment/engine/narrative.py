"""The consultant's narrative: one text per proposal section and per language.

In the assessment file, ``notes.<section>`` is either a text, the Japanese narrative (what every file written
before narratives had a language holds), or a mapping ``{ja: ..., en: ...}``. A section with Japanese only is
written back as a plain text, so a file without English reads the same everywhere. The PDF in a language
prints that language's narrative and nothing else: an empty English narrative is not filled from the Japanese.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assessment.vocabulary import LANGS, Lang

# The consultant's narrative, one per proposal section (``notes:`` in the file).
NOTE_SECTIONS = (
    "executive_summary", "checklist", "funnel", "risks", "organisation", "configuration", "roadmap", "next_steps",
)  # fmt: skip
PLAIN_LANG: Lang = "ja"  # the language of a section written as plain text

Narrative = Mapping[Lang, Mapping[str, str]]


def empty_narrative() -> dict[Lang, dict[str, str]]:
    """A narrative with no text in any language."""
    return {lang: {} for lang in LANGS}


def stored_narrative(document: Mapping[str, Any]) -> dict[Lang, dict[str, str]]:
    """The narrative a stored document holds, per language and section (empty texts and what the file format
    would refuse left out: the loader reports those)."""
    narrative = empty_narrative()
    notes = document.get("notes")
    if not isinstance(notes, Mapping):
        return narrative
    for section, value in notes.items():
        texts = value if isinstance(value, Mapping) else {PLAIN_LANG: value}
        for lang in LANGS:
            text = texts.get(lang)
            if isinstance(text, str) and text.strip():
                narrative[lang][str(section)] = text
    return narrative


def notes_section(narrative: Narrative) -> dict[str, Any]:
    """The ``notes:`` section of a file holding ``narrative``: a plain text where a section has Japanese only,
    ``{ja: ..., en: ...}`` (the languages that have text) where it has English; empty sections left out."""
    notes: dict[str, Any] = {}
    sections = [s for s in NOTE_SECTIONS if any(narrative.get(lang, {}).get(s) for lang in LANGS)]
    for section in sections:
        texts = {lang: narrative[lang][section] for lang in LANGS if narrative.get(lang, {}).get(section)}
        notes[section] = texts[PLAIN_LANG] if set(texts) == {PLAIN_LANG} else texts
    return notes
