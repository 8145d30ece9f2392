"""Two firms, built through the real pages, for the firm-workspace tests (imported, not collected).

Firm X ("Xenon Partners"): Ada, its admin, owns the client with a round, a respondent with answers and an
archived proposal; she shares it with Fay as co-facilitator and Rex as reviewer; Nell is a colleague it is not
shared with. Firm Y: Yuri, its admin, and Zed, who holds a share row on Ada's client put straight into the database
(as if a bug or a hand-edited table had made one): a share across firms must open nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import Rule

from assessment.web.accounts import create_consultant
from assessment.web.models import (
    AuditEntry,
    Client,
    ClientShare,
    Consultant,
    Engagement,
    Firm,
    Proposal,
    Respondent,
    SelfAssessment,
    db,
)
from tests.web import build_app
from tests.web.test_workshop_isolation import PASSWORD, answer_first_page, id_of, invite, post_form, signed_in

X_CLIENT = "Xenon Client 株式会社キセノン"
X_ROUND = "Xenon kick-off round"
X_RESPONDENT = "Xavier Respondent"
EXPORTS = [("respondents", "csv"), ("consensus", "xlsx"), ("workbook", "xlsx"), ("assessment", "yaml")]
# What every form could take: a POST that got past the checks would change the client.
FORM_DATA = {
    "name": "changed",
    "title": "changed round",
    "held_on": "2026-05-01",
    "department": "other",
    "days": "30",
    "open": "0",
    "note-executive_summary": "changed",
    "final-org.exec_sponsorship": "no",
    "action": "save",
    "archived": "1",
    "role": "reviewer",
    "colleague": "1",
    "item": "org.exec_sponsorship",
    "final": "no",
    "deadline": "2026-12-31T10:00",
    "respondent": "1",
    "email": "new@example.com",
    "leaver": "1",
    "receiver": "2",
    "confirmed": "1",
    "accent_color": "#000000",
}


@dataclass
class Firms:
    """The app, each person's signed-in browser and id, and Ada's client, round, respondent and proposal."""

    app: Flask
    browsers: dict[str, FlaskClient]
    ids: dict[str, int]
    client_id: int
    engagement_id: int
    respondent_id: int
    proposal_id: int

    def __getitem__(self, who: str) -> FlaskClient:
        return self.browsers[who]


def account(app: Flask, who: str) -> Consultant:
    """A detached copy of the account ``who`` (ada, fay, ...)."""
    with app.app_context():
        row = db.session.execute(select(Consultant).filter_by(email=f"{who}@example.com")).scalar_one()
        db.session.expunge(row)
        return row


def build_firms(folder: Path, cache_dir: Path) -> Firms:
    """Build both firms and Ada's client through the pages (Zed's share straight into the database)."""
    app = build_app(folder, cache_dir)
    ids: dict[str, int] = {}
    with app.app_context():
        firm_x, firm_y = Firm(name="Xenon Partners"), Firm(name="Yttrium Advisory")
        db.session.add_all([firm_x, firm_y])
        db.session.flush()
        for who, firm, role in (
            ("ada", firm_x, "admin"),
            ("fay", firm_x, None),
            ("rex", firm_x, None),
            ("nell", firm_x, None),
            ("yuri", firm_y, "admin"),
            ("zed", firm_y, None),
        ):
            ids[who] = create_consultant(f"{who}@example.com", PASSWORD, who.title(), firm=firm, role=role).id
    browsers = {who: signed_in(app, f"{who}@example.com") for who in ids}
    ada = browsers["ada"]
    created = post_form(ada, "/clients", "/clients", {"name": X_CLIENT})
    client_id = id_of(created.location)
    created = post_form(ada, created.location, created.location, {"title": X_ROUND, "held_on": "2026-03-01"})
    engagement_id = id_of(created.location)
    respondent = invite(app, ada, engagement_id, "field_sales", X_RESPONDENT)
    answer_first_page(app.test_client(), respondent.token)
    client_url = f"/clients/{client_id}"
    for who, role in (("fay", "facilitator"), ("rex", "reviewer")):
        shared = post_form(ada, client_url, f"{client_url}/shares", {"colleague": str(ids[who]), "role": role})
        assert shared.status_code == 302, shared.status_code
    with app.app_context():
        db.session.add(ClientShare(client_id=client_id, consultant_id=ids["zed"], role="facilitator"))
        proposal = Proposal(
            engagement_id=engagement_id,
            lang="ja",
            document={"version": 1, "client": {"name": X_CLIENT}},
            content_fingerprint="test",
            pdf=b"%PDF-1.4 test",
        )
        db.session.add(proposal)
        db.session.commit()
        proposal_id = proposal.id
    return Firms(app, browsers, ids, client_id, engagement_id, respondent.id, proposal_id)


def rules(app: Flask, *prefixes: str) -> list[Rule]:
    """Every rule of the blueprints named (``workshop.``, ``firm.``)."""
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(prefixes)]


def urls_of(rule: Rule, firms: Firms, **extra: Any) -> list[str]:
    """The rule's URLs on Ada's ids (a colleague's id: Rex's; an account's: Fay's), every export kind."""
    ids: dict[str, Any] = {
        "client_id": firms.client_id,
        "engagement_id": firms.engagement_id,
        "respondent_id": firms.respondent_id,
        "proposal_id": firms.proposal_id,
        "colleague_id": firms.ids["rex"],
        "account_id": firms.ids["fay"],
        **extra,
    }
    variants: list[dict[str, Any]] = [{}]
    if {"kind", "fmt"} & rule.arguments:
        variants = [{"kind": kind, "fmt": fmt} for kind, fmt in EXPORTS]
    unknown = rule.arguments - set(ids) - set(variants[0])
    assert not unknown, f"{rule.rule}: give the test values for {sorted(unknown)}"
    with firms.app.test_request_context("/"):
        return [
            url_for(rule.endpoint, **{k: v for k, v in {**ids, **variant}.items() if k in rule.arguments})
            for variant in variants
        ]


def state(firms: Firms) -> dict[str, Any]:
    """Everything a refused request must leave as it was: both firms' accounts and looks, Ada's client, its
    rounds, respondents, survey, proposals and shares, and the audit log."""
    with firms.app.app_context():
        engagement = db.session.get(Engagement, firms.engagement_id)
        client = db.session.get(Client, firms.client_id)
        assert engagement is not None and client is not None
        survey = db.session.get(SelfAssessment, engagement.assessment_id)
        return {
            "client": (client.name, client.consultant_id, client.archived_at),
            "clients": db.session.scalar(select(func.count()).select_from(Client)),
            "rounds": [
                (e.id, e.title, e.held_on, e.join_open, e.closed_at, e.consultant_id, e.survey_deadline, e.archived_at)
                for e in db.session.execute(select(Engagement)).scalars()
            ],
            "respondents": [
                (r.id, r.department, r.name, r.answers, r.revoked_at, r.expires_at)
                for r in db.session.execute(select(Respondent)).scalars()
            ],
            "survey": survey.document if survey else None,
            "proposals": db.session.scalar(select(func.count()).select_from(Proposal)),
            "shares": sorted(
                (s.client_id, s.consultant_id, s.role) for s in db.session.execute(select(ClientShare)).scalars()
            ),
            "accounts": sorted(
                (c.id, c.email, c.role, c.deactivated_at, c.firm_id)
                for c in db.session.execute(select(Consultant)).scalars()
            ),
            "firms": sorted(
                (f.id, f.name, f.accent_color, f.logo_type) for f in db.session.execute(select(Firm)).scalars()
            ),
            "audit": db.session.scalar(select(func.count()).select_from(AuditEntry)),
        }
