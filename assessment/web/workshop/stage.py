"""Presentation mode of the live screen: one item at a time in large type, the departments' answers and the
participants' comments revealed when the consultant chooses, a discussion timer (static/present.js)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from assessment.engine.anonymity import anonymous, department_groups
from assessment.engine.workshop import responses_of
from assessment.presentation.view.perception import item_comments
from assessment.web import current
from assessment.web.models import Engagement
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.live import live_state_of, minimum_per_department
from assessment.web.workshop.owned import owned

DISCUSSION_SECONDS = 180  # the timer's default: three minutes of discussion per item


@bp.get("/engagements/<int:engagement_id>/present")
@owned
def present(engagement: Engagement) -> Any:
    """One item at a time, numbered as in the results, for the projector."""
    content, lang = current.content(), current.lang()
    responses = responses_of(ws.answers_of(engagement))
    groups = department_groups(responses, content.survey.roles, minimum_per_department())
    # A comment carries its group's name (a small department's is "other"), and none without a breakdown.
    return render_template(
        "workshop/present.html", engagement=engagement, state=live_state_of(engagement),
        items=content.checklist.items, comments=item_comments(anonymous(responses, groups), content, lang),
        seconds=DISCUSSION_SECONDS,
    )  # fmt: skip
