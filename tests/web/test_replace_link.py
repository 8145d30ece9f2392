"""After an import the manager can make the earlier private link stop working (issue 15, defect 9): pasting it
deletes that diagnosis and its team's links; a mistake names the field and deletes nothing; a workshop's
answers and survey links can never be deleted this way."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from assessment.web.models import Engagement, Respondent, SelfAssessment, db
from tests.web import (
    SAMPLE_PATH,
    consultant_client,
    csrf_token,
    new_workshop_round,
    start,
    text,
    token_of,
    visible_text,
)
from tests.web.test_export_import import upload


def imported(client: FlaskClient, csrf: bool = True) -> str:
    """Import the sample; the new link's base ``/a/<token>`` (the review page's URL says it was imported)."""
    if csrf:
        reply = upload(client, SAMPLE_PATH.read_bytes())
    else:
        sample = (io.BytesIO(SAMPLE_PATH.read_bytes()), "sample.yaml")
        reply = client.post("/import", data={"file": sample, "use": "continue"}, content_type="multipart/form-data")
    assert reply.status_code == 302 and reply.location.endswith("/review?imported=1"), reply.location
    return reply.location.rsplit("/", 1)[0]


def replace(client: FlaskClient, base: str, old_link: str, confirm: bool = True):  # type: ignore[no-untyped-def]
    """Send the review page's form."""
    form = {"csrf_token": csrf_token(client.get(f"{base}/review?imported=1")), "old_link": old_link}
    if confirm:
        form["confirm"] = "y"
    return client.post(f"{base}/replace-old-link", data=form)


def test_the_review_after_an_import_offers_it_and_a_plain_review_does_not(client: FlaskClient) -> None:
    base = imported(client)
    assert "以前の専用リンク" in visible_text(client.get(f"{base}/review?imported=1"))
    assert 'id="replace-old"' not in text(client.get(f"{base}/review"))


def test_pasting_the_earlier_link_makes_it_stop_working(app: Flask, client: FlaskClient) -> None:
    old = start(client)
    assert client.get(f"{old}/profile").status_code == 200
    base = imported(client)
    reply = replace(client, base, f"https://readiness.example.jp{old}/results#roadmap")
    assert reply.status_code == 302
    assert "以前のリンクを無効にし" in visible_text(client.get(reply.location))
    assert client.get(f"{old}/profile").status_code == 404
    assert client.get(f"{base}/results").status_code == 200  # the new link stays
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SelfAssessment)) == 1


def test_a_mistake_names_the_field_and_deletes_nothing(app: Flask, client: FlaskClient) -> None:
    old = start(client)
    base = imported(client)
    for pasted, confirm, says in (
        (old, False, "チェックを入れて確認"),
        ("", True, "貼り付けてください"),
        (base, True, "この診断自身のリンク"),
        ("https://example.com/a/" + "x" * 43 + "/results", True, "見つかりませんでした"),
        ("<script>alert(1)</script>", True, "見つかりませんでした"),
        ("x" * 5000, True, "このアプリの専用リンクではありません"),
    ):
        reply = replace(client, base, pasted, confirm)
        assert reply.status_code == 422
        shown = visible_text(reply)
        assert "以前の専用リンク: " in shown and says in shown, (pasted[:40], shown[:400])
        assert "<script>alert(1)</script>" not in text(reply)
        assert client.get(f"{old}/profile").status_code == 200  # nothing deleted
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SelfAssessment)) == 2


def test_a_workshop_rounds_answers_and_survey_link_are_never_deleted(app_nocsrf: Flask) -> None:
    consultant = consultant_client(app_nocsrf, "c@example.com")
    new_workshop_round(consultant, "顧客株式会社")
    with app_nocsrf.app_context():
        round_answers = db.session.scalar(
            select(SelfAssessment.token).join(Engagement, Engagement.assessment_id == SelfAssessment.id)
        )
        survey = db.session.scalar(select(SelfAssessment.token).where(SelfAssessment.survey_only.is_(True)))
    manager = app_nocsrf.test_client()
    base = imported(manager, csrf=False)
    for token in (round_answers, survey):
        assert token
        reply = manager.post(f"{base}/replace-old-link", data={"old_link": f"/a/{token}/results", "confirm": "y"})
        assert reply.status_code == 422 and "見つかりませんでした" in visible_text(reply)
    with app_nocsrf.app_context():
        kept = {round_answers, survey}  # the round's answers are behind its survey link: one row or two
        assert db.session.scalar(select(func.count()).select_from(SelfAssessment).where(
            SelfAssessment.token.in_(kept))) == len(kept)  # fmt: skip


def test_the_earlier_links_team_goes_with_it(app_nocsrf: Flask) -> None:
    manager = app_nocsrf.test_client()
    old = start(manager)
    reply = manager.post(f"{old}/team/links", data={"department": "marketing", "name": "佐藤", "days": "14"})
    assert reply.status_code in (200, 302), text(reply)[:300]
    with app_nocsrf.app_context():
        assert db.session.scalar(select(func.count()).select_from(Respondent)) == 1
    base = imported(manager, csrf=False)
    assert manager.post(f"{base}/replace-old-link", data={"old_link": old, "confirm": "y"}).status_code == 302
    with app_nocsrf.app_context():
        assert db.session.scalar(select(func.count()).select_from(Respondent)) == 0
    assert token_of(base)
