"""The team pages' blueprint, and their one lookup per request: the manager's token and a respondent id of theirs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, request

from assessment.web import store
from assessment.web.workshop import respondents as rs

bp = Blueprint("team", __name__)


def managed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn ``token`` into the manager's self-assessment ``row`` (404 for an unknown token and for a workshop's
    survey-only link) and ``respondent_id`` into one of its ``respondent``s (404 for anyone else's)."""

    @wraps(view)
    def with_row(token: str, **ids: Any) -> Any:
        row = store.find(token)
        objects: dict[str, Any] = {"row": row}
        if "respondent_id" in ids:
            objects["respondent"] = rs.owned_respondent(row, ids.pop("respondent_id"))
        return view(**objects, **ids)

    return with_row


def per_diagnosis() -> str:
    """Rate limits of the team pages count per diagnosis (its token), not per address."""
    return str((request.view_args or {}).get("token") or request.remote_addr)
