"""A round's answers to take away: per respondent and consensus as CSV or XLSX, the round as an assessment file."""

from __future__ import annotations

import json
from typing import Any

import yaml
from flask import Response, abort
from flask_babel import gettext as _

from assessment.engine.assessment_file import to_document
from assessment.engine.workshop import decisions, perception_of
from assessment.presentation.workshop_export import consensus_table, respondent_table, to_csv, to_xlsx
from assessment.web import current
from assessment.web.models import Engagement
from assessment.web.responses import attachment
from assessment.web.workshop import store as ws
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.documents import round_assessment
from assessment.web.workshop.owned import owned

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/engagements/<int:engagement_id>/export/<kind>.<fmt>")
@owned
def export(engagement: Engagement, kind: str, fmt: str) -> Any:
    """Per-respondent and consensus answers as CSV or XLSX; the consensus as an assessment file (YAML/JSON)."""
    stem = f"engagement-{engagement.id}-{kind}"
    if kind == "assessment" and fmt in ("yaml", "json"):
        document = to_document(round_assessment(engagement))
        if fmt == "json":
            text = json.dumps(document, ensure_ascii=False, indent=2)
            return Response(text, mimetype="application/json", headers=attachment(f"{stem}.json"))
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        return Response(text, mimetype="application/x-yaml", headers=attachment(f"{stem}.yaml"))
    content, lang = current.content(), current.lang()
    people = ws.answers_of(engagement)
    perception = perception_of(people, content)
    stored = ws.assessment_of(engagement).document
    tables = {
        "respondents": respondent_table(people, content, lang),
        "consensus": consensus_table(perception, decisions(perception, stored), content, lang),
    }
    if fmt == "csv" and kind in tables:
        return Response(to_csv(tables[kind]), content_type="text/csv; charset=utf-8", headers=attachment(f"{stem}.csv"))
    if fmt == "xlsx" and kind in (*tables, "workbook"):
        names = {"respondents": _("Respondents"), "consensus": _("Consensus")}
        chosen = list(tables) if kind == "workbook" else [kind]
        body = to_xlsx([(names[k], tables[k]) for k in chosen])
        return Response(body, mimetype=XLSX, headers=attachment(f"{stem}.xlsx"))
    abort(404)
