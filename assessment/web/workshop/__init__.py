"""The consultant's workshop: clients, diagnosis rounds, invite links, consensus, results, proposals, exports and
the live screen. Every page needs a signed-in consultant; ``owned`` looks each id of a route up once, through
``store``, which answers 404 for anything that belongs to another consultant.

Modules: ``clients``, ``rounds`` (a round's home and its links), ``consensus`` (and ``consensus_items``, its
autosave, and ``discussion``, its projected view), ``results``, ``proposals``, ``exports``, ``live`` (and
``stage``, its presentation mode), ``logistics`` (the handout, the survey deadline and how far the survey link
is filled in), ``edits`` (a round's title and date, a respondent's department), ``removal`` (archive, delete),
``mail_pages`` (invitations and reminders by email, sent by ``mailing``), ``profile`` (a client's industry, size
and next round due), ``portfolio`` (every client at a glance; ``scoreboard`` scores their rounds), ``snippets``
(the firm's library of narrative passages; ``library`` keeps them), ``preview`` (the proposal in the browser),
``sharing`` (a client shared with colleagues of the firm, by ``shares``); ``forms``, ``store``, ``changes``,
``access`` and ``audit`` serve them.
"""

from __future__ import annotations

from assessment.web.workshop import (
    clients,
    consensus,
    consensus_items,
    discussion,
    edits,
    exports,
    live,
    logistics,
    mail_pages,
    portfolio,
    preview,
    profile,
    proposals,
    removal,
    results,
    rounds,
    sharing,
    snippets,
    stage,
)  # fmt: skip
from assessment.web.workshop.blueprint import bp

__all__ = [
    "bp", "clients", "consensus", "consensus_items", "discussion", "edits", "exports", "live", "logistics",
    "mail_pages", "portfolio", "preview", "profile", "proposals", "removal", "results", "rounds", "sharing", "snippets",
    "stage",
]  # fmt: skip
