"""Issue 16 (defect 5): a round's title and date, a respondent's department, archiving and deleting, and the audit
log on the client's page. Hostile input is refused with the field named (422) and changes nothing; another
consultant's ids are covered by test_workshop_isolation (every workshop route with an id)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from assessment.web.accounts import create_consultant
from assessment.web.models import AuditEntry, Client, Engagement, Proposal, Respondent, SelfAssessment, db
from tests.web import build_app, dispose, text, visible_text
from tests.web.test_team_migration import flask_db, seed_round
from tests.web.test_workshop_isolation import (
    PASSWORD,
    answer_first_page,
    id_of,
    invite,
    post_form,
    respondent_row,
    signed_in,
)

MQL = "org.mql_definition"


@dataclass
class Desk:
    app: Flask
    a: FlaskClient
    b: FlaskClient
    client_id: int

    def new_round(self, title: str, held_on: str) -> int:
        url = f"/clients/{self.client_id}"
        response = post_form(self.a, url, url, {"title": title, "held_on": held_on})
        assert response.status_code == 302
        return id_of(response.location)

    def final(self, engagement_id: int, answer: str) -> None:
        url = f"/engagements/{engagement_id}/consensus"
        sent = post_form(self.a, url, url + "/item", {"item": MQL, "final": answer, "was-final": "", "was-note": ""})
        assert sent.status_code == 200

    def engagement(self, engagement_id: int) -> Engagement | None:
        with self.app.app_context():
            row = db.session.get(Engagement, engagement_id)
            if row is not None:
                db.session.expunge(row)
            return row


@pytest.fixture
def desk(tmp_path: Path, web_cache_dir: Path) -> Iterator[Desk]:
    app = build_app(tmp_path, web_cache_dir)
    with app.app_context():
        create_consultant("a@example.com", PASSWORD, "Consultant A")
        create_consultant("b@example.com", PASSWORD, "Consultant B")
    a, b = signed_in(app, "a@example.com"), signed_in(app, "b@example.com")
    response = post_form(a, "/clients", "/clients", {"name": "Typo Holdings"})
    yield Desk(app, a, b, id_of(response.location))
    dispose(app)


def test_a_date_typo_is_corrected_and_the_comparison_follows_the_dates(desk: Desk) -> None:
    first = desk.new_round("Round 1", "2027-01-10")  # typo: meant 2026
    desk.final(first, "yes")
    second = desk.new_round("Round 2", "2026-06-01")
    desk.final(second, "no")
    assert f"/engagements/{second}" in text(desk.a.get(f"/engagements/{first}"))  # round 1 compared with round 2
    assert f'href="/engagements/{first}"' not in text(desk.a.get(f"/engagements/{second}"))

    url = f"/engagements/{first}/edit"
    assert desk.a.get(url).status_code == 200
    saved = post_form(desk.a, url, url, {"title": "Round 1 (kick-off)", "held_on": "2026-01-10"})
    assert saved.status_code == 302
    row = desk.engagement(first)
    assert row is not None and (row.title, row.held_on.isoformat()) == ("Round 1 (kick-off)", "2026-01-10")
    assert f'href="/engagements/{first}"' in text(desk.a.get(f"/engagements/{second}"))  # now round 2 looks back
    assert f'href="/engagements/{second}"' not in text(desk.a.get(f"/engagements/{first}")).split("<main")[1]
    history = visible_text(desk.a.get(f"/clients/{desk.client_id}"))
    assert "2027-01-10 → 2026-01-10" in history and "Consultant A" in history


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "長" * 201, "held_on": "2026-01-01"}, "title"),
        ({"title": "<b>bold</b>", "held_on": "2026-01-01"}, "title"),
        ({"title": "", "held_on": "2026-01-01"}, "title"),
        ({"title": "Fine", "held_on": "2026-13-45"}, "held_on"),
        ({"title": "Fine", "held_on": "'; DROP TABLE engagements; --"}, "held_on"),
    ],
)
def test_hostile_round_edits_are_refused_with_the_field_named(desk: Desk, data: dict[str, str], field: str) -> None:
    engagement_id = desk.new_round("Original", "2026-02-02")
    url = f"/engagements/{engagement_id}/edit"
    response = post_form(desk.a, url, url, data)
    assert response.status_code == 422
    body = text(response)
    assert f'id="{field}-error"' in body and f'href="#{field}"' in body  # the summary names the field
    assert "<b>bold</b>" not in body
    row = desk.engagement(engagement_id)
    assert row is not None and (row.title, row.held_on.isoformat()) == ("Original", "2026-02-02")


def test_the_consultant_and_the_respondent_correct_a_department(desk: Desk) -> None:
    engagement_id = desk.new_round("Round", "2026-02-02")
    person = invite(desk.app, desk.a, engagement_id, "marketing", "Wrong Dept")
    answers = answer_first_page(desk.app.test_client(), person.token)
    page = f"/engagements/{engagement_id}"
    url = f"{page}/respondents/{person.id}/department"
    for bad in ("ceo", "<script>", "x" * 5000, ""):
        refused = post_form(desk.a, page, url, {"department": bad})
        assert refused.status_code == 422 and f'href="#department-{person.id}"' in text(refused)
    assert respondent_row(desk.app, person.id).department == "marketing"
    assert post_form(desk.a, page, url, {"department": "field_sales"}).status_code == 302
    row = respondent_row(desk.app, person.id)
    assert (row.department, row.answers) == ("field_sales", answers)  # the answers are kept

    phone = desk.app.test_client()
    own = f"/r/{person.token}/department"
    assert phone.get(own).status_code == 200
    assert f'href="{own}"' in text(phone.get(f"/r/{person.token}/checklist-organization"))
    assert post_form(phone, own, own, {"department": "ceo"}).status_code == 422
    assert post_form(phone, own, own, {"department": "inside_sales"}).status_code == 302
    assert respondent_row(desk.app, person.id).department == "inside_sales"
    history = visible_text(desk.a.get(f"/clients/{desk.client_id}"))
    # departments by their names in the reader's language, never their codes
    assert "マーケティング → フィールドセールス" in history and "フィールドセールス → インサイドセールス" in history
    assert "marketing → field_sales" not in history

    post_form(desk.a, page, f"{page}/respondents/{person.id}/revoke", {})  # a closed link changes nothing
    assert phone.get(own).status_code == 410
    assert post_form(desk.a, page, url, {"department": "marketing"}).status_code == 302  # the consultant still can


def counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Client, Engagement, Respondent, SelfAssessment, Proposal)
        }


def test_a_respondent_and_a_round_are_deleted_after_asking(desk: Desk) -> None:
    engagement_id = desk.new_round("Test round", "2026-02-02")
    person = invite(desk.app, desk.a, engagement_id, "marketing", "Test Person")
    url = f"/engagements/{engagement_id}/respondents/{person.id}/delete"
    confirm = desk.a.get(url)
    assert confirm.status_code == 200 and "Test Person" in visible_text(confirm)
    assert desk.a.post(url).status_code == 400  # no CSRF token: nothing deleted
    assert respondent_row(desk.app, person.id).name == "Test Person"
    assert post_form(desk.a, url, url, {}).status_code == 302
    with desk.app.app_context():
        assert db.session.get(Respondent, person.id) is None

    invite(desk.app, desk.a, engagement_id, "marketing", "Another")
    before = counts(desk.app)
    url = f"/engagements/{engagement_id}/delete"
    assert desk.a.get(url).status_code == 200
    assert post_form(desk.a, url, url, {}).status_code == 302
    after = counts(desk.app)
    assert (before["engagements"] - after["engagements"], before["respondents"] - after["respondents"]) == (1, 1)
    assert before["self_assessments"] - after["self_assessments"] == 1
    assert desk.a.get(f"/engagements/{engagement_id}").status_code == 404


def test_archiving_hides_and_keeps_deleting_a_client_removes_its_personal_data(desk: Desk, tmp_path: Path) -> None:
    engagement_id = desk.new_round("Round", "2026-02-02")
    person = invite(desk.app, desk.a, engagement_id, "marketing", "Hanako Secret")
    answer_first_page(desk.app.test_client(), person.token)
    url = f"/clients/{desk.client_id}/archive"
    assert post_form(desk.a, "/clients", url, {"archived": "1"}).status_code == 302
    listing = desk.a.get("/clients")
    assert "Typo Holdings" in visible_text(listing)  # listed among the archived, with a way back
    assert f'action="{url}"' in text(listing)
    assert desk.a.get(f"/clients/{desk.client_id}").status_code == 200
    assert respondent_row(desk.app, person.id).answers  # archived: nothing deleted
    assert post_form(desk.a, "/clients", url, {"archived": "0"}).status_code == 302

    delete = f"/clients/{desk.client_id}/delete"
    assert "Typo Holdings" in visible_text(desk.a.get(delete))
    assert post_form(desk.a, delete, delete, {}).status_code == 302
    assert counts(desk.app) == dict.fromkeys(
        ("clients", "engagements", "respondents", "self_assessments", "proposals"), 0
    )
    with desk.app.app_context():
        entries = db.session.scalars(select(AuditEntry)).all()
        assert entries and all(e.client_id is None for e in entries)  # a new client with this id sees none of them
        dump = "\n".join(repr(row) for table in db.metadata.sorted_tables for row in db.session.execute(select(table)))
    assert "Consultant A" in dump  # the dump reads every table (the accounts are still there)
    for secret in ("Hanako Secret", "Typo Holdings"):
        assert secret not in dump


def test_the_history_never_shows_another_consultants_client(desk: Desk) -> None:
    desk.new_round("A's private round", "2026-02-02")
    response = post_form(desk.b, "/clients", "/clients", {"name": "Beta"})
    b_page = visible_text(desk.b.get(response.location))
    assert "Consultant A" not in b_page and "2026-02-02" not in b_page
    assert desk.b.get(f"/clients/{desk.client_id}").status_code == 404
    assert "Consultant A" in visible_text(desk.a.get(f"/clients/{desk.client_id}"))


@pytest.mark.sqlite_only  # an old schema seeded through sqlite3 (PostgreSQL: test_postgres.py)
def test_the_migration_upgrades_a_database_with_data(tmp_path: Path) -> None:
    flask_db(tmp_path, "upgrade", "c3a1e07b52d4")
    when = "2026-11-20 10:00:00"
    with sqlite3.connect(tmp_path / "m.db") as connection:
        seed_round(connection, when, survey_only=True)
    flask_db(tmp_path, "upgrade")
    with sqlite3.connect(tmp_path / "m.db") as connection:
        assert connection.execute("SELECT name, archived_at FROM clients").fetchall() == [("K", None)]
        assert connection.execute("SELECT title, archived_at FROM engagements").fetchall() == [("R", None)]
        connection.execute(
            "INSERT INTO audit_entries (consultant_id, client_id, action, object_type, object_id, detail, created_at)"
            " VALUES (1, 1, 'round.edit', 'round', 1, 'title', ?)", (when,),
        )  # fmt: skip
    flask_db(tmp_path, "downgrade", "c3a1e07b52d4")
    with sqlite3.connect(tmp_path / "m.db") as connection:
        assert connection.execute("SELECT title FROM engagements").fetchall() == [("R",)]
