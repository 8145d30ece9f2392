"""The consultant's pages: clients, engagements, invite links, consensus, results, proposals and exports.

Every route needs a signed-in consultant and looks its ids up through ``workshop_store``, which answers 404
for anything that belongs to someone else.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, lazy_gettext, ngettext, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from assessment import AssessmentError, diagnose, parse_assessment
from assessment.content.model import Content
from assessment.engine.assessment_file import (
    MAX_COMMENT,
    MAX_NOTE,
    NOTE_SECTIONS,
    has_control_characters,
    plan_day,
    to_document,
    unix_newlines,
)
from assessment.engine.perception import DEPARTMENT_ROLES
from assessment.engine.roadmap.calendar import next_monday
from assessment.engine.wording import role_label
from assessment.engine.workshop import (
    ANSWER_ORDER,
    decisions,
    perception_of,
    set_final_answer,
    workshop_document,
)
from assessment.presentation.workshop_export import consensus_table, respondent_table, to_csv, to_xlsx
from assessment.report.branding import Branding
from assessment.report.context import build_context, since_last
from assessment.web import pdf, store
from assessment.web import workshop_store as ws
from assessment.web.app_form import AppForm
from assessment.web.forms import single_line
from assessment.web.merge import three_way
from assessment.web.models import Engagement
from assessment.web.security import limiter
from assessment.web.wording import control_character_message

bp = Blueprint("workshop", __name__)
REOPEN_DAYS = 14  # a reopened link stays open at least this long


@bp.before_request
@login_required
def require_consultant() -> None:
    """Every page here is a consultant's."""


def _content() -> Content:
    return current_app.extensions["readiness.content"]  # type: ignore[no-any-return]


def _lang() -> str:
    return str(get_locale() or "ja")


class ClientForm(AppForm):
    """A new client."""

    name = StringField(lazy_gettext("Client name"), validators=[DataRequired(), Length(max=200)], filters=[single_line])


class EngagementForm(AppForm):
    """A new diagnosis round."""

    title = StringField(lazy_gettext("Title"), validators=[DataRequired(), Length(max=200)], filters=[single_line])
    held_on = DateField(lazy_gettext("Workshop date"), validators=[DataRequired()], default=date.today)


class InviteForm(AppForm):
    """An answering link for one respondent."""

    department = SelectField(lazy_gettext("Department"), choices=list(DEPARTMENT_ROLES), validators=[DataRequired()])
    name = StringField(lazy_gettext("Name (optional)"), validators=[Optional(), Length(max=200)], filters=[single_line])
    days = IntegerField(lazy_gettext("Valid for (days)"), default=14, validators=[InputRequired(), NumberRange(1, 90)])


def _department_choices(form: InviteForm) -> None:
    form.department.choices = [(role, role_label(role, _content(), _lang())) for role in DEPARTMENT_ROLES]  # type: ignore[arg-type]


@bp.route("/clients", methods=["GET", "POST"])
def clients() -> Any:
    """The consultant's clients, and a form to add one."""
    form = ClientForm()
    if form.validate_on_submit():
        client = ws.create_client(form.name.data or "")
        return redirect(url_for("workshop.client", client_id=client.id))
    status = 422 if request.method == "POST" else 200
    rows = [(client, ws.engagements_of(client)) for client in ws.clients()]
    return render_template("workshop/clients.html", form=form, rows=rows), status


@bp.route("/clients/<int:client_id>", methods=["GET", "POST"])
def client(client_id: int) -> Any:
    """A client's diagnosis rounds, and a form to start the next one."""
    owned = ws.owned_client(client_id)
    form = EngagementForm()
    if form.validate_on_submit():
        engagement = ws.create_engagement(owned, form.title.data or "", form.held_on.data or date.today())
        return redirect(url_for("workshop.engagement", engagement_id=engagement.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "workshop/client.html", client=owned, form=form, engagements=ws.engagements_of(owned)
    ), status


def _round(engagement_id: int) -> tuple[Engagement, Any]:
    engagement = ws.owned_engagement(engagement_id)
    return engagement, ws.assessment_of(engagement)


@bp.get("/engagements/<int:engagement_id>")
def engagement(engagement_id: int) -> Any:
    """The round's home: survey link, join link, invite links with their state, and the next steps."""
    current, assessment = _round(engagement_id)
    form = InviteForm()
    _department_choices(form)
    return _dashboard(current, assessment, form), 200


def _dashboard(current: Engagement, assessment: Any, form: InviteForm) -> str:
    content = _content()
    people = ws.respondents(current)
    total = len(content.checklist.items)
    rows = [
        {"respondent": r, "state": ws.link_state(r), "answered": len(r.answers or {}), "total": total,
         "department": role_label(r.department, content, _lang())}
        for r in people
    ]  # fmt: skip
    return render_template(
        "workshop/engagement.html", engagement=current, client=ws.owned_client(current.client_id),
        assessment=assessment, form=form, rows=rows, previous=ws.previous_engagement(current),
        join_url=url_for("respond.join", code=current.join_code, _external=True),
        toggle_form=FlaskForm(),
    )  # fmt: skip


@bp.post("/engagements/<int:engagement_id>/invites")
@limiter.limit("120 per minute")
def add_invite(engagement_id: int) -> Any:
    """Create an answering link for one respondent."""
    current, assessment = _round(engagement_id)
    form = InviteForm()
    _department_choices(form)
    if form.validate_on_submit():
        try:
            respondent = ws.invite(current, form.department.data or "other", form.name.data or "", form.days.data or 14)
        except ws.RoundFull:
            form.department.errors = [
                _(
                    "This round already has %(n)s respondents, as many as one round takes. Revoke links nobody "
                    "uses, or start another round.",
                    n=ws.respondent_count(current),
                )
            ]
            return _dashboard(current, assessment, form), 422
        flash(
            _(
                "Link created for %(name)s.",
                name=respondent.name or role_label(respondent.department, _content(), _lang()),
            )
        )
        return redirect(url_for("workshop.engagement", engagement_id=current.id) + f"#respondent-{respondent.id}")
    return _dashboard(current, assessment, form), 422


@bp.post("/engagements/<int:engagement_id>/respondents/<int:respondent_id>/revoke")
def revoke(engagement_id: int, respondent_id: int) -> Any:
    """Close one respondent's link; their answers stop counting until it is reopened."""
    current = ws.owned_engagement(engagement_id)
    FlaskForm().validate_on_submit() or abort(400)
    ws.revoke(ws.owned_respondent(current, respondent_id))
    return redirect(url_for("workshop.engagement", engagement_id=current.id))


@bp.post("/engagements/<int:engagement_id>/respondents/revoke")
def revoke_selected(engagement_id: int) -> Any:
    """Close several respondents' links at once (after a flood of joins, or at the end of a round)."""
    current = ws.owned_engagement(engagement_id)
    FlaskForm().validate_on_submit() or abort(400)
    chosen = [int(value) for value in request.form.getlist("respondent")[:1000] if value.isdigit() and len(value) < 19]
    closed = ws.revoke_many(current, chosen)
    flash(ngettext("%(num)s link closed.", "%(num)s links closed.", closed))
    return redirect(url_for("workshop.engagement", engagement_id=current.id))


@bp.post("/engagements/<int:engagement_id>/respondents/<int:respondent_id>/reopen")
def reopen(engagement_id: int, respondent_id: int) -> Any:
    """Open a revoked or expired link again (for another two weeks at least); its answers count again."""
    current = ws.owned_engagement(engagement_id)
    FlaskForm().validate_on_submit() or abort(400)
    respondent = ws.owned_respondent(current, respondent_id)
    ws.reopen(respondent, REOPEN_DAYS)
    return redirect(url_for("workshop.engagement", engagement_id=current.id) + f"#respondent-{respondent.id}")


@bp.post("/engagements/<int:engagement_id>/join")
def toggle_join(engagement_id: int) -> Any:
    """Open or close the workshop's join link."""
    current = ws.owned_engagement(engagement_id)
    FlaskForm().validate_on_submit() or abort(400)
    current.join_open = request.form.get("open") == "1"
    from assessment.web.models import db

    db.session.commit()
    return redirect(url_for("workshop.engagement", engagement_id=current.id))


def _document(current: Engagement, assessment: Any) -> dict[str, Any]:
    """The round as an assessment document: survey, final answers or consensus, respondents, notes."""
    return workshop_document(assessment.document, ws.answers_of(current), _content())


def _parsed(document: dict[str, Any]) -> Any:
    try:
        return parse_assessment(document, _content())
    except AssessmentError as error:
        abort(400, description="; ".join(p.render(_lang()) for p in error.problems[:5]))  # type: ignore[arg-type]


@bp.route("/engagements/<int:engagement_id>/consensus", methods=["GET", "POST"])
def consensus(engagement_id: int) -> Any:
    """Per item: answers by department, the proposed consensus, and the consultant's final answer and note."""
    current, assessment = _round(engagement_id)
    content = _content()
    errors: dict[str, str] = {}
    conflicts: dict[str, dict[str, str]] = {}
    document = assessment.document
    if request.method == "POST" and not g.get("csrf_failed"):
        FlaskForm().validate_on_submit() or abort(400)
        wanted: dict[str, tuple[str, str]] = {}
        for item in content.checklist.items:
            final = request.form.get(f"final-{item.id}", "")
            note = unix_newlines(request.form.get(f"note-{item.id}", "")).strip()
            if final not in ("", *ANSWER_ORDER):
                errors[item.id] = _("Choose one of the answers offered.")
            elif len(note) > MAX_COMMENT:
                errors[item.id] = _("The note is too long (at most %(n)s characters).", n=MAX_COMMENT)
            elif has_control_characters(note):
                errors[item.id] = control_character_message()
            else:
                wanted[item.id] = (final, note)
        if not errors:
            try:
                saved, conflicts = store.update(
                    assessment.token, lambda read: _merge_finals(read, wanted), loaded=assessment
                )
            except store.NotSaved:
                return _consensus_page(current, assessment.document, errors, conflicts, not_saved=True)
            document = saved.document
            if not conflicts:
                flash(_("The final answers have been saved."))
                return redirect(url_for("workshop.consensus", engagement_id=current.id))
    return _consensus_page(current, document, errors, conflicts)


def _merge_finals(
    read: Any, wanted: dict[str, tuple[str, str]]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, dict[str, str]]]:
    """Write each final answer and note this consultant changed; one someone else changed meanwhile is kept
    and reported as a conflict (with both values), never overwritten."""
    document = read.document
    finals, notes = document.get("checklist") or {}, document.get("comments") or {}
    conflicts: dict[str, dict[str, str]] = {}
    for item_id, (final, note) in wanted.items():
        stored_final = finals.get(item_id) if finals.get(item_id) in ANSWER_ORDER else ""
        stored_note = str(notes.get(item_id) or "")
        was_final = request.form.get(f"was-final-{item_id}")
        was_note = request.form.get(f"was-note-{item_id}")
        merged_final = three_way(stored_final, was_final, final)
        merged_note = three_way(stored_note, unix_newlines(was_note).strip() if was_note is not None else None, note)
        set_final_answer(document, item_id, merged_final.value or None, merged_note.value)
        if merged_final.conflict or merged_note.conflict:
            conflicts[item_id] = {"final": final, "note": note}
    return document, read.drafts, conflicts


def _consensus_page(
    current: Engagement, document: dict[str, Any], errors: dict[str, str], conflicts: dict[str, dict[str, str]],
    not_saved: bool = False,
) -> Any:  # fmt: skip
    """The consensus page; after a conflict it shows what is stored now, with the consultant's own values beside
    it (their ``was`` values are the stored ones, so sending again means "mine, knowingly")."""
    content = _content()
    perception = perception_of(ws.answers_of(current), content)
    status = 503 if not_saved else 422 if errors else 409 if conflicts else 200
    posted = request.form if request.method == "POST" and not conflicts else {}  # typed values stay on the page
    body = render_template(
        "workshop/consensus.html", engagement=current, perception=perception,
        decisions=decisions(perception, document), errors=errors, form=FlaskForm(), conflicts=conflicts,
        items={item.id: item for item in content.checklist.items}, role=lambda r: role_label(r, content, _lang()),
        answer_labels=content.checklist.answer_labels, answers=ANSWER_ORDER, posted=posted,
        csrf_failed=g.get("csrf_failed", False), not_saved=not_saved,
    )  # fmt: skip
    headers = store.NOT_SAVED_HEADERS if not_saved else {}
    return body, status, headers


@bp.get("/engagements/<int:engagement_id>/results")
def results(engagement_id: int) -> Any:
    """The diagnosis of the round, with perception gaps and the change since the previous round."""
    current, assessment = _round(engagement_id)
    content = _content()
    parsed = _parsed(_document(current, assessment))
    diagnosis = diagnose(parsed, content, parsed.plan_start or next_monday(date.today()))
    view = build_context(diagnosis, content, _lang(), Branding(), current.held_on, _)  # type: ignore[arg-type]
    previous = ws.previous_engagement(current)
    since = None
    if previous is not None:
        before = diagnose(_parsed(_document(previous, ws.assessment_of(previous))), content)
        since = since_last(before, diagnosis, content, _lang())  # type: ignore[arg-type]
    return render_template(
        "workshop/results.html", engagement=current, view=view, since=since, previous=previous,
        answered=ws.has_answers(current),
    )  # fmt: skip


SECTION_TITLES = {
    "executive_summary": lazy_gettext("Executive summary"),
    "checklist": lazy_gettext("Readiness checklist"),
    "funnel": lazy_gettext("Funnel and benchmarks"),
    "risks": lazy_gettext("Failure risks"),
    "organisation": lazy_gettext("Organisation design"),
    "configuration": lazy_gettext("MA/SFA configuration"),
    "roadmap": lazy_gettext("Implementation roadmap"),
    "next_steps": lazy_gettext("Next steps"),
    "plan_start": lazy_gettext("Plan start date"),
}


class NarrativeForm(AppForm):
    """The consultant's words per proposal section (read from the request: one field per section)."""


@bp.route("/engagements/<int:engagement_id>/proposal", methods=["GET", "POST"])
def proposal(engagement_id: int) -> Any:
    """Write the narrative per section; generate proposals; every generated PDF is listed and kept."""
    current, assessment = _round(engagement_id)
    errors: dict[str, str] = {}
    conflicts: list[str] = []
    notes = dict(assessment.document.get("notes") or {})
    plan_start = _stored_start(assessment.document)
    if request.method == "POST":
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
        if not errors and not g.get("csrf_failed"):
            NarrativeForm().validate_on_submit() or abort(400)
            wanted = {**notes, "plan_start": plan_start}
            try:
                saved, conflicts = store.update(
                    assessment.token, lambda read: _merge_narrative(read, wanted), loaded=assessment
                )
            except store.NotSaved:
                return _proposal_page(current, notes, plan_start, errors, [], not_saved=True)
            if not conflicts:
                if request.form.get("action") in ("ja", "en"):
                    return _generate(current, assessment, request.form["action"])
                flash(_("The narrative has been saved."))
                return redirect(url_for("workshop.proposal", engagement_id=current.id))
            notes = dict(saved.document.get("notes") or {})
            plan_start = _stored_start(saved.document)
    return _proposal_page(current, notes, plan_start, errors, conflicts)


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
    current: Engagement, notes: dict[str, str], plan_start: str, errors: dict[str, str], conflicts: list[str],
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
        "workshop/proposal.html", engagement=current, notes=notes, sections=NOTE_SECTIONS, errors=errors,
        form=NarrativeForm(), proposals=ws.proposals(current), section_titles=SECTION_TITLES, plan_start=plan_start,
        next_monday=next_monday(date.today()), base=base, conflicts=conflicts, not_saved=not_saved,
        csrf_failed=g.get("csrf_failed", False), answered=ws.has_answers(current),
    )  # fmt: skip
    return body, status, (store.NOT_SAVED_HEADERS if not_saved else {})


def _generate(current: Engagement, assessment: Any, lang: str) -> Any:
    """Archive the data of a new proposal and start its PDF; the archive page shows it when ready.
    A plan without a start day is fixed to start next Monday, so the archived data dates it as the PDF does."""
    parsed = _parsed(_document(current, assessment))
    if parsed.plan_start is None:
        parsed = replace(parsed, plan_start=next_monday(date.today()))
    completeness = diagnose(parsed, _content()).completeness
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
        return redirect(url_for("workshop.proposal", engagement_id=current.id))
    document = to_document(parsed)
    previous = ws.previous_engagement(current)
    before = to_document(_parsed(_document(previous, ws.assessment_of(previous)))) if previous else None
    archived = ws.add_proposal(current, lang, document, before, _content().fingerprint)
    _proposal_pdf(archived)
    return redirect(url_for("workshop.proposal", engagement_id=current.id) + f"#proposal-{archived.id}")


def _prepared_by() -> str:
    return str(current_user.name or current_user.email)


def _proposal_pdf(archived: Any) -> bytes | None:
    """The archived proposal's PDF: stored once rendered, so what was sent stays as it was."""
    if archived.pdf is not None:
        return bytes(archived.pdf)
    wait = float(current_app.config.get("READINESS_PDF_WAIT", 0))
    data = pdf.pdf_for(
        archived.document, archived.lang, Path(current_app.instance_path) / "pdf", archived.content_fingerprint,
        wait, previous=archived.previous_document, prepared_by=_prepared_by(),
    )  # fmt: skip
    if data is not None:
        from assessment.web.models import db

        archived.pdf = data
        archived.sha256 = hashlib.sha256(data).hexdigest()
        db.session.commit()
    return data


@bp.get("/engagements/<int:engagement_id>/proposals/<int:proposal_id>.pdf")
@limiter.limit("30 per minute", deduct_when=pdf.started_a_render)
def proposal_pdf(engagement_id: int, proposal_id: int) -> Any:
    """An archived proposal PDF (202 and a self-refreshing page while it is still being made)."""
    current = ws.owned_engagement(engagement_id)
    archived = ws.owned_proposal(current, proposal_id)
    data = _proposal_pdf(archived)
    if data is None:
        return render_template("preparing.html"), 202, {"Retry-After": "2", "Cache-Control": "no-store"}
    stamp = to_user_timezone(archived.created_at).strftime("%Y%m%d-%H%M")
    name = f"proposal-{current.id}-{stamp}-{archived.lang}.pdf"
    return Response(data, mimetype="application/pdf", headers=_attachment(name))


@bp.get("/engagements/<int:engagement_id>/proposals/<int:proposal_id>.yaml")
def proposal_data(engagement_id: int, proposal_id: int) -> Any:
    """The exact assessment file an archived proposal was built from."""
    current = ws.owned_engagement(engagement_id)
    archived = ws.owned_proposal(current, proposal_id)
    body = yaml.safe_dump(archived.document, allow_unicode=True, sort_keys=False)
    return Response(body, mimetype="application/x-yaml", headers=_attachment(f"proposal-{archived.id}-data.yaml"))


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@bp.get("/engagements/<int:engagement_id>/export/<kind>.<fmt>")
def export(engagement_id: int, kind: str, fmt: str) -> Any:
    """Per-respondent and consensus answers as CSV or XLSX; the consensus as an assessment file (YAML/JSON)."""
    current, assessment = _round(engagement_id)
    content = _content()
    lang = _lang()
    people = ws.answers_of(current)
    stem = f"engagement-{current.id}-{kind}"
    if kind == "assessment" and fmt in ("yaml", "json"):
        document = to_document(_parsed(_document(current, assessment)))
        if fmt == "json":
            import json

            body = json.dumps(document, ensure_ascii=False, indent=2)
            return Response(body, mimetype="application/json", headers=_attachment(f"{stem}.json"))
        body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        return Response(body, mimetype="application/x-yaml", headers=_attachment(f"{stem}.yaml"))
    perception = perception_of(people, content)
    tables = {
        "respondents": respondent_table(people, content, lang),  # type: ignore[arg-type]
        "consensus": consensus_table(perception, decisions(perception, assessment.document), content, lang),  # type: ignore[arg-type]
    }
    if fmt == "csv" and kind in tables:
        return Response(
            to_csv(tables[kind]), content_type="text/csv; charset=utf-8", headers=_attachment(f"{stem}.csv")
        )
    if fmt == "xlsx" and kind in (*tables, "workbook"):
        names = {"respondents": _("Respondents"), "consensus": _("Consensus")}
        chosen = list(tables) if kind == "workbook" else [kind]
        body = to_xlsx([(names[k], tables[k]) for k in chosen])
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(body, mimetype=mimetype, headers=_attachment(f"{stem}.xlsx"))
    abort(404)


@bp.get("/engagements/<int:engagement_id>/live")
def live(engagement_id: int) -> Any:
    """The projector screen: join QR code and short link, participation and answers updating as they arrive."""
    import segno

    current = ws.owned_engagement(engagement_id)
    join_url = url_for("respond.join", code=current.join_code, _external=True)
    qr = segno.make(join_url, error="m").svg_inline(scale=8, dark="#1f2937", omitsize=True)
    return render_template(
        "workshop/live.html", engagement=current, join_url=join_url, qr=qr, state=_live_state(current),
        items=_content().checklist.items,
    )  # fmt: skip


@bp.get("/engagements/<int:engagement_id>/live.json")
@limiter.exempt  # polled every few seconds by the projector screen
def live_state(engagement_id: int) -> Any:
    """What the live screen shows, as JSON (polled)."""
    current = ws.owned_engagement(engagement_id)
    response = current_app.json.response(_live_state(current))
    response.headers["Cache-Control"] = "no-store"
    return response


def _live_state(current: Engagement) -> dict[str, Any]:
    from assessment.engine.workshop import distribution, participation

    content = _content()
    people = ws.answers_of(current)
    perception = perception_of(people, content)
    counts = participation(people, len(content.checklist.items))
    counts["by_department"] = {role_label(k, content, _lang()): v for k, v in counts["by_department"].items()}
    return {
        "participation": counts,
        "items": distribution(people, content),
        "gaps": [view.item_id for view in perception.gaps],
        "join_open": current.join_open,
    }
