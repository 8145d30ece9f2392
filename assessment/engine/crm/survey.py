"""The CRM figures as the survey's funnel figures, and written into an assessment file's ``survey.funnel``.

Only figures the survey has are given (its ``funnel`` in ``questionnaires/survey.yaml``), each as the survey
holds it: a count as a whole number per month, yen as whole yen, days and hours to one decimal, a rate in
percent to two, inside the figure's bounds. The rest of the assessment file stays as it was.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessment.content.model import Content, FunnelFigure
from assessment.engine.crm.funnel import CrmFunnel

_DECIMALS = {"percent": 2, "days": 1, "hours": 1}


@dataclass(frozen=True)
class Change:
    """One figure of ``survey.funnel`` as it was (None: not given) and as the CRM gives it."""

    figure: str
    before: Any
    after: int | float


def survey_values(funnel: CrmFunnel, content: Content) -> dict[str, int | float]:
    """The computed figures the survey has, each rounded as the survey holds it."""
    specs = {f.id: f for f in content.survey.funnel}
    return {f.id: _as_survey(f.value, specs[f.id]) for f in funnel.figures if f.id in specs}


def _as_survey(value: float, spec: FunnelFigure) -> int | float:
    if spec.min is not None:
        value = max(value, spec.min)
    if spec.max is not None:
        value = min(value, spec.max)
    if spec.integer or spec.unit in ("count", "yen"):
        return math.floor(value + 0.5)
    rounded = round(value, _DECIMALS.get(spec.unit, 1))
    return int(rounded) if rounded.is_integer() else rounded


def with_funnel(document: Mapping[str, Any], values: Mapping[str, int | float]) -> tuple[dict[str, Any], list[Change]]:
    """A copy of an assessment document with ``values`` in ``survey.funnel``, and what changed there.

    A figure already given with the same value is no change; every other key of the document is kept as it was.
    """
    updated = copy.deepcopy(dict(document))
    survey = updated.get("survey")
    if not isinstance(survey, dict):
        survey = updated["survey"] = {}
    funnel = survey.get("funnel")
    if not isinstance(funnel, dict):
        funnel = survey["funnel"] = {}
    changes = []
    for figure, value in values.items():
        before = funnel.get(figure)
        if before != value:
            changes.append(Change(figure, before, value))
        funnel[figure] = value
    return updated, changes
