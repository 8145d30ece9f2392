"""A workshop respondent's pages: no account, a private link each (or the workshop's join code), one page per axis.

Each respondent's answers are stored in their own row and saved page by page, so a phone that drops off the
network loses at most the page on screen, and many people answering at once never overwrite one another.
``pages`` holds the answering pages, ``join`` the join code's page, ``join_code`` the form to type the code.
"""

from __future__ import annotations

from assessment.web.respond import department, join, join_code, pages
from assessment.web.respond.blueprint import bp

__all__ = ["bp", "department", "join", "join_code", "pages"]
