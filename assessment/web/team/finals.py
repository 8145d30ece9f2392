"""The manager sets the final answers: per statement each department's view and the proposed consensus (chosen to
start with), the manager's own answer, and what they settle on. Nothing is overwritten unseen: the changes to
the manager's answers are shown first, then saved through the store's conditional update; an answer changed
elsewhere meanwhile (another tab, the questionnaire) is kept and shown as a conflict, as on the workshop's
consensus page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from assessment.engine.workshop import answer_changes, proposed_final
from assessment.vocabulary import ANSWERS
from assessment.web import current, store
from assessment.web.merge import three_way
from assessment.web.models import SelfAssessment
from assessment.web.security import limiter
from assessment.web.team.blueprint import bp, managed, per_diagnosis
from assessment.web.team.section import team_section

Wanted = dict[str, str | None]


@bp.route("/a/<token>/team/final", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"], key_func=per_diagnosis)
@managed
def finals(row: SelfAssessment) -> Any:
    """The final answers: a form (``preview`` shows what would change), then ``save`` writes the changes."""
    action = request.form.get("action", "")
    if request.method == "GET" or g.get("csrf_failed") or action == "edit":
        return _page(row)
    FlaskForm().validate_on_submit() or abort(400)
    wanted, errors = _posted()
    if errors:
        return _page(row, errors=errors), 422
    if action == "save":
        try:
            _saved, (changed, conflicts) = store.update(
                row.token, lambda read: _merge(read, wanted), survey_only_too=False, loaded=row
            )
        except store.NotSaved:
            return _page(row, not_saved=True), 503, store.NOT_SAVED_HEADERS
        if conflicts:
            return _page(row, conflicts=conflicts), 409
        flash(ngettext("%(num)s answer changed.", "%(num)s answers changed.", changed) if changed
              else _("Nothing changed: your answers already matched."))  # fmt: skip
        return redirect(url_for("diagnosis.results_page", token=row.token) + "#team-views")
    return _page(row, changes=answer_changes(row.document, wanted), carried=wanted)


def _posted() -> tuple[Wanted, dict[str, str]]:
    """The final answer sent per statement ("" clears it); a statement not sent is left as it is."""
    wanted: Wanted = {}
    errors: dict[str, str] = {}
    for item in current.content().checklist.items:
        value = request.form.get(f"final-{item.id}")
        if value is None:
            continue
        if value not in ("", *ANSWERS):
            errors[item.id] = _("Choose one of the answers offered.")
        else:
            wanted[item.id] = value or None
    return wanted, errors


def _merge(read: store.Stored, wanted: Wanted) -> tuple[dict[str, Any], dict[str, Any], tuple[int, dict[str, str]]]:
    """Write each answer the manager changed from what their page showed; one changed elsewhere meanwhile to
    something else is kept and reported (a conflict), never overwritten. Only the checklist is touched."""
    document = read.document
    checklist = document.setdefault("checklist", {})
    changed, conflicts = 0, {}
    for item_id, mine in wanted.items():
        stored = checklist.get(item_id) if checklist.get(item_id) in ANSWERS else ""
        merged = three_way(stored, request.form.get(f"was-{item_id}"), mine or "")
        if merged.conflict:
            conflicts[item_id] = mine or ""
        if merged.value != stored:
            changed += 1
            if merged.value:
                checklist[item_id] = merged.value
            else:
                checklist.pop(item_id, None)
    return document, read.drafts, (changed, conflicts)


def _page(
    row: SelfAssessment, errors: dict[str, str] | None = None, conflicts: dict[str, str] | None = None,
    changes: tuple[Any, ...] = (), carried: Wanted | None = None, not_saved: bool = False,
) -> str:  # fmt: skip
    """The form (the proposals chosen, or what was sent), or the preview of the changes with exactly the answers
    that were sent (``carried``: what saving will write); after a conflict, the stored answers with the manager's
    choices beside them."""
    team = team_section(row)
    posted = request.form if request.method == "POST" and not conflicts else {}
    start = {d.item_id: (d.final if conflicts else proposed_final(d)) or "" for d in team["decisions"]}
    chosen = {item_id: posted.get(f"final-{item_id}", answer) for item_id, answer in start.items()}
    was = {
        d.item_id: posted.get(f"was-{d.item_id}", d.final or "") if posted else (d.final or "")
        for d in team["decisions"]
    }
    return render_template(
        "team/finals.html", row=row, team=team, chosen=chosen, was=was, errors=errors or {},
        conflicts=conflicts or {}, changes=changes, previewed=carried is not None, not_saved=not_saved,
        carried={item_id: answer or "" for item_id, answer in (carried or {}).items()},
        csrf_failed=g.get("csrf_failed", False), form=FlaskForm(), lang_base=url_for("team.finals", token=row.token),
    )  # fmt: skip
