"""A round's answers to take away: per respondent and consensus as CSV or XLSX, the round as an assessment file.

The files are named after the client, the round and the day (``株式会社サンプル_回答一覧_第1回_2026-11-30.csv``).
Respondents' names go into the per-respondent file only when the consultant asks (``?names=1``): by default a
respondent is their number and department, as on the consensus page."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import yaml
from flask import Response, abort, request
from flask_babel import gettext as _
from flask_babel import to_user_timezone

from assessment.engine.assessment_file import to_document
from assessment.engine.workshop import RespondentAnswers, decisions, perception_of
from assessment.presentation.workshop_export import consensus_table, respondent_table, to_csv, to_xlsx
from assessment.web import current
from assessment.web.models import Engagement
from assessment.web.responses import (
    ASSESSMENT_FILE,
    CONSENSUS_FILE,
    RESPONDENTS_FILE,
    WORKBOOK_FILE,
    company_of,
    local_today,
    round_download,
)
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.documents import round_assessment
from assessment.web.workshop.owned import owned

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_WORDS = {"assessment": ASSESSMENT_FILE, "respondents": RESPONDENTS_FILE, "consensus": CONSENSUS_FILE,
              "workbook": WORKBOOK_FILE}  # fmt: skip


@bp.get("/engagements/<int:engagement_id>/export/<kind>.<fmt>")
@owned
def export(engagement: Engagement, kind: str, fmt: str) -> Any:
    """Per-respondent and consensus answers as CSV or XLSX; the consensus as an assessment file (YAML/JSON)."""
    if kind not in FILE_WORDS:
        abort(404)
    company = company_of(ws.assessment_of(engagement).document)  # as the round's survey and proposal name it

    def headers(extension: str) -> dict[str, str]:
        return round_download(company, FILE_WORDS[kind], engagement.title, local_today(), extension, current.lang())

    if kind == "assessment" and fmt in ("yaml", "json"):
        document = to_document(round_assessment(engagement))
        if fmt == "json":
            text = json.dumps(document, ensure_ascii=False, indent=2)
            return Response(text, mimetype="application/json", headers=headers("json"))
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        return Response(text, mimetype="application/x-yaml", headers=headers("yaml"))
    content, lang = current.content(), current.lang()
    people = ws.answers_of(engagement)
    perception = perception_of(people, content)
    stored = ws.assessment_of(engagement).document
    names = request.args.get("names") == "1"
    tables = {
        "respondents": respondent_table([_local_time(p) for p in people], content, lang, names=names),
        "consensus": consensus_table(perception, decisions(perception, stored), content, lang),
    }
    if fmt == "csv" and kind in tables:
        return Response(to_csv(tables[kind]), content_type="text/csv; charset=utf-8", headers=headers("csv"))
    if fmt == "xlsx" and kind in (*tables, "workbook"):
        sheet_names = {"respondents": _("Respondents"), "consensus": _("Consensus")}
        chosen = list(tables) if kind == "workbook" else [kind]
        body = to_xlsx([(sheet_names[k], tables[k]) for k in chosen])
        return Response(body, mimetype=XLSX, headers=headers("xlsx"))
    abort(404)


def _local_time(respondent: RespondentAnswers) -> RespondentAnswers:
    """The respondent with their last save in the readers' time zone (READINESS_TIMEZONE), offset included."""
    if respondent.answered_at is None:
        return respondent
    return replace(respondent, answered_at=to_user_timezone(respondent.answered_at))
