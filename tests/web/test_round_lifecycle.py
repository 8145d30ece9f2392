"""A round's lifecycle (issue 16, defect 1): the consultant closes a round, every answer is kept and no edit is
taken (respondents' links, the join code, the survey link and the final answers), the results, the exported
round and the next round's comparison read the snapshot taken at closing, and reopening is recorded and lets
edits in again. A save racing with the close is refused by its own UPDATE, never acknowledged and lost."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from assessment import diagnose, load_content, parse_assessment
from assessment.web.accounts import create_consultant
from assessment.web.models import Engagement, Respondent, SelfAssessment, db
from assessment.web.workshop import respondents as respondents_module
from tests.web import build_app, dispose, text

CONTENT = load_content()
ITEMS = [item.id for item in CONTENT.checklist.items]
MQL = "org.mql_definition"
PASSWORD = "lifecycle-password-123"


def field(item_id: str) -> str:
    return "checklist__" + item_id.replace(".", "__")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("lifecycle"), web_cache_dir, WTF_CSRF_ENABLED=False)
    with app.app_context():
        create_consultant("yamada@example.com", PASSWORD, "山田")
        create_consultant("other@example.com", PASSWORD, "他社")
    yield app
    dispose(app)


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture(scope="module")
def consultant(app: Flask) -> FlaskClient:
    return signed_in(app, "yamada@example.com")


def new_round(consultant: FlaskClient, client_name: str, title: str = "第1回", held_on: str = "2026-11-01") -> int:
    reply = consultant.post("/clients", data={"name": client_name})
    client_id = int(reply.location.rsplit("/", 1)[1])
    return round_of(consultant, client_id, title, held_on)


def round_of(consultant: FlaskClient, client_id: int, title: str, held_on: str) -> int:
    reply = consultant.post(f"/clients/{client_id}", data={"title": title, "held_on": held_on})
    assert reply.status_code == 302
    return int(reply.location.rsplit("/", 1)[1])


def client_of(app: Flask, engagement_id: int) -> int:
    with app.app_context():
        return db.session.get(Engagement, engagement_id).client_id  # type: ignore[union-attr]


def invite(consultant: FlaskClient, engagement_id: int, department: str) -> str:
    reply = consultant.post(
        f"/engagements/{engagement_id}/invites", data={"department": department, "name": department, "days": "3"}
    )
    assert reply.status_code == 302
    return re.findall(r"/r/([\w-]{30,})\"", text(consultant.get(f"/engagements/{engagement_id}")))[-1]


def save_page(person: FlaskClient, token: str, axis: str, answers: dict[str, str]) -> Any:
    data = {field(i.id): answers.get(i.id, "yes") for i in CONTENT.checklist.items if i.axis == axis}
    return person.post(f"/r/{token}/checklist-{axis}", data={**data, "action": "next"})


def answer(app: Flask, token: str, answers: dict[str, str]) -> None:
    person = app.test_client()
    for axis in ("organization", "tools", "data"):
        assert save_page(person, token, axis, answers).status_code == 302


def stored_answers(app: Flask, token: str) -> dict[str, str]:
    with app.app_context():
        row = db.session.execute(db.select(Respondent).filter_by(token=token)).scalar_one()
        return dict(row.answers)


def survey_token(app: Flask, engagement_id: int) -> str:
    with app.app_context():
        engagement = db.session.get(Engagement, engagement_id)
        return db.session.get(SelfAssessment, engagement.assessment_id).token  # type: ignore[union-attr]


def close(consultant: FlaskClient, engagement_id: int) -> None:
    assert consultant.post(f"/engagements/{engagement_id}/close").status_code == 302


def reopen(consultant: FlaskClient, engagement_id: int) -> None:
    assert consultant.post(f"/engagements/{engagement_id}/reopen").status_code == 302


def overall(consultant: FlaskClient, engagement_id: int) -> float:
    document = yaml.safe_load(consultant.get(f"/engagements/{engagement_id}/export/assessment.yaml").data)
    return diagnose(parse_assessment(document, CONTENT), CONTENT).scores.overall


def since_section(consultant: FlaskClient, engagement_id: int) -> str:
    page = text(consultant.get(f"/engagements/{engagement_id}/results?lang=ja"))
    found = re.search(r'<section class="since" id="since-last".*?</section>', page, re.S)
    assert found, "the results compare with the previous round"
    return found.group(0)


def test_a_closed_round_takes_no_edit_anywhere_and_says_so_kindly(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, "締切株式会社")
    token = invite(consultant, engagement, "marketing")
    answer(app, token, dict.fromkeys(ITEMS, "yes"))
    code = re.search(r"/j/([a-z0-9]+)", text(consultant.get(f"/engagements/{engagement}"))).group(1)  # type: ignore[union-attr]
    survey = survey_token(app, engagement)
    close(consultant, engagement)

    # The respondent's link: every page says the round is closed, in Japanese and in English, and whom to ask.
    person = app.test_client()
    page = person.get(f"/r/{token}/checklist-organization")
    assert page.status_code == 410 and page.headers["Cache-Control"] == "no-store"
    assert "締め切られました" in text(page) and "山田" in text(page)
    english = app.test_client().get(f"/r/{token}/checklist-organization?lang=en")
    assert "This round is closed" in text(english) and "山田" in text(english)
    assert person.get(f"/r/{token}").status_code == 410
    # A save sent after closing is refused with the same page, and nothing is written.
    refused = save_page(person, token, "organization", dict.fromkeys(ITEMS, "no"))
    assert refused.status_code == 410 and "締め切られました" in text(refused)
    assert set(stored_answers(app, token).values()) == {"yes"}

    # The join code and the survey link.
    joined = app.test_client().get(f"/j/{code}")
    assert joined.status_code == 410 and "締め切られました" in text(joined)
    assert app.test_client().post(f"/j/{code}", data={"department": "marketing"}).status_code == 410
    with app.app_context():
        count = db.session.query(Respondent).filter_by(engagement_id=engagement).count()
    assert count == 1
    visitor = app.test_client()
    assert visitor.get(f"/a/{survey}/profile").status_code == 410
    sent = visitor.post(f"/a/{survey}/profile", data={"client__name": "書き換え", "action": "next"})
    assert sent.status_code == 410 and "締め切られました" in text(sent)
    with app.app_context():
        document = db.session.execute(db.select(SelfAssessment).filter_by(token=survey)).scalar_one().document
    assert document["client"]["name"] == "締切株式会社"

    # The consultant's final answers are read-only while closed.
    consensus = text(consultant.get(f"/engagements/{engagement}/consensus"))
    assert 'id="round-closed"' in consensus and '<fieldset class="plain" disabled>' in consensus
    final = consultant.post(f"/engagements/{engagement}/consensus", data={f"final-{MQL}": "no"})
    assert final.status_code == 409 and 'id="round-closed"' in text(final)
    with app.app_context():
        stored = db.session.execute(db.select(SelfAssessment).filter_by(token=survey)).scalar_one().document
    assert MQL not in (stored.get("checklist") or {})
    # The narrative is the consultant's writing, which no score reads: it can still be written.
    assert consultant.post(
        f"/engagements/{engagement}/proposal", data={"note-executive_summary": "締切後の総括"}
    ).status_code == 302  # fmt: skip


def test_a_late_edit_changes_neither_the_closed_round_nor_the_next_rounds_comparison(
    app: Flask, consultant: FlaskClient
) -> None:
    first = new_round(consultant, "比較株式会社", "第1回", "2026-05-01")
    keen = invite(consultant, first, "marketing")
    answer(app, keen, dict.fromkeys(ITEMS, "yes"))
    doubter = invite(consultant, first, "field_sales")
    answer(app, doubter, dict.fromkeys(ITEMS, "partial"))
    second = round_of(consultant, client_of(app, first), "第2回", "2026-11-01")
    answer(app, invite(consultant, second, "marketing"), dict.fromkeys(ITEMS, "yes"))
    close(consultant, first)
    score, comparison = overall(consultant, first), since_section(consultant, second)

    # The late edit through the link is refused; so is revoking a link (a 409: a closed round's links stay as they
    # are), which could otherwise change what the round counts once reopened.
    assert save_page(app.test_client(), keen, "organization", dict.fromkeys(ITEMS, "no")).status_code == 410
    with app.app_context():
        doubter_id = db.session.execute(db.select(Respondent.id).filter_by(token=doubter)).scalar_one()
    revoked = consultant.post(f"/engagements/{first}/respondents/revoke", data={"respondent": [str(doubter_id)]})
    assert revoked.status_code == 409
    with app.app_context():
        assert db.session.get(Respondent, doubter_id).revoked_at is None  # type: ignore[union-attr]
    with app.app_context():  # and even a row changed under the app (a restored backup, a script) moves nothing
        late = dict.fromkeys(ITEMS, "no")
        db.session.execute(update(Respondent).where(Respondent.token == keen).values(answers=late))
        db.session.commit()
    assert overall(consultant, first) == score
    assert since_section(consultant, second) == comparison
    assert "締切後" not in comparison

    # Reopened, the round follows its live rows again (the snapshot has no authority until it is closed again).
    reopen(consultant, first)
    assert overall(consultant, first) < score  # the keen marketer's row now says "no"
    assert since_section(consultant, second) != comparison


def test_reopening_lets_edits_in_again_and_the_history_shows_both(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, "再開株式会社")
    token = invite(consultant, engagement, "marketing")
    page = text(consultant.get(f"/engagements/{engagement}"))
    assert 'class="badge round-open"' in page and "受付中" in page and "ラウンドを締め切る" in page
    close(consultant, engagement)
    page = text(consultant.get(f"/engagements/{engagement}"))
    assert 'class="badge round-closed"' in page and "ラウンドを再開する" in page
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d 山田が締め切り", page), page
    close(consultant, engagement)  # closing twice records nothing more
    reopen(consultant, engagement)
    answer(app, token, dict.fromkeys(ITEMS, "no"))
    assert set(stored_answers(app, token).values()) == {"no"}
    page = text(consultant.get(f"/engagements/{engagement}"))
    history = re.findall(r"<li>(\d{4}年[^<]*)</li>", page)
    assert len(history) == 2 and history[0].endswith("山田が締め切り") and history[1].endswith("山田が再開")
    english = text(consultant.get(f"/engagements/{engagement}?lang=en"))
    assert "closed by 山田" in english and "reopened by 山田" in english


def test_a_save_that_read_the_round_open_is_refused_by_its_own_update(
    app: Flask, consultant: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The flag flips between the save's load and its UPDATE: the UPDATE's own condition refuses it."""
    engagement = new_round(consultant, "競合株式会社")
    token = invite(consultant, engagement, "marketing")
    answer(app, token, dict.fromkeys(ITEMS, "yes"))
    real_write = respondents_module.write
    closed_meanwhile: list[bool] = []

    def close_before_the_update(statement: Any, values: dict[str, Any]) -> Any:
        if statement.is_dml and not closed_meanwhile:  # the save has read the row (round open): now it closes
            closed_meanwhile.append(True)
            close(consultant, engagement)
        return real_write(statement, values)

    monkeypatch.setattr(respondents_module, "write", close_before_the_update)
    refused = save_page(app.test_client(), token, "organization", dict.fromkeys(ITEMS, "no"))
    assert closed_meanwhile and refused.status_code == 410
    assert set(stored_answers(app, token).values()) == {"yes"}
    monkeypatch.undo()
    with app.app_context():
        snapshot = db.session.get(Engagement, engagement).snapshot  # type: ignore[union-attr]
    assert snapshot["respondents"][0]["answers"] == dict.fromkeys(ITEMS, "yes")


@pytest.mark.parametrize("who", ["respondent", "survey link"])
def test_a_save_arriving_while_the_close_is_under_way_is_refused_not_lost(
    app: Flask, consultant: FlaskClient, monkeypatch: pytest.MonkeyPatch, who: str
) -> None:
    """The close has flipped the flag and read the answers, and has not committed yet, when a respondent's (or
    the survey link's) save arrives: the save waits for the close and is refused (410; on SQLite, 503 if its busy
    wait runs out first). On PostgreSQL (read committed) a respondent's save used to see the round still open,
    and was acknowledged (302) while the snapshot being written lacked it."""
    engagement = new_round(consultant, f"締切途中株式会社 {who}")
    token = invite(consultant, engagement, "marketing")
    answer(app, token, dict.fromkeys(ITEMS, "yes"))
    survey = survey_token(app, engagement)
    read_them, go_on = threading.Event(), threading.Event()
    real_answers_of = respondents_module.answers_of

    def read_then_pause(owner: Any) -> Any:
        found = real_answers_of(owner)  # the snapshot's answers, inside the closing transaction
        read_them.set()
        go_on.wait(20)
        return found

    monkeypatch.setattr(respondents_module, "answers_of", read_then_pause)
    replies: dict[str, int] = {}

    def closing() -> None:
        replies["close"] = consultant.post(f"/engagements/{engagement}/close").status_code

    def saving() -> None:
        if who == "respondent":
            sent = save_page(app.test_client(), token, "organization", dict.fromkeys(ITEMS, "no"))
        else:
            sent = app.test_client().post(
                f"/a/{survey}/profile", data={"client__name": "遅い書き換え", "action": "next"}
            )
        replies["save"] = sent.status_code

    closer = threading.Thread(target=closing)
    closer.start()
    assert read_them.wait(20)
    saver = threading.Thread(target=saving)
    saver.start()
    saver.join(1.0)  # an acknowledged save that did not wait for the close came back within this second
    go_on.set()
    closer.join(20)
    saver.join(20)
    monkeypatch.undo()
    assert replies["close"] == 302
    assert replies["save"] in (410, 503), replies  # refused, never acknowledged
    assert set(stored_answers(app, token).values()) == {"yes"}
    with app.app_context():
        snapshot = db.session.get(Engagement, engagement).snapshot  # type: ignore[union-attr]
        document = db.session.execute(db.select(SelfAssessment).filter_by(token=survey)).scalar_one().document
    assert snapshot["respondents"][0]["answers"] == dict.fromkeys(ITEMS, "yes")
    assert document["client"]["name"] == snapshot["document"]["client"]["name"] == f"締切途中株式会社 {who}"


def test_a_survey_save_that_read_the_round_open_is_refused(
    app: Flask, consultant: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assessment.web import store

    engagement = new_round(consultant, "調査株式会社")
    survey = survey_token(app, engagement)
    real_load = store.load

    def load_then_close(token: str) -> store.Stored:
        row = real_load(token)
        if not row.closed:
            close(consultant, engagement)  # after the row was read as open
        return row

    monkeypatch.setattr(store, "load", load_then_close)
    sent = app.test_client().post(f"/a/{survey}/profile", data={"client__name": "競合の書き換え", "action": "next"})
    monkeypatch.undo()
    assert sent.status_code == 410
    with app.app_context():
        document = db.session.execute(db.select(SelfAssessment).filter_by(token=survey)).scalar_one().document
    assert document["client"]["name"] == "調査株式会社"


def test_another_consultant_can_neither_close_nor_reopen(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, "隔離株式会社")
    other = signed_in(app, "other@example.com")
    assert other.post(f"/engagements/{engagement}/close").status_code == 404
    close(consultant, engagement)
    assert other.post(f"/engagements/{engagement}/reopen").status_code == 404
    with app.app_context():
        assert db.session.get(Engagement, engagement).closed_at is not None  # type: ignore[union-attr]
    assert app.test_client().post(f"/engagements/{engagement}/reopen").status_code in (302, 401)
    with app.app_context():
        assert db.session.get(Engagement, engagement).closed_at is not None  # type: ignore[union-attr]
