"""The workshop's short link and QR code: a participant picks a department and gets a private link of their own."""

from __future__ import annotations

import secrets
from typing import Any

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from assessment.engine.answering_time import minutes_to_answer
from assessment.engine.wording import role_label
from assessment.web import current
from assessment.web.app_form import AppForm
from assessment.web.forms import single_line
from assessment.web.models import Respondent, token_shaped
from assessment.web.respond.blueprint import bp, per_link
from assessment.web.security import limiter
from assessment.web.workshop import lifecycle
from assessment.web.workshop import respondents as rs
from assessment.web.workshop import store as ws
from assessment.web.workshop.forms import department_choices

JOIN_LINK_DAYS = 7
JOINS_PER_BROWSER = 5  # respondents one browser may create in a round (a shared tablet makes a few)


class JoinForm(AppForm):
    """Who is answering: department (chosen: nothing is picked for them) and, optionally, a name; ``key`` makes
    sending the form twice harmless."""

    department = SelectField(
        lazy_gettext("Your department"),
        validators=[DataRequired(message=lazy_gettext("Please choose your department."))],
    )
    name = StringField(
        lazy_gettext("Your name (optional)"), validators=[Optional(), Length(max=200)], filters=[single_line]
    )
    key = HiddenField()  # never an error the person could not see: a key that is not ours is ignored


@bp.route("/j/<code>", methods=["GET", "POST"])
@limiter.limit("200 per minute", methods=["POST"], key_func=per_link)
# per address: one office's NAT may carry several rooms' phones at once (3 rounds x 30 phones came to 90 a minute)
@limiter.limit("300 per minute;1000 per hour", methods=["POST"])
def join(code: str) -> Any:
    """The workshop's short link and QR code: pick a department, get a private link of one's own."""
    engagement = ws.engagement_by_join_code(code)
    if lifecycle.is_closed(engagement):
        return lifecycle.closed_page(engagement)
    if not engagement.join_open:
        return render_template("respond/link_closed.html", state="closed"), 410
    form = JoinForm()
    form.department.choices = [("", _("Please choose")), *department_choices()]  # empty first: nothing pre-picked
    if form.validate_on_submit():
        key = str(form.key.data) if token_shaped(form.key.data or "") else ""
        joined = _joins_from_this_browser(engagement.id)
        if joined >= JOINS_PER_BROWSER and not rs.joined_with_key(engagement, key):
            return render_template("respond/link_closed.html", state="too_many_joins"), 429
        try:
            respondent = rs.invite(
                engagement, form.department.data or "other", form.name.data or "", JOIN_LINK_DAYS, key
            )
        except rs.RoundFull:
            return render_template("respond/link_closed.html", state="full"), 409
        _remember(engagement.id, respondent.token)
        return redirect(url_for("respond.start", token=respondent.token))
    if not token_shaped(form.key.data or ""):
        form.key.data = secrets.token_urlsafe(16)
    status = 422 if request.method == "POST" else 200
    joined_as = _joined(engagement.id)
    department = role_label(joined_as.department, current.content(), current.lang()) if joined_as else ""
    statements = len(current.content().checklist.items)
    return render_template(
        "respond/join.html", form=form, code=engagement.join_code, joined=joined_as, joined_department=department,
        statements=statements, minutes=minutes_to_answer(statements),
    ), status  # fmt: skip


def _remember(engagement_id: int, token: str) -> None:
    """Keep this browser's link for the workshop, so scanning the code again offers to continue; count the
    respondents this browser has created in it."""
    joined = {k: v for k, v in (session.get("joined") or {}).items() if k != str(engagement_id)}
    session["joined"] = dict([*list(joined.items())[-4:], (str(engagement_id), token)])
    counts = {k: v for k, v in (session.get("joins") or {}).items() if k != str(engagement_id)}
    session["joins"] = dict(
        [*list(counts.items())[-4:], (str(engagement_id), _joins_from_this_browser(engagement_id) + 1)]
    )


def _joins_from_this_browser(engagement_id: int) -> int:
    """How many respondents this browser has created in the workshop (one tablet passed round makes several)."""
    count = (session.get("joins") or {}).get(str(engagement_id), 0)
    return count if isinstance(count, int) else JOINS_PER_BROWSER


def _joined(engagement_id: int) -> Respondent | None:
    """The respondent this browser joined as, while their link is still open."""
    token = (session.get("joined") or {}).get(str(engagement_id))
    if not isinstance(token, str):
        return None
    respondent = rs.find_respondent(token)
    if respondent is None or respondent.engagement_id != engagement_id or rs.link_state(respondent) != "open":
        return None
    return respondent
