"""The consensus page's per-item autosave (issue 16, defect 2): one item saved on its own, conditional on what the
page showed for it, so a second tab is told of a conflict instead of overwriting; invalid values are refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.web.accounts import create_consultant
from assessment.web.models import Engagement, SelfAssessment, db
from tests.web import build_app, dispose, fetch_csrf, text
from tests.web.test_workshop_isolation import PASSWORD, id_of, post_form, signed_in

MQL = "org.mql_definition"


@dataclass
class Desk:
    app: Flask
    browser: FlaskClient
    engagement_id: int

    @property
    def url(self) -> str:
        return f"/engagements/{self.engagement_id}/consensus"

    def send(self, **fields: str) -> Any:
        token = fetch_csrf(self.browser, self.url)
        return self.browser.post(self.url + "/item", data={"csrf_token": token, **fields})

    def stored(self) -> dict[str, Any]:
        with self.app.app_context():
            engagement = db.session.get(Engagement, self.engagement_id)
            assert engagement is not None
            row = db.session.get(SelfAssessment, engagement.assessment_id)
            assert row is not None
            return {"checklist": row.document.get("checklist") or {}, "comments": row.document.get("comments") or {}}


@pytest.fixture
def desk(tmp_path: Path, web_cache_dir: Path) -> Iterator[Desk]:
    app = build_app(tmp_path, web_cache_dir)
    with app.app_context():
        create_consultant("a@example.com", PASSWORD, "Consultant A")
    browser = signed_in(app, "a@example.com")
    client = post_form(browser, "/clients", "/clients", {"name": "Autosave Co"})
    created = post_form(browser, client.location, client.location, {"title": "Round", "held_on": "2026-03-01"})
    yield Desk(app, browser, id_of(created.location))
    dispose(app)


def test_the_page_loads_its_script_and_says_where_it_saves(desk: Desk) -> None:
    page = text(desk.browser.get(desk.url))
    assert "/static/consensus.js" in page
    assert f'data-autosave="{desk.url}/item"' in page
    assert f'id="state-{MQL}"' in page


def test_one_item_is_saved_on_its_own(desk: Desk) -> None:
    response = desk.send(item=MQL, final="partial", note="  agreed  ", **{"was-final": "", "was-note": ""})
    assert response.status_code == 200, response.status_code
    assert response.get_json() == {"state": "saved", "final": "partial", "note": "agreed"}
    assert desk.stored() == {"checklist": {MQL: "partial"}, "comments": {MQL: "agreed"}}
    assert 'value="partial" selected' in text(desk.browser.get(desk.url))


def test_a_second_tab_is_told_of_the_conflict_and_overwrites_nothing(desk: Desk) -> None:
    assert desk.send(item=MQL, final="yes", note="", **{"was-final": "", "was-note": ""}).status_code == 200
    stale = desk.send(item=MQL, final="no", note="", **{"was-final": "", "was-note": ""})
    assert stale.status_code == 409
    body = stale.get_json()
    assert (body["state"], body["final"]) == ("conflict", "yes")
    assert "はい" in body["message"] and "いいえ" in body["message"]
    assert desk.stored()["checklist"] == {MQL: "yes"}
    knowing = desk.send(item=MQL, final="no", note="", **{"was-final": "yes", "was-note": ""})
    assert knowing.status_code == 200 and desk.stored()["checklist"] == {MQL: "no"}


@pytest.mark.parametrize(
    "fields",
    [
        {"item": "org.nope", "final": "yes"},
        {"item": "<script>", "final": "yes"},
        {"item": MQL, "final": "maybe"},
        {"item": MQL, "final": "yes", "note": "x" * 5000},
        {"item": MQL, "final": "yes", "note": "bad\x07bell"},
    ],
)
def test_invalid_values_are_refused_and_nothing_changes(desk: Desk, fields: dict[str, str]) -> None:
    response = desk.send(**fields)
    assert response.status_code == 422
    assert response.get_json()["state"] == "invalid" and response.get_json()["message"]
    assert desk.stored() == {"checklist": {}, "comments": {}}


def test_without_the_csrf_token_nothing_is_saved(desk: Desk) -> None:
    response = desk.browser.post(desk.url + "/item", data={"item": MQL, "final": "yes"})
    assert response.status_code == 400
    assert desk.stored() == {"checklist": {}, "comments": {}}
