"""The consultant's workshop: clients, diagnosis rounds, invite links, consensus, results, proposals, exports and
the live screen. Every page needs a signed-in consultant; ``owned`` looks each id of a route up once, through
``store``, which answers 404 for anything that belongs to another consultant.

Modules: ``clients``, ``rounds`` (a round's home and its links), ``consensus``, ``results``, ``proposals``,
``exports``, ``live``; ``forms`` and ``store`` serve them.
"""

from __future__ import annotations

from flask import Blueprint

from assessment.web.accounts.sessions import login_required

bp = Blueprint("workshop", __name__)


@bp.before_request
@login_required
def require_consultant() -> None:
    """Every page here is a consultant's."""


from assessment.web.workshop import clients, consensus, exports, live, proposals, results, rounds  # noqa: E402, F401
