"""A firm admin's pages: the firm's accounts (add, change role, deactivate, reactivate), handing a leaver's clients
to a colleague, and the firm's own look (name, accent colour, logo) on its pages and proposals.

Every page needs a signed-in admin (``blueprint``); an account id of another firm is a 404, exactly like an id
that does not exist. ``roster`` holds the accounts' rules, ``handover`` the transfer of clients, ``logo`` the
check of an uploaded logo; ``accounts``, ``transfer`` and ``look`` are the pages, ``forms`` their forms.
"""

from __future__ import annotations

from assessment.web.firm import accounts, look, transfer
from assessment.web.firm.blueprint import bp

__all__ = ["accounts", "bp", "look", "transfer"]
