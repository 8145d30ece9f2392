"""Assessment documents for tests: a healthy baseline that raises no risk, and edits on top of it."""

from __future__ import annotations

import copy
from typing import Any

from assessment import Diagnosis, diagnose, load_content, parse_assessment

ITEM_IDS = [
    "org.exec_sponsorship", "org.marketing_owner", "org.inside_sales_setup", "org.field_sales_scope",
    "org.customer_success_plan", "org.kpis_defined", "org.mql_definition", "org.sql_definition",
    "org.handoff_rules", "org.baton_meeting", "tools.ma_plan", "tools.sfa_plan", "tools.ma_sfa_integration",
    "tools.lead_scoring", "tools.tool_owners", "data.lead_capture", "data.customer_master",
    "data.activity_logging", "data.access_control", "data.reporting_requirements",
]  # fmt: skip

HEALTHY: dict[str, Any] = {
    "version": 1,
    "client": {"name": "健全株式会社", "employees": 150, "industry": "SaaS"},
    "checklist": dict.fromkeys(ITEM_IDS, "yes"),
    "survey": {
        "departments": dict.fromkeys(["marketing", "inside_sales", "field_sales", "customer_success"], "dedicated"),
        "tools": {"ma": "in_use", "sfa": "in_use", "spreadsheet": False},
        "funnel": {
            "leads": 1000,
            "mqls": 150,
            "sqls": 60,
            "opportunities": 50,
            "wins": 10,
            "average_deal_size": 1_000_000,
            "lead_response_hours": 1,
            "connect_rate": 25,
            "calls_per_rep_per_day": 40,
            "monthly_churn_rate": 0.8,
            "nrr": 105,
            "nps": 30,
            "pipeline_amount": 35_000_000,
            "monthly_revenue_target": 10_000_000,
            "marketing_pipeline_share": 50,
        },
    },
}

_CONTENT = load_content()


def build(**edits: Any) -> dict[str, Any]:
    """Return the healthy document with dotted-path edits: ``build(**{"checklist.org.baton_meeting": "no"})``.

    A value of ``DELETE`` removes the key.
    """
    document = copy.deepcopy(HEALTHY)
    for path, value in edits.items():
        set_path(document, path, value)
    return document


DELETE = object()


def set_path(document: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at ``path``; the checklist and comments keys contain dots themselves."""
    head, _, rest = path.partition(".")
    if head in ("checklist", "comments") and rest:
        target, key = document.setdefault(head, {}), rest
    else:
        parts = path.split(".")
        target = document
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        key = parts[-1]
    if value is DELETE:
        target.pop(key, None)
    else:
        target[key] = value


def run(document: dict[str, Any]) -> Diagnosis:
    """Parse and diagnose a document with the bundled content."""
    return diagnose(parse_assessment(document, _CONTENT), _CONTENT)


def raised(document: dict[str, Any]) -> set[str]:
    """Return the ids of the failure patterns raised for a document."""
    return {finding.rule_id for finding in run(document).findings}
