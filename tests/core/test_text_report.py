"""The text report prints the view: the words of the web results and the PDF, said once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assessment import diagnose, load_content, parse_assessment
from assessment.i18n import translator
from assessment.presentation.text_report import render_text
from assessment.presentation.view import View, build_view, since_last
from assessment.vocabulary import Lang
from tests.core.builders import run
from tests.core.test_comparison import AFTER, BEFORE

CONTENT = load_content()
ROOT = Path(__file__).resolve().parents[2]
FILES = [
    ROOT / "questionnaires" / "samples" / "sample.yaml",
    *sorted((ROOT / "tests/data/clients").glob("[0-9]*.yaml")),
]


def _flat(text: str) -> str:
    """``text`` with runs of spaces as one: the text report pads its columns."""
    return re.sub(" {2,}", " ", text)


def _said(view: View) -> list[str]:
    """What of the view the text report must print: every figure, status word, label and sentence it shows."""
    said = [view["phase"]["current"], view["phase"]["recommended"], *view["phase"]["advice"]]
    said += [*view["appendix"]["warnings"], *(f"{axis['score']:.1f}" for axis in view["scores"]["axes"])]
    if view["completeness"]["provisional"]:
        said.append(view["completeness"]["note"])
    for risk in view["risks"]:
        said += [risk["title"], risk["severity_label"], risk["explanation"], risk["countermeasure"]]
        said += [f"[{fact['value']}] {fact['label']}" for fact in risk["evidence"]]
    funnel = view["funnel"]
    said += funnel["quality"]["problems"]
    for row in funnel["rows"]:
        said += [f"{row['title']}: {row['value']}", row["status"]] + ([row["benchmark"]] if row["benchmarked"] else [])
    if funnel["bottleneck"] is not None:
        said.append(funnel["bottleneck"]["sentence"])
    if funnel["revenue"] is not None:
        said += [funnel["revenue"]["monthly"], funnel["revenue"]["deal"]]
    said += [f"{lever['title']} {lever['from']} → {lever['to']}" for lever in funnel["levers"]]
    said += [f"{task['span']} {task['title']} [{task['owner']}]" for task in view["roadmap"]["tasks"]]
    said += [task for group in view["roadmap"]["later"] for task in group["tasks"]] + view["roadmap"]["done"]
    return said


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_text_report_prints_what_the_view_shows(path: Path, lang: Lang) -> None:
    diagnosis = diagnose(parse_assessment(path.read_bytes(), CONTENT), CONTENT)
    view = build_view(diagnosis, CONTENT, lang, translator(lang))
    text = _flat(render_text(diagnosis, CONTENT, lang))
    assert [words for words in map(_flat, _said(view)) if words not in text] == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_change_since_last_time_is_the_views(lang: Lang) -> None:
    before, after = run(BEFORE), run(AFTER)
    since = since_last(before, after, CONTENT, lang)
    text = render_text(after, CONTENT, lang, previous=before)
    assert since["items"] and since["tasks_completed"] and since["risks_resolved"]
    for change in since["items"]:
        assert f"{change['text']}: {change['before']} → {change['after']}" in text
    assert all(title in text for title in since["tasks_completed"] + since["risks_resolved"])


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_funnel_change_is_the_views(lang: Lang) -> None:
    from tests.core.test_funnel_comparison import AFTER as FUNNEL_AFTER
    from tests.core.test_funnel_comparison import BEFORE as FUNNEL_BEFORE

    before, after = run(FUNNEL_BEFORE), run(FUNNEL_AFTER)
    rows = since_last(before, after, CONTENT, lang)["funnel"]
    lines = render_text(after, CONTENT, lang, previous=before).splitlines()
    assert len(rows) > 10
    for row in rows:  # one line each: the mark, the KPI, before → after, the change and the verdict in words
        assert any(
            line.strip().startswith(f"{row['icon']} {row['title']}")
            and f"{row['before']} → {row['after']}  ({row['delta']}, {row['verdict']})" in line
            for line in lines
        ), row
