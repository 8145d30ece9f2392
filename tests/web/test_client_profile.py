"""A client's profile for the portfolio (issue 16): industry (free text up to 100 characters), employees (a whole
number from 1 to 1,000,000, typed as people type it), next round due (a date). Bad input comes back with a 422, the
field named and everything typed kept; a change is written to the client's history; the form carries its CSRF token
and appears on the client's page."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from assessment.web.accounts import create_consultant
from assessment.web.models import AuditEntry, Client, Engagement, SelfAssessment, db
from tests.web import csrf_token, error_summary, fetch_csrf, field_errors, parse, text, translate, visible_text

PASSWORD = "profile-password-2026"


def signed_in_with_client(app: Flask) -> tuple[FlaskClient, int]:
    """A consultant signed in through the sign-in form, with one client; the client's id."""
    with app.app_context():
        create_consultant("profile@example.com", PASSWORD, "プロフィール")
    browser = app.test_client()
    signed = browser.post(
        "/login",
        data={"csrf_token": fetch_csrf(browser, "/login"), "email": "profile@example.com", "password": PASSWORD},
    )
    assert signed.status_code == 302
    reply = browser.post(
        "/clients", data={"name": "プロフィール株式会社", "csrf_token": fetch_csrf(browser, "/clients")}
    )
    assert reply.status_code == 302
    return browser, int(reply.location.rsplit("/", 1)[1])


def stored(app: Flask, client_id: int) -> Client:
    with app.app_context():
        client = db.session.get(Client, client_id)
        assert client is not None
        db.session.expunge(client)
        return client


def test_the_profile_is_edited_on_the_clients_page_and_recorded(app: Flask) -> None:
    browser, client_id = signed_in_with_client(app)
    page = browser.get(f"/clients/{client_id}")
    body = text(page)
    assert f'action="/clients/{client_id}/profile"' in body and 'name="employees"' in body
    assert 'name="next_round_on"' in body and 'name="industry"' in body
    saved = browser.post(
        f"/clients/{client_id}/profile",
        data={
            "csrf_token": csrf_token(page),
            "industry": "  精密機器 製造  ",
            "employees": "１，２００名",
            "next_round_on": "2027-03-31",
        },
    )
    assert saved.status_code == 302 and saved.location == f"/clients/{client_id}#client-profile"
    client = stored(app, client_id)
    assert (client.industry, client.employees, client.next_round_on.isoformat()) == (
        "精密機器 製造",
        1200,
        "2027-03-31",
    )  # type: ignore[union-attr]
    shown = visible_text(browser.get(f"/clients/{client_id}?lang=ja"))
    assert "精密機器 製造" in shown and "1,200名" in shown and "2027年3月31日" in shown
    assert translate(app, "Client's industry, size or next round due changed", "ja") in shown  # the history
    with app.app_context():
        entry = db.session.execute(db.select(AuditEntry).filter_by(action="client.profile")).scalar_one()
        assert entry.client_id == client_id and entry.detail == "industry, employees, next_round_on"

    page = browser.get(f"/clients/{client_id}")  # clearing the size and the date
    again = browser.post(
        f"/clients/{client_id}/profile",
        data={"csrf_token": csrf_token(page), "industry": "精密機器 製造", "employees": "", "next_round_on": ""},
    )
    assert again.status_code == 302
    client = stored(app, client_id)
    assert (client.employees, client.next_round_on) == (None, None)
    with app.app_context():
        details = [
            e.detail for e in db.session.execute(db.select(AuditEntry).filter_by(action="client.profile")).scalars()
        ]
    assert details == ["industry, employees, next_round_on", "employees, next_round_on"]


def test_bad_input_is_a_422_that_names_the_field_and_keeps_what_was_typed(app: Flask) -> None:
    browser, client_id = signed_in_with_client(app)
    token = csrf_token(browser.get(f"/clients/{client_id}/profile"))
    for employees in ("abc", "0", "1000001", "12.5", "-3"):
        reply = browser.post(
            f"/clients/{client_id}/profile?lang=en",
            data={"csrf_token": token, "industry": "物流", "employees": employees, "next_round_on": "2027-01-15"},
        )
        assert reply.status_code == 422, employees
        assert field_errors(reply)["employees"] == "Enter a whole number of people from 1 to 1,000,000."
        assert "Employees" in error_summary(reply)
        kept = parse(reply).values
        assert (kept["industry"], kept["employees"]) == ("物流", employees)
        assert 'value="2027-01-15"' in text(reply)
    too_long = browser.post(
        f"/clients/{client_id}/profile?lang=ja",
        data={"csrf_token": token, "industry": "業" * 101, "employees": "", "next_round_on": ""},
    )
    assert too_long.status_code == 422 and "industry" in field_errors(too_long)
    assert translate(app, "Industry", "ja") in error_summary(too_long)
    bad_date = browser.post(
        f"/clients/{client_id}/profile",
        data={"csrf_token": token, "industry": "", "employees": "", "next_round_on": "2027-02-30"},
    )
    assert bad_date.status_code == 422 and "next_round_on" in field_errors(bad_date)
    client = stored(app, client_id)
    assert (client.industry, client.employees, client.next_round_on) == ("", None, None)  # nothing half-saved
    assert browser.post(f"/clients/{client_id}/profile", data={"industry": "x"}).status_code == 400  # no CSRF token


def test_a_profile_page_of_its_own_reads_the_stored_values(app: Flask) -> None:
    browser, client_id = signed_in_with_client(app)
    token = fetch_csrf(browser, f"/clients/{client_id}/profile")
    browser.post(
        f"/clients/{client_id}/profile",
        data={"csrf_token": token, "industry": "SaaS", "employees": "45", "next_round_on": ""},
    )
    page = parse(browser.get(f"/clients/{client_id}/profile"))
    assert (page.values["industry"], page.values["employees"]) == ("SaaS", "45")
    assert browser.get(f"/clients/{client_id + 99}/profile").status_code == 404


def test_a_new_round_starts_from_the_clients_profile(app: Flask) -> None:
    """The head count typed once on the client's profile reaches the round's company profile (the phase that fits
    the size needs it), so the proposal does not say it is missing."""
    browser, client_id = signed_in_with_client(app)
    page = browser.get(f"/clients/{client_id}")
    browser.post(
        f"/clients/{client_id}/profile",
        data={"csrf_token": csrf_token(page), "industry": "SaaS", "employees": "85", "next_round_on": ""},
    )
    page = browser.get(f"/clients/{client_id}")
    made = browser.post(
        f"/clients/{client_id}", data={"csrf_token": csrf_token(page), "title": "第1回", "held_on": "2026-11-30"}
    )
    assert made.status_code == 302
    with app.app_context():
        engagement = db.session.execute(db.select(Engagement).filter_by(client_id=client_id)).scalar_one()
        survey = db.session.get(SelfAssessment, engagement.assessment_id)
        assert survey is not None
        assert survey.document["client"] == {"name": "プロフィール株式会社", "employees": 85, "industry": "SaaS"}
