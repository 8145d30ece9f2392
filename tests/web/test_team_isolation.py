"""A manager's team pages reach only that manager's diagnosis and colleagues: every team URL answers 404 with
another diagnosis's token, a colleague's token, a workshop's survey-only token, or a respondent id that is not
this diagnosis's (another diagnosis's colleague, a workshop participant); nothing of A changes. A colleague's
token opens none of the manager's pages, and the manager's token is no answering link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import Rule

from assessment.web import store
from assessment.web.models import Client, Consultant, Engagement, Firm, Respondent, SelfAssessment, db
from assessment.web.workshop import respondents as rs
from tests.web import fetch_csrf

FORM = {"department": "other", "name": "written by B", "days": "30", "final-org.mql_definition": "no",
        "was-org.mql_definition": "", "action": "save"}  # fmt: skip


@dataclass
class World:
    app: Flask
    a_token: str
    a_respondent: tuple[int, str]
    b_token: str
    b_respondent: tuple[int, str]
    survey_token: str
    workshop_respondent: tuple[int, str]


@pytest.fixture
def world(app: Flask) -> World:
    with app.test_request_context("/"):
        a = store.create({"version": 1, "client": {"name": "Alpha"}, "checklist": {"org.mql_definition": "yes"}})
        b = store.create({"version": 1, "client": {"name": "Beta"}})
        ra = rs.invite(a, "marketing", "Aiko", 14)
        rb = rs.invite(b, "field_sales", "Bob", 14)
        rs.save_answers(ra, {"org.mql_definition": "no"}, {}, done=False)
        survey = SelfAssessment(document={"version": 1}, drafts={}, survey_only=True)
        firm = Firm(name="F")
        db.session.add(firm)
        db.session.flush()
        consultant = Consultant(email="c@example.com", name="C", password_hash="x", firm_id=firm.id)
        db.session.add_all([survey, consultant])
        db.session.flush()
        client = Client(consultant_id=consultant.id, name="K")
        db.session.add(client)
        db.session.flush()
        engagement = Engagement(consultant_id=consultant.id, client_id=client.id, title="R", held_on=date.today(),
                                assessment_id=survey.id)  # fmt: skip
        db.session.add(engagement)
        db.session.commit()
        rw = rs.invite(engagement, "inside_sales", "", 14)
        return World(app, a.token, (ra.id, ra.token), b.token, (rb.id, rb.token), survey.token, (rw.id, rw.token))


def team_rules(app: Flask) -> list[Rule]:
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("team.")]
    assert {"team.team", "team.add_link", "team.revoke", "team.extend", "team.finals"} <= {r.endpoint for r in rules}
    return rules


def url(app: Flask, rule: Rule, token: str, respondent_id: int) -> str:
    values: dict[str, Any] = {"token": token, "respondent_id": respondent_id}
    unknown = set(rule.arguments) - set(values)
    assert not unknown, f"{rule.rule}: give the test a value for {sorted(unknown)}"
    with app.test_request_context("/"):
        return url_for(rule.endpoint, **{k: v for k, v in values.items() if k in rule.arguments})


def a_state(world: World) -> Any:
    with world.app.app_context():
        rows = db.session.execute(db.select(Respondent).order_by(Respondent.id)).scalars().all()
        people = [(r.id, r.name, r.department, r.revoked_at, r.expires_at, dict(r.answers)) for r in rows]
        return people, store.load(world.a_token).document, store.load(world.b_token).document


def test_every_team_url_is_404_for_anything_but_the_managers_own(world: World) -> None:
    browser = world.app.test_client()
    csrf = fetch_csrf(browser, f"/a/{world.b_token}/team")  # a real token of B's, so only the lookup can refuse
    before = a_state(world)
    checked = 0
    for rule in team_rules(world.app):
        wrong = [
            (world.a_respondent[1], world.a_respondent[0]),  # a colleague's token as the manager's
            (world.survey_token, world.workshop_respondent[0]),  # a workshop's survey link
            ("not-a-token", world.a_respondent[0]),
        ]
        if "respondent_id" in rule.arguments:
            wrong += [(world.b_token, world.a_respondent[0]), (world.a_token, world.b_respondent[0]),
                      (world.a_token, world.workshop_respondent[0]), (world.a_token, 987654321)]  # fmt: skip
        for token, respondent_id in wrong:
            path = url(world.app, rule, token, respondent_id)
            for method in sorted(rule.methods & {"GET", "POST"}):
                reply = browser.open(
                    path, method=method, data={**FORM, "csrf_token": csrf} if method == "POST" else None
                )
                assert reply.status_code == 404, (method, path, reply.status_code)
                body = reply.get_data(as_text=True)
                assert "Aiko" not in body and "Alpha" not in body and world.a_respondent[1] not in body
                checked += 1
    assert checked >= 25
    assert a_state(world) == before


def test_a_colleagues_link_and_the_managers_token_do_not_open_each_others_pages(world: World) -> None:
    browser = world.app.test_client()
    colleague = world.a_respondent[1]
    for page in ("profile", "review", "results", "team", "team/final", "report.pdf", "assessment.yaml"):
        assert browser.get(f"/a/{colleague}/{page}").status_code == 404, page
    for page in ("", "/checklist-organization", "/done"):
        assert browser.get(f"/r/{world.a_token}{page}").status_code == 404, page
    assert browser.get(f"/r/{colleague}").status_code == 302


def test_the_team_page_lists_only_the_diagnosis_own_colleagues(world: World) -> None:
    browser = world.app.test_client()
    a_page = browser.get(f"/a/{world.a_token}/team").get_data(as_text=True)
    assert "Aiko" in a_page and world.a_respondent[1] in a_page
    assert "Bob" not in a_page and world.b_respondent[1] not in a_page and world.workshop_respondent[1] not in a_page
    b_results = browser.get(f"/a/{world.b_token}/results").get_data(as_text=True)
    assert "Aiko" not in b_results and 'class="data gaps"' not in b_results


def test_a_workshop_round_does_not_count_a_teams_colleagues(world: World) -> None:
    with world.app.app_context():
        engagement = db.session.execute(db.select(Engagement)).scalar_one()
        assert [r.token for r in rs.respondents_of(engagement)] == [world.workshop_respondent[1]]
        a = db.session.execute(db.select(SelfAssessment).filter_by(token=world.a_token)).scalar_one()
        assert [r.token for r in rs.respondents_of(a)] == [world.a_respondent[1]]
        respondent = db.session.get(Respondent, world.a_respondent[0])
        assert respondent is not None
        respondent.expires_at = datetime.now(UTC) + timedelta(days=1)
        respondent.engagement_id = engagement.id  # both owners: the database refuses it
        with pytest.raises(IntegrityError, match="ck_respondents_one_owner"):  # SQLite and PostgreSQL name it
            db.session.commit()
        db.session.rollback()
