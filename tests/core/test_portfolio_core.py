"""The core pieces of the portfolio: ``readiness_scores`` gives exactly the scores ``diagnose`` gives (with and
without respondents, and with a consultant's final answer over their consensus); ``phase_for_size`` names the phase a
head count suits by organisation.yaml; the sparkline draws a point per round and says every figure in words."""

from __future__ import annotations

import re
from typing import Any

import pytest

from assessment import diagnose, load_content, parse_assessment
from assessment.engine.diagnosis import readiness_scores
from assessment.engine.phase import phase_for_size
from assessment.engine.workshop import RespondentAnswers, workshop_document
from assessment.presentation.sparkline import sparkline
from tests.core.builders import ITEM_IDS, build

CONTENT = load_content()


def both(document: dict[str, Any]) -> tuple[Any, Any]:
    parsed = parse_assessment(document, CONTENT)
    return readiness_scores(parsed, CONTENT), diagnose(parsed, CONTENT).scores


@pytest.mark.parametrize(
    "document",
    [
        build(),
        build(**{"checklist.org.mql_definition": "no", "checklist.tools.ma_plan": "partial"}),
        {"version": 1, "client": {"name": "空"}},
    ],
)
def test_the_scores_are_the_diagnosis_scores(document: dict[str, Any]) -> None:
    light, full = both(document)
    assert light == full


def test_the_scores_count_the_respondents_consensus_as_the_diagnosis_does() -> None:
    respondents = [
        RespondentAnswers("marketing", "m", dict.fromkeys(ITEM_IDS, "yes")),
        RespondentAnswers("field_sales", "f", dict.fromkeys(ITEM_IDS, "no")),
        RespondentAnswers("inside_sales", "i", {**dict.fromkeys(ITEM_IDS, "partial"), "org.kpis_defined": "yes"}),
    ]
    base = {"version": 1, "client": {"name": "合意"}, "checklist": {"org.mql_definition": "yes"}}  # a final answer
    light, full = both(workshop_document(base, respondents, CONTENT))
    assert light == full
    assert 0 < light.overall < 100


@pytest.mark.parametrize(
    ("employees", "phase"), [(None, None), (1, 1), (29, 1), (30, 2), (99, 2), (100, 3), (299, 3), (300, 4), (10**6, 4)]
)
def test_the_phase_a_head_count_suits(employees: int | None, phase: int | None) -> None:
    assert phase_for_size(CONTENT.organisation.phases, employees) == phase


def test_the_sparkline_draws_each_round_and_names_every_figure() -> None:
    svg = sparkline([40.0, 47.0, 100.0], "第1回 40, <第2回> 47, 第3回 100", "#1f4e79")
    assert svg.startswith("<svg") and svg.endswith("</svg>") and 'role="img"' in svg
    assert 'aria-label="第1回 40, &lt;第2回&gt; 47, 第3回 100"' in svg  # escaped: the name is a round's title
    points = re.search(r'points="([^"]+)"', svg)
    assert points is not None
    ys = [float(pair.split(",")[1]) for pair in points.group(1).split()]
    assert len(ys) == 3 and ys[0] > ys[1] > ys[2]  # higher scores higher up
    assert sparkline([50.0], "one", "#000000") == ""
