"""Defects a hands-on review of the workshop mode found, each asserted on what the consultant, the client or a
respondent sees: the department button's word, a closed round's page and live screen, a department change on a
closed round, the survey's own "last saved" time and carried-over status, the client's history in the reader's
words and time zone, the survey link's (absent) expiry warning, the join form's department, the time estimates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from assessment import load_content
from assessment.engine.answering_time import minutes_to_answer
from assessment.web.accounts import create_consultant
from assessment.web.models import AuditEntry, Engagement, Respondent, SelfAssessment, db
from tests.web import build_app, dispose, field_errors, parse, text, visible_text
from tests.web.test_round_lifecycle import (
    PASSWORD,
    client_of,
    close,
    invite,
    new_round,
    reopen,
    round_of,
    signed_in,
    survey_token,
)

CONTENT = load_content()
FILLED_AT = datetime(2026, 11, 29, 13, 53, tzinfo=UTC)  # 22:53 in Tokyo, the app's time zone


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("review"), web_cache_dir, WTF_CSRF_ENABLED=False)
    with app.app_context():
        create_consultant("yamada@example.com", PASSWORD, "山田")
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def consultant(app: Flask) -> FlaskClient:
    return signed_in(app, "yamada@example.com")


def round_page(consultant: FlaskClient, engagement_id: int, lang: str = "ja") -> str:
    reply = consultant.get(f"/engagements/{engagement_id}?lang={lang}")
    assert reply.status_code == 200
    return text(reply)


def respondent_id(app: Flask, token: str) -> int:
    with app.app_context():
        return int(db.session.execute(db.select(Respondent.id).filter_by(token=token)).scalar_one())


def department_of(app: Flask, token: str) -> str:
    with app.app_context():
        return str(db.session.execute(db.select(Respondent.department).filter_by(token=token)).scalar_one())


def fill_survey(app: Flask, engagement_id: int) -> None:
    """The client fills the survey's profile page in through the survey link, then it reads as saved at 22:53."""
    survey = survey_token(app, engagement_id)
    visitor = app.test_client()
    assert visitor.post(f"/a/{survey}/profile", data={"client__employees": "80", "action": "next"}).status_code == 302
    with app.app_context():
        db.session.execute(
            update(SelfAssessment)
            .where(SelfAssessment.token == survey)
            .values(updated_at=FILLED_AT, survey_saved_at=FILLED_AT)
        )
        db.session.commit()


def survey_status(consultant: FlaskClient, engagement_id: int, lang: str = "ja") -> str:
    page = round_page(consultant, engagement_id, lang)
    found = re.search(r'<p id="survey-status">.*?</p>', page, re.S)
    assert found, "the round page says how far the survey is filled in"
    return visible_text(found.group(0))


# 1. The department button says 変更 (change it), not 変化 (a difference, the comparison's column).


def test_the_department_button_says_change_it_and_the_comparison_column_says_difference(
    app: Flask, consultant: FlaskClient
) -> None:
    first = new_round(consultant, "変更ボタン株式会社", "第1回", "2026-05-01")
    invite(consultant, first, "marketing")
    page = round_page(consultant, first)
    form = re.search(r'<form [^>]*class="inline department">.*?</form>', page, re.S)
    assert form and visible_text(form.group(0)).endswith("変更"), form
    assert "変化" not in visible_text(form.group(0))
    assert ">変化<" not in page
    # the comparison with the previous round keeps its column 変化
    answer_round = invite(consultant, first, "field_sales")
    person = app.test_client()
    for axis in ("organization", "tools", "data"):
        data = {
            "checklist__" + i.id.replace(".", "__"): "yes" for i in CONTENT.checklist.items if i.axis == axis
        }  # fmt: skip
        assert person.post(f"/r/{answer_round}/checklist-{axis}", data={**data, "action": "next"}).status_code == 302
    second = round_of(consultant, client_of(app, first), "第2回", "2026-11-01")
    results = text(consultant.get(f"/engagements/{second}/results?lang=ja"))
    since = re.search(r'<section class="since" id="since-last".*?</section>', results, re.S)
    assert since and '<th scope="col" class="r">変化</th>' in since.group(0)


# 3. and 4. A closed round says so: no join, revoke, create-link or deadline controls; no department change.


def test_a_closed_round_page_says_it_is_closed_and_offers_no_control_that_takes_answers(
    app: Flask, consultant: FlaskClient
) -> None:
    engagement = new_round(consultant, "締切表示株式会社")
    token = invite(consultant, engagement, "marketing")
    page = round_page(consultant, engagement)
    assert "参加リンクを締め切る" in page and "無効化" in page and "個別の回答リンクを作成" in page
    assert f'action="/engagements/{engagement}/deadline"' in page and "期限なし" in visible_text(page)
    close(consultant, engagement)

    page = round_page(consultant, engagement)
    shown = visible_text(page)
    assert "参加リンクは受付中です" not in shown
    assert "参加リンクを締め切る" not in shown and "参加リンクを再開" not in shown
    assert "期限なし" not in shown
    assert "まで有効" not in shown and ">無効化<" not in page and 'id="revoke-selected"' not in page
    assert "個別の回答リンクを作成" not in shown and f'action="/engagements/{engagement}/invites"' not in page
    assert f'action="/engagements/{engagement}/deadline"' not in page and f"/engagements/{engagement}/join" not in page
    assert f"/respondents/{respondent_id(app, token)}/department" not in page  # no department control
    assert "ラウンドは締め切られています" in shown and "ラウンドを再開" in shown
    assert "ラウンドとともに締切" in shown
    english = visible_text(round_page(consultant, engagement, "en"))
    assert "The round is closed: the join link and every answering link take no answers" in english
    assert "The join link is open." not in english

    reopen(consultant, engagement)
    page = round_page(consultant, engagement)
    assert "参加リンクを締め切る" in page and "個別の回答リンクを作成" in page and ">無効化<" in page


def test_a_department_change_on_a_closed_round_is_refused_with_the_reason(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, "部門変更株式会社")
    token = invite(consultant, engagement, "marketing")
    close(consultant, engagement)
    url = f"/engagements/{engagement}/respondents/{respondent_id(app, token)}/department"
    refused = consultant.post(url + "?lang=ja", data={"department": "field_sales"})
    assert refused.status_code == 409
    summary = visible_text(re.search(r'<div class="error-summary".*?</div>', text(refused), re.S).group(0))  # type: ignore[union-attr]
    assert "部門" in summary and "ラウンドは締め切られています" in summary and "再開" in summary
    assert department_of(app, token) == "marketing"
    reopen(consultant, engagement)
    assert consultant.post(url, data={"department": "field_sales"}).status_code == 302
    assert department_of(app, token) == "field_sales"


def test_a_page_left_open_from_before_the_closing_changes_no_link_join_link_or_deadline(
    app: Flask, consultant: FlaskClient
) -> None:
    """The closed round's page no longer offers these; a stale page that still sends one gets the round's page with
    why, a 409, and nothing changes (reopening lets them through again)."""
    engagement = new_round(consultant, "締切後の操作株式会社")
    token = invite(consultant, engagement, "marketing")
    person = respondent_id(app, token)
    close(consultant, engagement)

    def state() -> tuple[object, ...]:
        with app.app_context():
            row = db.session.get(Engagement, engagement)
            assert row is not None
            people = db.session.execute(db.select(Respondent).filter_by(engagement_id=engagement)).scalars().all()
            return row.join_open, row.survey_deadline, [(r.id, r.revoked_at, r.expires_at) for r in people]

    before = state()
    base = f"/engagements/{engagement}"
    for url, data in (
        (f"{base}/invites", {"department": "field_sales", "name": "遅れて来た人", "days": "14"}),
        (f"{base}/respondents/{person}/revoke", {}),
        (f"{base}/respondents/revoke", {"respondent": str(person)}),
        (f"{base}/respondents/{person}/reopen", {}),
        (f"{base}/join", {"open": "0"}),
        (f"{base}/deadline", {"deadline": "2026-12-24T17:00"}),
    ):
        refused = consultant.post(url + "?lang=ja", data=data)
        assert refused.status_code == 409, url
        notice = re.search(r'<div class="notice warn" role="alert" id="refused">(.*?)</div>', text(refused), re.S)
        assert notice and "締め切られている" in notice.group(1) and "再開" in notice.group(1), url
    assert state() == before
    reopen(consultant, engagement)
    assert consultant.post(f"{base}/join", data={"open": "0"}).status_code == 302
    assert state()[0] is False


def test_the_live_screen_of_a_closed_round_shows_no_join_code_and_says_closed(
    app: Flask, consultant: FlaskClient
) -> None:
    engagement = new_round(consultant, "ライブ締切株式会社")
    with app.app_context():
        code = db.session.get(Engagement, engagement).join_code  # type: ignore[union-attr]
    live = text(consultant.get(f"/engagements/{engagement}/live?lang=ja"))
    assert "<svg" in live and code in live and 'id="round-closed" class="round-closed-notice" hidden' in live
    assert consultant.get(f"/engagements/{engagement}/live.json").get_json()["closed"] is False
    close(consultant, engagement)
    live = text(consultant.get(f"/engagements/{engagement}/live?lang=ja"))
    assert "<svg" not in live and code not in live and f"/j/{code}" not in live
    notice = re.search(r'<p id="round-closed"[^>]*>.*?</p>', live, re.S)
    assert notice and " hidden" not in notice.group(0).split(">")[0] and "締め切りました" in notice.group(0)
    state = consultant.get(f"/engagements/{engagement}/live.json").get_json()
    assert state["closed"] is True  # what the polling screen hides the join code by


# 5. The survey's "last saved" is its own; a new round's survey is carried over until saved in the round.


def test_closing_and_reopening_keep_the_surveys_last_saved_time(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, "保存時刻株式会社")
    fill_survey(app, engagement)
    assert "22:53" in survey_status(consultant, engagement)
    close(consultant, engagement)
    assert "22:53" in survey_status(consultant, engagement)
    reopen(consultant, engagement)
    assert "22:53" in survey_status(consultant, engagement)
    with app.app_context():
        row = db.session.execute(db.select(SelfAssessment).filter_by(token=survey_token(app, engagement))).scalar_one()
        assert row.updated_at.replace(tzinfo=UTC) == FILLED_AT  # closing and reopening wrote no save time


def test_a_new_rounds_survey_is_carried_over_until_it_is_saved_in_the_round(
    app: Flask, consultant: FlaskClient
) -> None:
    first = new_round(consultant, "引継ぎ株式会社", "第1回", "2026-05-01")
    fill_survey(app, first)
    assert "記入" in survey_status(consultant, first) and "引き継ぎ" not in survey_status(consultant, first)
    second = round_of(consultant, client_of(app, first), "第2回", "2026-11-01")
    status = survey_status(consultant, second)
    assert "前回の数値を引き継ぎ（未確認）" in status and "22:53" not in status and "最終保存" not in status
    english = survey_status(consultant, second, "en")
    assert "Carried over from the last round, not yet confirmed" in english and "last saved" not in english
    visitor = app.test_client()  # the client confirms the figures in this round
    assert visitor.post(f"/a/{survey_token(app, second)}/profile", data={"client__employees": "90", "action": "next"})
    status = survey_status(consultant, second)
    assert "引き継ぎ" not in status and "最終保存" in status


# 6. The client's history: the app's time zone, the reader's words, rounds by title, closing and reopening.


def test_the_client_history_speaks_the_readers_words_in_the_apps_time_zone(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, "履歴株式会社", "キックオフ")
    client_id = client_of(app, engagement)
    token = invite(consultant, engagement, "other")
    url = f"/engagements/{engagement}/respondents/{respondent_id(app, token)}/department"
    assert consultant.post(url, data={"department": "customer_success"}).status_code == 302
    close(consultant, engagement)
    reopen(consultant, engagement)
    gone = round_of(consultant, client_id, "削除する回", "2026-11-02")
    assert consultant.post(f"/engagements/{gone}/delete").status_code == 302
    with app.app_context():
        db.session.execute(
            update(AuditEntry).where(AuditEntry.action == "round.create", AuditEntry.object_id == engagement)
            .values(created_at=FILLED_AT)
        )  # fmt: skip
        db.session.commit()

    history = re.search(
        r'<table class="data history">.*?</table>', text(consultant.get(f"/clients/{client_id}?lang=ja")), re.S
    )
    assert history, "the client's page has its history"
    shown = visible_text(history.group(0))
    assert "2026年11月29日 22:53" in shown and "13:53" not in shown  # Tokyo time, as on the round's page
    assert "その他 → カスタマーサクセス" in shown and "customer_success" not in shown and "other →" not in shown
    assert "ラウンドを締め切り" in shown and "ラウンドを再開" in shown and "キックオフ" in shown
    assert not re.search(r"#\d", shown) and "respondent" not in shown and "round" not in shown
    assert "client" not in shown
    assert "ラウンド（削除済み）" in shown  # the deleted round: its title went with it


# 7. The survey link of a workshop round is never purged: it does not warn that it would be.


def test_the_survey_link_does_not_warn_about_expiry_but_a_managers_link_does(
    app: Flask, consultant: FlaskClient
) -> None:
    engagement = new_round(consultant, "保存期間株式会社")
    survey = text(app.test_client().get(f"/a/{survey_token(app, engagement)}/profile?lang=ja"))
    warning = "180日間保存されなかった回答は削除されます"
    assert warning not in visible_text(survey) and "削除されます" not in visible_text(survey)
    manager = app.test_client()
    own = visible_text(manager.get(manager.post("/start").location + "?lang=ja"))
    assert warning in own  # a manager's own link is purged after 180 days, and says so


# 8. The join form picks no department for the person.


def test_the_join_form_picks_no_department_and_says_which_field_is_missing(app: Flask, consultant: FlaskClient) -> None:
    engagement = new_round(consultant, "参加フォーム株式会社")
    with app.app_context():
        code = db.session.get(Engagement, engagement).join_code  # type: ignore[union-attr]
    phone = app.test_client()
    form = text(phone.get(f"/j/{code}?lang=ja"))
    select = re.search(r'<select[^>]*name="department"[^>]*>(.*?)</select>', form, re.S)
    assert select and "required" in select.group(0).split(">")[0]
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", select.group(1))
    assert options[0][1] == "選択してください" and 'value=""' in options[0][0]
    assert not any("selected" in attrs for attrs, _label in options)  # the browser shows the first: the prompt
    refused = phone.post(f"/j/{code}?lang=ja", data={"department": "", "name": "田中美咲"})
    assert refused.status_code == 422
    assert "部門を選択してください" in field_errors(refused)["department"]
    assert parse(refused).values["name"] == "田中美咲"
    with app.app_context():
        assert db.session.query(Respondent).filter_by(engagement_id=engagement).count() == 0


# 9. One estimate of the time it takes, everywhere.


def test_the_join_page_and_the_handout_give_the_same_time_as_the_questionnaire(
    app: Flask, consultant: FlaskClient
) -> None:
    engagement = new_round(consultant, "所要時間株式会社")
    with app.app_context():
        code = db.session.get(Engagement, engagement).join_code  # type: ignore[union-attr]
    statements = len(CONTENT.checklist.items)
    minutes = minutes_to_answer(statements)
    assert minutes == 7 and statements == 20
    join_page = visible_text(app.test_client().get(f"/j/{code}?lang=ja"))
    handout = visible_text(consultant.get(f"/engagements/{engagement}/handout?lang=ja"))
    assert f"約{minutes}分" in join_page and f"{statements}問" in join_page
    assert f"約{minutes}分" in handout
    assert "約5分" not in join_page and "約15分" not in handout
    # the questionnaire's own "about m min left" reads the same figure per statement
    manager = app.test_client()
    page = text(manager.get(manager.post("/start").location.replace("/profile", "/checklist-organization")))
    count = re.search(r'<p class="answer-count"[^>]*data-seconds="(\d+)"', page)
    assert count and int(count.group(1)) * statements / 60 <= minutes < int(count.group(1)) * statements / 60 + 1
