"""The projector screen: the join QR code and short link, participation and answers updating as they arrive."""

from __future__ import annotations

from typing import Any

import segno
from flask import current_app, render_template, url_for

from assessment.engine.anonymity import department_groups, group_distribution, round_gaps
from assessment.engine.wording import role_label
from assessment.engine.workshop import distribution, participation, responses_of
from assessment.web import current
from assessment.web.models import Engagement
from assessment.web.security import limiter
from assessment.web.workshop import lifecycle
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.owned import owned


@bp.get("/engagements/<int:engagement_id>/live")
@owned
def live(engagement: Engagement) -> Any:
    """The projector screen: join QR code and short link, participation and answers updating as they arrive."""
    join_url = url_for("respond.join", code=engagement.join_code, _external=True)
    # a closed round takes nobody new: no QR code or join code is projected (the screen says it is closed)
    qr = (
        ""
        if lifecycle.is_closed(engagement)
        else segno.make(join_url, error="m").svg_inline(scale=8, dark="#1f2937", omitsize=True)
    )
    return render_template(
        "workshop/live.html", engagement=engagement, join_url=join_url, qr=qr, state=live_state_of(engagement),
        items=current.content().checklist.items,
    )  # fmt: skip


@bp.get("/engagements/<int:engagement_id>/live.json")
@limiter.exempt  # polled every few seconds by the projector screen
@owned
def live_state(engagement: Engagement) -> Any:
    """What the live screen shows, as JSON (polled)."""
    response = current_app.json.response(live_state_of(engagement))
    response.headers["Cache-Control"] = "no-store"
    return response


def minimum_per_department() -> int:
    """How many respondents a department needs before its answers are shown apart (READINESS_MIN_DEPARTMENT_...)."""
    return max(1, int(current_app.config.get("READINESS_MIN_DEPARTMENT_RESPONDENTS", 3)))


def live_state_of(engagement: Engagement) -> dict[str, Any]:
    """Participation by department, the answers per item (overall, and per department where anonymity allows),
    the items with a perception gap between the real departments (the consensus page's, whatever anonymity
    merges for display), the join link's state.

    The departments are lists in THE MODEL's order: a JSON object's keys would be sorted by the JSON provider,
    which put them in kana order after the screen's first poll. The per-department answers are made here, on
    the server, by ``engine.anonymity``: a department under the minimum never appears in the JSON (headcounts of
    who joined do: the room sees who is there, not what they answered)."""
    content, lang = current.content(), current.lang()
    people = ws.answers_of(engagement)
    minimum = minimum_per_department()
    responses = responses_of(people)
    groups = department_groups(responses, content.survey.roles, minimum)
    counts = participation(people, len(content.checklist.items), content.survey.roles)
    counts["by_department"] = [
        {"department": role, "label": role_label(role, content, lang), "count": n}
        for role, n in counts["by_department"].items()
    ]
    by_group = group_distribution(groups, content)
    items = distribution(people, content)
    for row in items:
        row["by_department"] = [
            group | {"label": role_label(str(group["department"]), content, lang)} for group in by_group[row["item"]]
        ]
    return {
        "participation": counts,
        "minimum": minimum,
        "departments": [
            {"department": g.department, "label": role_label(g.department, content, lang), "people": len(g.members)}
            for g in groups
        ],
        "items": items,
        "gaps": round_gaps(responses, content),  # the real departments' gaps, as on the consensus page
        "join_open": engagement.join_open,
        "closed": lifecycle.is_closed(engagement),  # the round is closed: the screen hides the join code, says so
    }
