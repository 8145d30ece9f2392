"""The consensus discussion for the projector: one item at a time in large type, the perception gaps first, with
the departments' spread, the proposed consensus, the final answer once set and the participants' comments,
never a name; a department too small to stand alone is merged into "other" as on the live screen
(``engine.discussion``). Keys and timer as in presentation mode (static/present.js)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from assessment.engine.anonymity import anonymous, department_groups
from assessment.engine.discussion import discussion_items
from assessment.engine.wording import role_label
from assessment.engine.workshop import decisions, perception_of, responses_of
from assessment.presentation.view.perception import item_comments
from assessment.presentation.view.words import answer_labels
from assessment.web import current
from assessment.web.models import Engagement
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.live import minimum_per_department
from assessment.web.workshop.owned import owned
from assessment.web.workshop.stage import DISCUSSION_SECONDS


@bp.get("/engagements/<int:engagement_id>/discussion")
@owned
def discussion(engagement: Engagement) -> Any:
    """The consensus discussion, projected: the items under discussion, anonymous, the perception gaps first."""
    content, lang = current.content(), current.lang()
    people = ws.answers_of(engagement)
    responses = responses_of(people)
    minimum = minimum_per_department()
    groups = department_groups(responses, content.survey.roles, minimum)
    settled = decisions(perception_of(people, content), ws.assessment_of(engagement).document)
    return render_template(
        "workshop/discussion.html", engagement=engagement,
        items=discussion_items(responses, groups, settled, content.checklist, content.survey.roles),
        statements={item.id: item for item in content.checklist.items}, broken_down=bool(groups), minimum=minimum,
        comments=item_comments(anonymous(responses, groups), content, lang), respondents=len(responses),
        role=lambda r: role_label(r, content, lang), answer_labels=answer_labels(content),
        seconds=DISCUSSION_SECONDS,
    )  # fmt: skip
