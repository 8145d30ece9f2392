"""A manager's team: colleagues invited to answer the checklist for their department, without a consultant.

The manager's diagnosis (a self-assessment behind its private link) gets a private answering link per
department or per person. The colleagues answer on the workshop's respondent pages (``respond``), and their
links have the workshop links' guarantees (``workshop.respondents``). Their answers are aggregated by the same
core as a workshop round (``engine.workshop``, ``engine.perception``).

Modules: ``links`` (the team page: create, revoke, extend), ``finals`` (the manager sets the final answers),
``section`` (the team's views on the results page, and the diagnosis's document with them).
"""

from __future__ import annotations

from assessment.web.team import finals, links
from assessment.web.team.blueprint import bp

__all__ = ["bp", "finals", "links"]
