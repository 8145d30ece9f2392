"""One lookup-and-authorise step per request: a route's ids become the signed-in consultant's own objects."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from assessment.web.workshop import respondents as rs
from assessment.web.workshop import store as ws


def owned(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn ``client_id``, ``engagement_id``, ``respondent_id`` and ``proposal_id`` into ``client``,
    ``engagement``, ``respondent`` and ``proposal``: each looked up once and checked to be the signed-in
    consultant's (anything else is a 404, exactly like an id that does not exist)."""

    @wraps(view)
    def with_objects(**ids: Any) -> Any:
        objects: dict[str, Any] = {}
        if "client_id" in ids:
            objects["client"] = ws.owned_client(ids.pop("client_id"))
        if "engagement_id" in ids:
            objects["engagement"] = ws.owned_engagement(ids.pop("engagement_id"))
        if "respondent_id" in ids:
            objects["respondent"] = rs.owned_respondent(objects["engagement"], ids.pop("respondent_id"))
        if "proposal_id" in ids:
            objects["proposal"] = ws.owned_proposal(objects["engagement"], ids.pop("proposal_id"))
        return view(**objects, **ids)

    return with_objects
