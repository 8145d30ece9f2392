"""How far a workshop round's survey link (the company profile and the funnel figures) has been filled in.

Read from the stored document as it is (a raw mapping, before parsing), so a half-typed survey counts what is
there: a field or a funnel figure counts once it holds something (a figure as typed counts too)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessment.content.model import Survey

PROFILE_KEYS = ("employees", "industry")  # the client's own fields (its name comes with the round)


@dataclass(frozen=True)
class SurveyProgress:
    """Profile fields and funnel figures filled in, each out of how many there are."""

    profile: int
    profile_total: int
    figures: int
    figures_total: int

    @property
    def started(self) -> bool:
        """Whether anything has been filled in."""
        return self.profile + self.figures > 0

    @property
    def complete(self) -> bool:
        """Whether every profile field and every funnel figure is there."""
        return self.profile == self.profile_total and self.figures == self.figures_total


def _filled(value: Any) -> bool:
    """Something is there: a number, or text as typed (the web form keeps a figure as typed, "1,200")."""
    return value is not None and not isinstance(value, bool) and not (isinstance(value, str) and not value.strip())


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def survey_progress(document: Mapping[str, Any], survey: Survey) -> SurveyProgress:
    """Count the profile fields (the client's size and industry, each department's staffing, each tool's status:
    not its name, filled in when the round is made) and the funnel figures the survey link holds."""
    client = _mapping(document.get("client"))
    answers = _mapping(document.get("survey"))
    departments, tools = _mapping(answers.get("departments")), _mapping(answers.get("tools"))
    funnel = _mapping(answers.get("funnel"))
    profile = (
        sum(_filled(client.get(key)) for key in PROFILE_KEYS)
        + sum(_filled(departments.get(d.id)) for d in survey.departments)
        + sum(_filled(tools.get(t.id)) for t in survey.tools)
    )
    figures = sum(_filled(funnel.get(f.id)) for f in survey.funnel)
    return SurveyProgress(
        profile=profile,
        profile_total=len(PROFILE_KEYS) + len(survey.departments) + len(survey.tools),
        figures=figures,
        figures_total=len(survey.funnel),
    )
