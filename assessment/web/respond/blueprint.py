"""The respondents' blueprint, and the one lookup of a respondent's link per request.

A respondent is a workshop participant or a colleague a manager invited (``team``): the same pages, with the
words of their situation; a colleague sees the company's name and nothing else of the manager's diagnosis."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, render_template, request

from assessment.web.models import Respondent
from assessment.web.responses import company_of
from assessment.web.workshop import lifecycle
from assessment.web.workshop import respondents as rs

bp = Blueprint("respond", __name__)


def open_link(view: Callable[..., Any]) -> Callable[..., Any]:
    """Look the link's respondent up once per request and hand it to ``view``; a revoked or expired link, or a
    link of a round the consultant has closed, is answered with 410 and why, an unknown one with 404."""

    @wraps(view)
    def with_respondent(token: str, **kwargs: Any) -> Any:
        respondent: Respondent = rs.respondent_by_token(token)
        state = rs.link_state(respondent)
        if state != "open":
            return render_template("respond/link_closed.html", state=state, **audience(respondent)), 410
        if rs.round_closed(respondent):
            return closed_round(respondent)
        return view(respondent, **kwargs)

    return with_respondent


def closed_round(respondent: Respondent) -> tuple[str, int]:
    """The page of a link whose round is closed: the answers are kept, whom to ask."""
    return lifecycle.closed_page(lifecycle.round_of(respondent))


def audience(respondent: Respondent) -> dict[str, Any]:
    """Whom the respondent answers for: ``team`` (a manager's colleague, not a workshop) and the ``company``; a
    workshop round's survey ``deadline`` while it is ahead (shown as a request: it does not close their link)."""
    row = rs.team_of(respondent)
    engagement = lifecycle.round_of(respondent)
    ahead = engagement is not None and not lifecycle.deadline_over(engagement)
    return {
        "team": row is not None, "company": company_of(row.document) if row is not None else "",
        "deadline": lifecycle.deadline_text(engagement) if ahead else "",
    }  # fmt: skip


def per_link() -> str:
    """Workshop participants share the venue's Wi-Fi, so one address is many people: limit per link instead."""
    args = request.view_args or {}
    return str(args.get("token") or args.get("code") or request.remote_addr)
