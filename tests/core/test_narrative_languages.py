"""Issue 16 (defect 11): the consultant's narrative has a language. A file's plain ``notes:`` texts are the
Japanese narrative (every file written before); ``{ja: ..., en: ...}`` holds both; each is read, written back
and shown in its own language only."""

from __future__ import annotations

import pytest
import yaml

from assessment import diagnose, load_content, parse_assessment
from assessment.engine.assessment_file import to_document
from assessment.errors import AssessmentError
from assessment.presentation.view import build_view

CONTENT = load_content()
OLD_FILE = """\
version: 1
client: {name: 旧形式株式会社}
checklist: {org.mql_definition: "no"}
notes:
  executive_summary: 以前のファイルの総括
  risks: 以前のリスク
"""


def test_an_old_file_with_plain_notes_still_loads_as_the_japanese_narrative() -> None:
    parsed = parse_assessment(OLD_FILE, CONTENT)
    assert parsed.notes == {"executive_summary": "以前のファイルの総括", "risks": "以前のリスク"}
    assert parsed.narrative("ja") == parsed.notes and parsed.narrative("en") == {}
    document = to_document(parsed)
    assert document["notes"] == yaml.safe_load(OLD_FILE)["notes"]  # written back as it was: plain texts
    assert parse_assessment(document, CONTENT) == parsed


def test_both_languages_round_trip_and_a_section_may_mix_forms() -> None:
    data = yaml.safe_load(OLD_FILE)
    data["notes"] = {
        "executive_summary": {"ja": "日本語の総括", "en": "The summary in English"},
        "risks": "リスクは日本語だけ",
        "roadmap": {"en": "Roadmap in English only"},
    }
    parsed = parse_assessment(data, CONTENT)
    assert parsed.narrative("ja") == {"executive_summary": "日本語の総括", "risks": "リスクは日本語だけ"}
    assert parsed.narrative("en") == {
        "executive_summary": "The summary in English",
        "roadmap": "Roadmap in English only",
    }
    document = to_document(parsed)
    assert document["notes"] == data["notes"]
    assert parse_assessment(yaml.safe_dump(document, allow_unicode=True), CONTENT) == parsed


def test_a_note_in_an_unknown_language_is_reported_with_its_path() -> None:
    data = yaml.safe_load(OLD_FILE)
    data["notes"] = {"risks": {"ja": "ok", "fr": "non"}, "funnel": {"en": 3j}}
    with pytest.raises(AssessmentError) as error:
        parse_assessment(data, CONTENT)
    assert {p.path for p in error.value.problems} == {"notes.risks.fr", "notes.funnel.en"}


@pytest.mark.parametrize(("lang", "shown", "absent"), [("ja", "日本語の総括", "English summary"),
                                                       ("en", "English summary", "日本語の総括")])  # fmt: skip
def test_the_view_in_a_language_carries_that_languages_narrative_only(lang: str, shown: str, absent: str) -> None:
    data = yaml.safe_load(OLD_FILE)
    data["notes"] = {"executive_summary": {"ja": "日本語の総括", "en": "English summary"}, "risks": "日本語のリスク"}
    view = build_view(diagnose(parse_assessment(data, CONTENT), CONTENT), CONTENT, lang, lambda s: s)  # type: ignore[arg-type]
    assert view["notes"]["executive_summary"] == shown and absent not in view["notes"].values()
    assert view["notes"]["risks"] == ("日本語のリスク" if lang == "ja" else "")  # no fallback to the other language
