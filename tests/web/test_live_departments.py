"""The live screen's JSON per department: a department's answers appear apart only from
READINESS_MIN_DEPARTMENT_RESPONDENTS respondents, smaller ones are merged into "other" (shown only when it, too,
is big enough), and below that there is no breakdown at all: the overall distribution only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.web.accounts import create_consultant
from assessment.web.forms import field_name
from tests.web import build_app, dispose, text
from tests.web.test_workshop_flow import CONTENT, ITEMS, MQL, answer, field, new_client, new_round


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("live"), web_cache_dir, WTF_CSRF_ENABLED=False)
    with app.app_context():
        create_consultant("live@example.com", "live-password-123", "鈴木 一郎")
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def consultant(app: Flask) -> FlaskClient:
    client = app.test_client()
    reply = client.post("/login", data={"email": "live@example.com", "password": "live-password-123"})
    assert reply.status_code == 302
    return client


def live_round(app: Flask, consultant: FlaskClient, people: list[tuple[str, str]]) -> dict[str, Any]:
    """A new round where each (department, answer to MQL) answers; the live JSON."""
    engagement = new_round(consultant, new_client(consultant, f"ライブ{len(people)}株式会社"), "第1回", "2026-10-01")
    for department, mql in people:
        answer(app, consultant, engagement, department, {MQL: mql})
    state: dict[str, Any] = consultant.get(f"/engagements/{engagement}/live.json").get_json()
    return state


def shown(state: dict[str, Any]) -> list[str]:
    return [row["department"] for row in state["departments"]]


def breakdowns(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [group for row in state["items"] for group in row["by_department"]]


def test_a_lone_department_is_never_broken_down(app: Flask, consultant: FlaskClient) -> None:
    """Three marketers say yes, one customer success person says no: CS cannot stand alone, "other" would hold
    one person, so marketing is merged too and only the overall distribution is left. The perception gap stays
    flagged, as the consensus page finds it between the real departments: the screen says that the departments
    disagree, never which department answered what."""
    state = live_round(app, consultant, [("marketing", "yes")] * 3 + [("customer_success", "no")])
    assert state["minimum"] == 3
    assert state["departments"] == [] and breakdowns(state) == []
    assert state["gaps"] == [MQL]
    mql = next(row for row in state["items"] if row["item"] == MQL)
    assert mql["counts"]["yes"] == 3 and mql["counts"]["no"] == 1  # the overall distribution stays
    assert "customer_success" in {row["department"] for row in state["participation"]["by_department"]}


def test_departments_at_the_minimum_are_shown_in_the_model_order_and_small_ones_merged(
    app: Flask, consultant: FlaskClient
) -> None:
    people = (
        [("customer_success", "no")] * 3
        + [("marketing", "yes")] * 3
        + [("field_sales", "partial")] * 2
        + [("management", "no")]
    )
    state = live_round(app, consultant, people)
    assert shown(state) == ["marketing", "customer_success", "other"]
    assert [row["people"] for row in state["departments"]] == [3, 3, 3]
    mql = next(row for row in state["items"] if row["item"] == MQL)
    by = {group["department"]: group for group in mql["by_department"]}
    assert by["marketing"]["counts"]["yes"] == 3
    assert by["customer_success"]["counts"]["no"] == 3
    assert by["other"]["counts"] == {"yes": 0, "partial": 2, "no": 1, "unknown": 0, "unanswered": 0}
    assert [group["department"] for group in mql["by_department"]] == ["marketing", "customer_success", "other"]
    assert MQL in state["gaps"]
    assert all(group["people"] >= 3 for group in breakdowns(state))
    assert len(state["items"]) == len(ITEMS)


def test_a_small_remainder_pulls_the_smallest_department_into_other(app: Flask, consultant: FlaskClient) -> None:
    """Marketing 4, field sales 3 and one inside sales person: "other" would be that one person, and the overall
    minus the two departments would give their answers away, so field sales joins "other"."""
    people = [("marketing", "yes")] * 4 + [("field_sales", "no")] * 3 + [("inside_sales", "partial")]
    state = live_round(app, consultant, people)
    assert shown(state) == ["marketing", "other"]
    assert [row["people"] for row in state["departments"]] == [4, 4]
    assert all(group["people"] >= 3 for group in breakdowns(state))


def test_the_minimum_is_a_setting(make_app: Any) -> None:
    app = make_app(READINESS_MIN_DEPARTMENT_RESPONDENTS=1, WTF_CSRF_ENABLED=False)
    with app.app_context():
        create_consultant("one@example.com", "one-password-1234", "一人")
    client = app.test_client()
    assert client.post("/login", data={"email": "one@example.com", "password": "one-password-1234"}).status_code == 302
    state = live_round(app, client, [("customer_success", "no"), ("marketing", "yes")])
    assert shown(state) == ["marketing", "customer_success"]
    assert MQL in state["gaps"]


def test_the_projected_pages_have_no_account_links_nor_language_switch(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, new_client(consultant, "投影株式会社"), "第1回", "2026-10-01")
    token = answer(app, consultant, engagement, "customer_success", {MQL: "no"})
    person = app.test_client()
    data = {field(i.id): "no" for i in CONTENT.checklist.items if i.axis == "organization"}
    data[field_name(f"comments.{MQL}")] = "引き継ぎが曖昧"
    reply = person.post(f"/r/{token}/checklist-organization", data={**data, "action": "next"})
    assert reply.status_code == 302
    for path in ("live", "present"):
        page = text(consultant.get(f"/engagements/{engagement}/{path}"))
        assert 'class="account"' not in page and 'class="lang"' not in page and "/logout" not in page
        assert 'class="exit"' in page and "<main" in page
    page = text(consultant.get(f"/engagements/{engagement}/present"))
    assert page.count('<section class="slide') == len(ITEMS)
    assert "<li>引き継ぎが曖昧</li>" in page  # one CS person: the comment carries no department (nor name)
