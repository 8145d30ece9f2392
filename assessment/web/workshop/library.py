"""The firm's library of narrative snippets: reusable passages of a proposal, each in one language.

Every consultant of the firm reads the library and may add to it; a snippet is changed or deleted by its author or
by a firm admin. A snippet of another firm is a 404, exactly like an id that does not exist."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from assessment.vocabulary import LANGS, Lang
from assessment.web.models import Consultant, Snippet, db

MAX_TITLE = 200
MAX_BODY = 5000


def _firm() -> int:
    return int(current_user.firm_id)


def snippets(lang: Lang | None = None) -> list[Snippet]:
    """The firm's snippets (in ``lang`` only, when given): Japanese first, then by title."""
    query = db.select(Snippet).where(Snippet.firm_id == _firm())
    if lang is not None:
        query = query.where(Snippet.lang == lang)
    found = list(db.session.execute(query).scalars())
    order = {code: index for index, code in enumerate(LANGS)}
    return sorted(found, key=lambda s: (order.get(s.lang, len(LANGS)), s.title.casefold(), s.id))


def firm_snippet(snippet_id: int) -> Snippet:
    """The firm's snippet ``snippet_id``, else 404."""
    snippet = db.session.get(Snippet, snippet_id)
    if snippet is None or snippet.firm_id != _firm():
        abort(404)
    return snippet


def may_change(snippet: Snippet) -> bool:
    """Whether the signed-in consultant may edit or delete the snippet: its author, or a firm admin."""
    return snippet.created_by == int(current_user.id) or bool(current_user.is_firm_admin)


def require_change(snippet: Snippet) -> None:
    """Only the author or a firm admin changes a snippet: a 403 for a colleague (who can see it)."""
    if not may_change(snippet):
        abort(403)


def add(lang: Lang, title: str, body: str) -> Snippet:
    """Add a snippet to the firm's library, written by the signed-in consultant."""
    snippet = Snippet(firm_id=_firm(), lang=lang, title=title, body=body, created_by=int(current_user.id))
    db.session.add(snippet)
    db.session.commit()
    return snippet


def change(snippet: Snippet, lang: Lang, title: str, body: str) -> None:
    """Store a snippet's new language, title and text."""
    snippet.lang, snippet.title, snippet.body = lang, title, body
    db.session.commit()


def remove(snippet: Snippet) -> None:
    """Delete a snippet for good."""
    db.session.delete(snippet)
    db.session.commit()


def authors(found: list[Snippet]) -> dict[int, str]:
    """The name (or email) of each snippet's author, by consultant id (one query)."""
    ids = {s.created_by for s in found if s.created_by is not None}
    if not ids:
        return {}
    rows = db.session.execute(db.select(Consultant.id, Consultant.name, Consultant.email).where(Consultant.id.in_(ids)))
    return {int(i): str(name or email) for i, name, email in rows}
