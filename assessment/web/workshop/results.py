"""The diagnosis of a round, with the perception gaps and the change since the previous round."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import render_template
from flask_babel import gettext as _

from assessment import diagnose
from assessment.engine.roadmap.calendar import next_monday
from assessment.presentation.charts import DEFAULT_ACCENT
from assessment.presentation.view import build_view, since_last
from assessment.presentation.view.across import TREND_ROUNDS, RoundScores, TrendView, round_scores, trend_view
from assessment.web import current
from assessment.web.models import Engagement
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.documents import round_assessment
from assessment.web.workshop.owned import owned


@bp.get("/engagements/<int:engagement_id>/results")
@owned
def results(engagement: Engagement) -> Any:
    """The diagnosis of the round, with perception gaps and the change since the previous round."""
    content, lang = current.content(), current.lang()
    parsed = round_assessment(engagement)
    diagnosis = diagnose(parsed, content, parsed.plan_start or next_monday(date.today()))
    view = build_view(diagnosis, content, lang, _)
    previous = ws.previous_engagement(engagement)
    since = None
    if previous is not None:
        before = diagnose(round_assessment(previous), content)
        since = since_last(before, diagnosis, content, lang)
    return render_template(
        "workshop/results.html", engagement=engagement, view=view, since=since, previous=previous,
        answered=ws.has_answers(engagement), trend=round_trend(engagement),
    )  # fmt: skip


def round_trend(engagement: Engagement) -> TrendView | None:
    """The scores across the client's rounds up to this one, when there are three or more."""
    scores = trend_scores(engagement)
    return trend_view(scores, current.content(), current.lang(), DEFAULT_ACCENT) if scores else None


def trend_scores(engagement: Engagement) -> list[RoundScores] | None:
    """Each of the client's rounds up to this one with its scores, oldest first, when there are three or more
    (each round as its results show it: a closed round's snapshot, an open round's live answers)."""
    rounds = ws.rounds_so_far(engagement)
    if len(rounds) < TREND_ROUNDS:
        return None
    content = current.content()
    return [
        round_scores(f"{r.title} ({r.held_on.isoformat()})", diagnose(round_assessment(r), content)) for r in rounds
    ]
