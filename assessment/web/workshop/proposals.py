"""The proposal: the consultant's narrative per section and the plan's start day, and the archive of generated
PDFs (each kept with the exact data it was built from, so what was sent stays as it was)."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from flask_login import current_user

from assessment import diagnose, parse_assessment
from assessment.engine.assessment_file import Assessment, to_document
from assessment.engine.narrative import NOTE_SECTIONS
from assessment.engine.roadmap.calendar import next_monday
from assessment.errors import AssessmentError
from assessment.presentation.view import View, build_view
from assessment.vocabulary import LANGS
from assessment.web import brand, current, pdf, store
from assessment.web.locale import as_lang
from assessment.web.models import Engagement, Proposal
from assessment.web.responses import (
    ASSESSMENT_FILE,
    PROPOSAL_FILE,
    company_of,
    preparing,
    render_failed,
    round_download,
)
from assessment.web.security import limiter, started_a_render
from assessment.web.workshop import access, library
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.documents import round_assessment, round_document
from assessment.web.workshop.forms import SECTION_TITLES, NarrativeForm
from assessment.web.workshop.narrative import (
    FIELDS,
    PREFIX,
    empty_languages,
    merge_narrative,
    posted_narrative,
    stored_start,
    stored_texts,
)
from assessment.web.workshop.owned import owned
from assessment.web.workshop.results import trend_scores


@bp.route("/engagements/<int:engagement_id>/proposal", methods=["GET", "POST"])
@owned
def proposal(engagement: Engagement) -> Any:
    """Write the narrative per section in Japanese and English; generate proposals; every PDF is listed and kept."""
    assessment = ws.assessment_of(engagement)
    errors: dict[str, str] = {}
    conflicts: list[str] = []
    texts = stored_texts(assessment.document)
    plan_start = stored_start(assessment.document)
    if request.method == "POST":
        texts, plan_start, errors = posted_narrative(texts)
        if not errors and not g.get("csrf_failed"):
            NarrativeForm().validate_on_submit() or abort(400)
            wanted = {**texts, "plan_start": plan_start}
            try:
                saved, conflicts = store.update(  # the narrative stays editable in a closed round: no score reads it
                    assessment.token, lambda read: merge_narrative(read, wanted), loaded=assessment, closed_too=True
                )
            except store.NotSaved:
                return _proposal_page(engagement, texts, plan_start, errors, [], not_saved=True)
            if not conflicts:
                if request.form.get("action") in ("ja", "en"):
                    return _generate(engagement, request.form["action"])
                if request.form.get("action") in ("preview-ja", "preview-en"):
                    lang = request.form["action"].removeprefix("preview-")
                    return redirect(url_for("workshop.proposal_preview", engagement_id=engagement.id, lang=lang))
                flash(_("The narrative has been saved."))
                return redirect(url_for("workshop.proposal", engagement_id=engagement.id))
            texts = stored_texts(saved.document)
            plan_start = stored_start(saved.document)
    return _proposal_page(engagement, texts, plan_start, errors, conflicts)


def _proposal_page(
    engagement: Engagement, texts: dict[str, str], plan_start: str, errors: dict[str, str], conflicts: list[str],
    not_saved: bool = False,
) -> Any:  # fmt: skip
    """The narrative form (each section in Japanese and English, side by side) and the archive of generated
    proposals. After a conflict the stored text is shown and becomes the base, so sending again keeps this
    consultant's version knowingly."""
    status = 503 if not_saved else 422 if errors else 409 if conflicts else 200
    keys = (*(key for _lang, _section, key in FIELDS), "plan_start")
    if request.method == "POST" and not conflicts:  # shown again with what was typed: the base stays as it was
        base = {key: request.form.get(f"was-{key}") for key in keys}
    else:
        base = {**texts, "plan_start": plan_start}
    language_names = {"ja": _("Japanese"), "en": _("English")}
    titles = {key: f"{SECTION_TITLES[section]} ({language_names[lang]})" for lang, section, key in FIELDS}
    proposals = ws.proposals(engagement)
    body = render_template(
        "workshop/proposal.html", engagement=engagement, texts=texts, sections=NOTE_SECTIONS, errors=errors,
        form=NarrativeForm(), proposals=proposals, failed=failed_renders(proposals), plan_start=plan_start,
        prefix=PREFIX,
        titles={**titles, "plan_start": SECTION_TITLES["plan_start"]}, section_titles=SECTION_TITLES,
        language_names=language_names, empty_languages=empty_languages(texts), next_monday=next_monday(date.today()),
        base=base, conflicts=conflicts, not_saved=not_saved, csrf_failed=g.get("csrf_failed", False),
        answered=ws.has_answers(engagement), langs=LANGS, view=results_summary(engagement),
        snippets=library.snippets(), editable=access.can_edit(),
    )  # fmt: skip
    return body, status, (store.NOT_SAVED_HEADERS if not_saved else {})


def failed_renders(proposals: list[Proposal]) -> set[int]:
    """The ids of the listed proposals whose PDF failed to render (retries included): their row says so. Asking
    after a PDF not yet made also picks it up if it has meanwhile been rendered (it is then kept)."""
    failed = set()
    for archived in proposals:
        if archived.pdf is None:
            try:
                _proposal_pdf(archived)
            except pdf.RenderFailed:
                failed.add(archived.id)
    return failed


def results_summary(engagement: Engagement) -> View | None:
    """The round's results as its results page shows them (in the page's language), for the summary beside the
    narrative: the overall and axis scores, the risks, the perception gaps. None when the round's stored data
    cannot be read (the results page says why; the narrative stays editable)."""
    content = current.content()
    try:
        parsed = parse_assessment(round_document(engagement), content)
    except AssessmentError:
        return None
    diagnosis = diagnose(parsed, content, parsed.plan_start or next_monday(date.today()))
    return build_view(diagnosis, content, current.lang(), _)


def proposal_basis(engagement: Engagement) -> tuple[Assessment, dict[str, Any] | None, list[dict[str, Any]]]:
    """What a proposal of the round is made from now: the round (a plan without a start day is fixed to start next
    Monday, so the archived data dates it as the PDF does), the previous round's document (None without one) and
    the client's rounds with their scores for the trend (empty under three)."""
    parsed = round_assessment(engagement)
    if parsed.plan_start is None:
        parsed = replace(parsed, plan_start=next_monday(date.today()))
    previous = ws.previous_engagement(engagement)
    before = to_document(round_assessment(previous)) if previous else None
    trend = [dict(scores) for scores in trend_scores(engagement) or []]
    return parsed, before, trend


@bp.post("/engagements/<int:engagement_id>/proposal/generate")
@owned
def generate_proposal(engagement: Engagement) -> Any:
    """Generate the proposal PDF from the saved narrative (the preview's button; the proposal page's buttons save
    the narrative first)."""
    NarrativeForm().validate_on_submit() or abort(400)
    return _generate(engagement, as_lang(request.form.get("lang")))


def _generate(engagement: Engagement, lang: str) -> Any:
    """Archive the data of a new proposal and start its PDF; the archive page shows it when ready."""
    parsed, before, trend = proposal_basis(engagement)
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
    archived = ws.add_proposal(engagement, lang, to_document(parsed), before, current.content().fingerprint, trend)
    with contextlib.suppress(pdf.RenderFailed):  # the same PDF failed before: its row on the page says so
        _proposal_pdf(archived)
    return redirect(url_for("workshop.proposal", engagement_id=engagement.id) + f"#proposal-{archived.id}")


def _proposal_pdf(archived: Proposal) -> bytes | None:
    """The archived proposal's PDF: stored once rendered, so what was sent stays as it was."""
    if archived.pdf is not None:
        return bytes(archived.pdf)
    data = pdf.requested_pdf(
        archived.document, archived.lang, archived.content_fingerprint, previous=archived.previous_document,
        prepared_by=str(current_user.name or current_user.email), trend=archived.trend,
        look=brand.proposal_look(int(current_user.firm_id)), retry=request.args.get("retry") == "1",
    )  # fmt: skip
    if data is not None:
        ws.keep_proposal_pdf(archived, data)
    return data


@bp.get("/engagements/<int:engagement_id>/proposals/<int:proposal_id>.pdf")
@limiter.limit("30 per minute", deduct_when=started_a_render)
@owned
def proposal_pdf(engagement: Engagement, proposal: Proposal) -> Any:
    """An archived proposal PDF (202 and a self-refreshing page while it is still being made)."""
    try:
        data = _proposal_pdf(proposal)
    except pdf.RenderFailed:
        return render_failed()
    if data is None:
        return preparing()
    lang = as_lang(proposal.lang)
    day = to_user_timezone(proposal.created_at).date()
    headers = round_download(company_of(proposal.document), PROPOSAL_FILE, engagement.title, day, "pdf", lang, lang)
    return Response(data, mimetype="application/pdf", headers=headers)


PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@bp.get("/engagements/<int:engagement_id>/proposals/<int:proposal_id>.pptx")
@limiter.limit("30 per minute")
@owned
def proposal_deck(engagement: Engagement, proposal: Proposal) -> Any:
    """An archived proposal as an editable deck, built from the same archived data as its PDF (under a second,
    so in the request), dated the day the proposal was generated."""
    from assessment.report import load_branding
    from assessment.report.deck import render_deck

    content = current.content()
    diagnosis = diagnose(parse_assessment(proposal.document, content), content)
    previous = proposal.previous_document
    before = diagnose(parse_assessment(previous, content), content) if previous else None
    look = brand.proposal_look(int(current_user.firm_id))
    branding = brand.branded(load_branding(), look, Path(current_app.instance_path) / "pdf" / "logos")
    branding = replace(branding, prepared_by=str(current_user.name or current_user.email))
    lang = as_lang(proposal.lang)
    day = to_user_timezone(proposal.created_at).date()
    data = render_deck(diagnosis, content, lang, branding, today=day, previous=before)
    headers = round_download(company_of(proposal.document), PROPOSAL_FILE, engagement.title, day, "pptx", lang, lang)
    return Response(data, mimetype=PPTX, headers=headers)


@bp.get("/engagements/<int:engagement_id>/proposals/<int:proposal_id>.yaml")
@owned
def proposal_data(engagement: Engagement, proposal: Proposal) -> Any:
    """The exact assessment file an archived proposal was built from."""
    body = yaml.safe_dump(proposal.document, allow_unicode=True, sort_keys=False)
    day = to_user_timezone(proposal.created_at).date()
    company, tag = company_of(proposal.document), as_lang(proposal.lang)
    headers = round_download(company, ASSESSMENT_FILE, engagement.title, day, "yaml", current.lang(), tag)
    return Response(body, mimetype="application/x-yaml", headers=headers)
