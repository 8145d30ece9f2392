"""The proposal: the consultant's narrative per section and the plan's start day, and the archive of generated
PDFs (each kept with the exact data it was built from, so what was sent stays as it was)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from flask_login import current_user

from assessment import diagnose
from assessment.engine.assessment_file import (
    MAX_NOTE,
    NOTE_SECTIONS,
    has_control_characters,
    plan_day,
    to_document,
    unix_newlines,
)
from assessment.engine.roadmap.calendar import next_monday
from assessment.web import current, pdf, store
from assessment.web.locale import as_lang
from assessment.web.merge import three_way
from assessment.web.models import Engagement, Proposal
from assessment.web.responses import ASSESSMENT_FILE, REPORT_FILE, company_of, dated_download, preparing
from assessment.web.security import limiter, started_a_render
from assessment.web.wording import control_character_message
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.documents import round_assessment
from assessment.web.workshop.forms import SECTION_TITLES, NarrativeForm
from assessment.web.workshop.owned import owned


@bp.route("/engagements/<int:engagement_id>/proposal", methods=["GET", "POST"])
@owned
def proposal(engagement: Engagement) -> Any:
    """Write the narrative per section; generate proposals; every generated PDF is listed and kept."""
    assessment = ws.assessment_of(engagement)
    errors: dict[str, str] = {}
    conflicts: list[str] = []
    notes = dict(assessment.document.get("notes") or {})
    plan_start = _stored_start(assessment.document)
    if request.method == "POST":
        notes, plan_start, errors = _posted_narrative(notes)
        if not errors and not g.get("csrf_failed"):
            NarrativeForm().validate_on_submit() or abort(400)
            wanted = {**notes, "plan_start": plan_start}
            try:
                saved, conflicts = store.update(  # the narrative stays editable in a closed round: no score reads it
                    assessment.token, lambda read: _merge_narrative(read, wanted), loaded=assessment, closed_too=True
                )
            except store.NotSaved:
                return _proposal_page(engagement, notes, plan_start, errors, [], not_saved=True)
            if not conflicts:
                if request.form.get("action") in ("ja", "en"):
                    return _generate(engagement, request.form["action"])
                flash(_("The narrative has been saved."))
                return redirect(url_for("workshop.proposal", engagement_id=engagement.id))
            notes = dict(saved.document.get("notes") or {})
            plan_start = _stored_start(saved.document)
    return _proposal_page(engagement, notes, plan_start, errors, conflicts)


def _posted_narrative(notes: dict[str, str]) -> tuple[dict[str, str], str, dict[str, str]]:
    """The sections and start day sent, and the ones that cannot be stored, with why."""
    notes = dict(notes)
    errors: dict[str, str] = {}
    for section in NOTE_SECTIONS:
        text = unix_newlines(request.form.get(f"note-{section}", "")).strip()
        if len(text) > MAX_NOTE:
            errors[section] = _("The text is too long (at most %(n)s characters).", n=MAX_NOTE)
        elif has_control_characters(text):
            errors[section] = control_character_message()
        notes[section] = text
    plan_start = request.form.get("plan-start", "").strip()[:40]
    if plan_start and plan_day(plan_start) is None:
        errors["plan_start"] = _("Write the date as YYYY-MM-DD, between the years 2000 and 2100.")
    return notes, plan_start, errors


def _merge_narrative(read: Any, wanted: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Write each section (and the plan's start day) this consultant changed; one a colleague changed meanwhile
    is kept and reported as a conflict."""
    document = read.document
    notes = dict(document.get("notes") or {})
    stored = {**{k: str(notes.get(k) or "") for k in NOTE_SECTIONS}, "plan_start": _stored_start(document)}
    conflicts = []
    for key, mine in wanted.items():
        was = request.form.get(f"was-{key}")
        merged = three_way(stored[key], unix_newlines(was).strip() if was is not None else None, mine)
        if merged.conflict:
            conflicts.append(key)
        if key == "plan_start":
            if merged.value:
                document["plan"] = {"start": merged.value}
            else:
                document.pop("plan", None)
        else:
            notes[key] = merged.value
    document["notes"] = {k: v for k, v in notes.items() if v}
    return document, read.drafts, conflicts


def _stored_start(document: dict[str, Any]) -> str:
    """The plan's start day as the document holds it ("" when none is set)."""
    return str((document.get("plan") or {}).get("start") or "")


def _proposal_page(
    engagement: Engagement, notes: dict[str, str], plan_start: str, errors: dict[str, str], conflicts: list[str],
    not_saved: bool = False,
) -> Any:  # fmt: skip
    """The narrative form and the archive of generated proposals. After a conflict the stored text is shown and
    becomes the base, so sending again keeps this consultant's version knowingly."""
    status = 503 if not_saved else 422 if errors else 409 if conflicts else 200
    keys = (*NOTE_SECTIONS, "plan_start")
    if request.method == "POST" and not conflicts:  # shown again with what was typed: the base stays as it was
        base = {key: request.form.get(f"was-{key}") for key in keys}
    else:
        base = {**{key: notes.get(key, "") for key in NOTE_SECTIONS}, "plan_start": plan_start}
    body = render_template(
        "workshop/proposal.html", engagement=engagement, notes=notes, sections=NOTE_SECTIONS, errors=errors,
        form=NarrativeForm(), proposals=ws.proposals(engagement), section_titles=SECTION_TITLES,
        plan_start=plan_start, next_monday=next_monday(date.today()), base=base, conflicts=conflicts,
        not_saved=not_saved, csrf_failed=g.get("csrf_failed", False), answered=ws.has_answers(engagement),
    )  # fmt: skip
    return body, status, (store.NOT_SAVED_HEADERS if not_saved else {})


def _generate(engagement: Engagement, lang: str) -> Any:
    """Archive the data of a new proposal and start its PDF; the archive page shows it when ready.
    A plan without a start day is fixed to start next Monday, so the archived data dates it as the PDF does."""
    parsed = round_assessment(engagement)
    if parsed.plan_start is None:
        parsed = replace(parsed, plan_start=next_monday(date.today()))
    completeness = diagnose(parsed, current.content()).completeness
    if completeness.provisional:
        flash(
            _(
                "The proposal needs at least half of the %(total)s statements answered. %(answered)s are answered: "
                "set %(needed)s more final answers, or collect more responses.",
                total=completeness.statements,
                answered=completeness.answered,
                needed=completeness.needed,
            )
        )
        return redirect(url_for("workshop.proposal", engagement_id=engagement.id))
    previous = ws.previous_engagement(engagement)
    before = to_document(round_assessment(previous)) if previous else None
    archived = ws.add_proposal(engagement, lang, to_document(parsed), before, current.content().fingerprint)
    _proposal_pdf(archived)
    return redirect(url_for("workshop.proposal", engagement_id=engagement.id) + f"#proposal-{archived.id}")


def _proposal_pdf(archived: Proposal) -> bytes | None:
    """The archived proposal's PDF: stored once rendered, so what was sent stays as it was."""
    if archived.pdf is not None:
        return bytes(archived.pdf)
    wait = float(current_app.config.get("READINESS_PDF_WAIT", 0))
    data = pdf.pdf_for(
        archived.document, archived.lang, Path(current_app.instance_path) / "pdf", archived.content_fingerprint,
        wait, previous=archived.previous_document, prepared_by=str(current_user.name or current_user.email),
    )  # fmt: skip
    if data is not None:
        ws.keep_proposal_pdf(archived, data)
    return data


@bp.get("/engagements/<int:engagement_id>/proposals/<int:proposal_id>.pdf")
@limiter.limit("30 per minute", deduct_when=started_a_render)
@owned
def proposal_pdf(engagement: Engagement, proposal: Proposal) -> Any:
    """An archived proposal PDF (202 and a self-refreshing page while it is still being made)."""
    data = _proposal_pdf(proposal)
    if data is None:
        return preparing()
    stamp = to_user_timezone(proposal.created_at).strftime("%Y-%m-%d-%H%M")  # a round may have several a day
    headers = dated_download(company_of(proposal.document), REPORT_FILE, stamp, "pdf", as_lang(proposal.lang))
    return Response(data, mimetype="application/pdf", headers=headers)


@bp.get("/engagements/<int:engagement_id>/proposals/<int:proposal_id>.yaml")
@owned
def proposal_data(engagement: Engagement, proposal: Proposal) -> Any:
    """The exact assessment file an archived proposal was built from."""
    body = yaml.safe_dump(proposal.document, allow_unicode=True, sort_keys=False)
    stamp = to_user_timezone(proposal.created_at).strftime("%Y-%m-%d-%H%M")
    headers = dated_download(company_of(proposal.document), ASSESSMENT_FILE, stamp, "yaml", current.lang())
    return Response(body, mimetype="application/x-yaml", headers=headers)
