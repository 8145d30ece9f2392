"""The consensus page's autosave: each item is saved on its own as soon as it is set (``consensus.js``), so leaving
the long page loses nothing. A save is conditional on what the page showed for that item (``was``) and on the row's
revision (``store.update``): two consultants' tabs never silently overwrite each other, the second is told."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from assessment.web import current, store
from assessment.web.models import Engagement
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.consensus import checked_item, merge_item, stored_item
from assessment.web.workshop.owned import owned


@bp.post("/engagements/<int:engagement_id>/consensus/item")
@owned
def consensus_item(engagement: Engagement) -> Any:
    """Save one item's final answer and note; JSON: saved (200), conflict (409), invalid (422), not saved (503)."""
    FlaskForm().validate_on_submit() or abort(400)
    item_id = request.form.get("item", "")
    if item_id not in {item.id for item in current.content().checklist.items}:
        return _answer(422, state="invalid", message=_("Unknown checklist item."))
    (final, note), error = checked_item(request.form.get("final", ""), request.form.get("note", ""))
    if error:
        return _answer(422, state="invalid", message=error)
    was = request.form.get("was-final"), request.form.get("was-note")
    assessment = ws.assessment_of(engagement)

    def change(read: store.Stored) -> tuple[dict[str, Any], dict[str, Any], bool]:
        document = read.document
        return document, read.drafts, merge_item(document, item_id, (final, note), was)

    try:
        saved, conflict = store.update(assessment.token, change, loaded=assessment)
    except store.NotSaved:
        response = _answer(503, state="failed", message=_("Could not be saved"))
        response.headers.update(store.NOT_SAVED_HEADERS)
        return response
    stored_final, stored_note = stored_item(saved.document, item_id)
    if conflict:
        message = _(
            "Changed by someone else meanwhile. Stored now: %(theirs)s. You chose: %(mine)s.",
            theirs=_described(stored_final, stored_note), mine=_described(final, note),
        )  # fmt: skip
        return _answer(409, state="conflict", final=stored_final, note=stored_note, message=message)
    return _answer(200, state="saved", final=stored_final, note=stored_note)


def _described(final: str, note: str) -> str:
    labels = current.content().checklist.answer_labels
    said = labels[final].get(current.lang()) if final else _("the proposed consensus")
    return said + (f" / {note}" if note else "")


def _answer(status: int, **body: str) -> Any:
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
