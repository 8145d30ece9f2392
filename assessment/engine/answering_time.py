"""How long answering the checklist takes: one figure per statement, shared by every page that says so (the join
page, the handout, and the questionnaire's "about m min left")."""

from __future__ import annotations

import math

SECONDS_PER_STATEMENT = 20  # reading one statement and choosing an answer


def minutes_to_answer(statements: int) -> int:
    """The minutes ``statements`` take, rounded up (20 statements: 7 minutes)."""
    return math.ceil(max(0, statements) * SECONDS_PER_STATEMENT / 60)
