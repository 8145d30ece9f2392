"""Consensus: per checklist item, the answers by department, the proposed consensus, and the consultant's final
answer and note. Two consultants editing at once never overwrite each other: a conflict is shown, not lost."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from assessment.engine.assessment_file import MAX_COMMENT, has_control_characters, unix_newlines
from assessment.engine.wording import role_label
from assessment.engine.workshop import decisions, perception_of, responses_of, set_final_answer
from assessment.presentation.view.perception import item_comments
from assessment.presentation.view.words import answer_labels
from assessment.vocabulary import ANSWERS
from assessment.web import current, store
from assessment.web.merge import three_way
from assessment.web.models import Engagement
from assessment.web.wording import control_character_message
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.owned import owned


@bp.route("/engagements/<int:engagement_id>/consensus", methods=["GET", "POST"])
@owned
def consensus(engagement: Engagement) -> Any:
    """Per item: answers by department, the proposed consensus, and the consultant's final answer and note."""
    assessment = ws.assessment_of(engagement)
    errors: dict[str, str] = {}
    conflicts: dict[str, dict[str, str]] = {}
    document = assessment.document
    if request.method == "POST" and not g.get("csrf_failed"):
        FlaskForm().validate_on_submit() or abort(400)
        if engagement.closed_at is not None:  # read-only while closed (the save itself checks it again)
            return _consensus_page(engagement, document, {}, {}, refused=True)
        wanted, errors = _posted_finals()
        if not errors:
            try:
                saved, conflicts = store.update(
                    assessment.token, lambda read: _merge_finals(read, wanted), loaded=assessment
                )
            except store.NotSaved:
                return _consensus_page(engagement, assessment.document, errors, conflicts, not_saved=True)
            except store.Closed:  # closed between showing the form and sending it
                return _consensus_page(engagement, assessment.document, {}, {}, refused=True)
            document = saved.document
            if not conflicts:
                flash(_("The final answers have been saved."))
                names = "1" if request.args.get("names") == "1" else None  # the consultant's choice stays
                return redirect(url_for("workshop.consensus", engagement_id=engagement.id, names=names))
    return _consensus_page(engagement, document, errors, conflicts)


def _posted_finals() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """The final answer and note sent for each item, and the items whose value cannot be stored, with why."""
    wanted: dict[str, tuple[str, str]] = {}
    errors: dict[str, str] = {}
    for item in current.content().checklist.items:
        value, error = checked_item(request.form.get(f"final-{item.id}", ""), request.form.get(f"note-{item.id}", ""))
        if error:
            errors[item.id] = error
        else:
            wanted[item.id] = value
    return wanted, errors


def checked_item(final: str, note: str) -> tuple[tuple[str, str], str]:
    """One item's final answer and note as they are stored, and why they cannot be ("" when they can)."""
    note = unix_newlines(note).strip()
    if final not in ("", *ANSWERS):
        return (final, note), _("Choose one of the answers offered.")
    if len(note) > MAX_COMMENT:
        return (final, note), _("The note is too long (at most %(n)s characters).", n=MAX_COMMENT)
    if has_control_characters(note):
        return (final, note), control_character_message()
    return (final, note), ""


def _merge_finals(
    read: Any, wanted: dict[str, tuple[str, str]]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, dict[str, str]]]:
    """Write each final answer and note this consultant changed; one someone else changed meanwhile is kept
    and reported as a conflict (with both values), never overwritten."""
    document = read.document
    conflicts: dict[str, dict[str, str]] = {}
    for item_id, (final, note) in wanted.items():
        was = request.form.get(f"was-final-{item_id}"), request.form.get(f"was-note-{item_id}")
        if merge_item(document, item_id, (final, note), was):
            conflicts[item_id] = {"final": final, "note": note}
    return document, read.drafts, conflicts


def stored_item(document: dict[str, Any], item_id: str) -> tuple[str, str]:
    """The final answer ("" for the proposed consensus) and the note stored for one item."""
    finals, notes = document.get("checklist") or {}, document.get("comments") or {}
    final = str(finals.get(item_id) or "")
    return (final if final in ANSWERS else ""), str(notes.get(item_id) or "")


def merge_item(
    document: dict[str, Any], item_id: str, mine: tuple[str, str], was: tuple[str | None, str | None]
) -> bool:
    """Merge one item's final answer and note into ``document`` (three-way, against what the page showed);
    True when someone else changed it meanwhile (their value is kept)."""
    stored_final, stored_note = stored_item(document, item_id)
    was_note = unix_newlines(was[1]).strip() if was[1] is not None else None
    merged_final = three_way(stored_final, was[0], mine[0])
    merged_note = three_way(stored_note, was_note, mine[1])
    set_final_answer(document, item_id, merged_final.value or None, merged_note.value)
    return merged_final.conflict or merged_note.conflict


def _consensus_page(
    engagement: Engagement, document: dict[str, Any], errors: dict[str, str], conflicts: dict[str, dict[str, str]],
    not_saved: bool = False, refused: bool = False,
) -> Any:  # fmt: skip
    """The consensus page; after a conflict it shows what is stored now, with the consultant's own values beside
    it (their ``was`` values are the stored ones, so sending again means "mine, knowingly"). A closed round's
    is read-only (``refused``: a save was sent anyway, nothing written)."""
    content, lang = current.content(), current.lang()
    people = ws.answers_of(engagement)
    perception = perception_of(people, content)
    show_names = request.args.get("names") == "1"  # the consultant's choice: by default, departments only
    comments = item_comments(responses_of(people), content, lang, names=show_names)
    status = 503 if not_saved else 422 if errors else 409 if conflicts or refused else 200
    posted = request.form if request.method == "POST" and not (conflicts or refused) else {}  # typed values stay
    body = render_template(
        "workshop/consensus.html", engagement=engagement, perception=perception,
        decisions=decisions(perception, document), errors=errors, form=FlaskForm(), conflicts=conflicts,
        items={item.id: item for item in content.checklist.items}, role=lambda r: role_label(r, content, lang),
        numbers={item.id: number for number, item in enumerate(content.checklist.items, start=1)},  # as the results
        answer_labels=answer_labels(content), answers=ANSWERS, posted=posted,
        csrf_failed=g.get("csrf_failed", False), not_saved=not_saved, closed=engagement.closed_at is not None,
        refused=refused, comments=comments, show_names=show_names,
    )  # fmt: skip
    return body, status, (store.NOT_SAVED_HEADERS if not_saved else {})
