"""A round's logistics (issue 16): the survey link's deadline (shown on the survey and the respondents' pages,
refused after it through the closed round's 410 page, the round's consultant not bound), how far the survey link
is filled in on the round's page, and the printable handout with the join QR code and code."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment import load_content
from assessment.engine.survey_progress import survey_progress
from assessment.web.accounts import create_consultant
from assessment.web.models import Engagement, SelfAssessment, db
from tests.web import build_app, dispose, text
from tests.web.test_round_lifecycle import PASSWORD, invite, new_round, signed_in, survey_token

CONTENT = load_content()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, web_cache_dir: Path) -> Iterator[Flask]:
    app = build_app(tmp_path_factory.mktemp("logistics"), web_cache_dir, WTF_CSRF_ENABLED=False)
    with app.app_context():
        create_consultant("yamada@example.com", PASSWORD, "山田")
        create_consultant("other@example.com", PASSWORD, "他社")
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def consultant(app: Flask) -> FlaskClient:
    return signed_in(app, "yamada@example.com")


def tokyo(moment: datetime) -> str:
    """A UTC moment as the consultant types it (Asia/Tokyo, the app's default time zone)."""
    return (moment + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M")


def set_deadline(consultant: FlaskClient, engagement_id: int, when: str) -> None:
    assert consultant.post(f"/engagements/{engagement_id}/deadline", data={"deadline": when}).status_code == 302


def test_survey_progress_counts_profile_fields_and_numeric_figures() -> None:
    document = {
        "client": {"name": "株式会社A", "employees": 120, "industry": ""},
        "survey": {"departments": {"marketing": "dedicated"}, "tools": {"ma": "in_use", "ma_product": "HubSpot"},
                   "funnel": {"leads": 900, "mqls": "0", "sqls": None, "wins": True, "nps": " "}},
    }  # fmt: skip
    progress = survey_progress(document, CONTENT.survey)
    assert (progress.profile, progress.figures) == (3, 2)  # employees, marketing, ma; leads and a zero
    assert progress.profile_total == 2 + len(CONTENT.survey.departments) + len(CONTENT.survey.tools)
    assert progress.figures_total == len(CONTENT.survey.funnel)
    assert progress.started and not progress.complete
    assert not survey_progress({}, CONTENT.survey).started


def test_the_round_page_says_how_far_the_survey_link_is_filled_in(app: Flask, consultant: FlaskClient) -> None:
    engagement_id = new_round(consultant, "記入状況株式会社")
    page = text(consultant.get(f"/engagements/{engagement_id}?lang=en"))
    assert "Not filled in yet" in page and "Funnel figures: 0/17" in page and "last saved" not in page
    survey = survey_token(app, engagement_id)
    visitor = app.test_client()
    assert visitor.post(f"/a/{survey}/profile", data={"client__employees": "80", "action": "next"}).status_code == 302
    reply = visitor.post(
        f"/a/{survey}/funnel", data={"survey__funnel__leads": "900", "survey__funnel__mqls": "90", "action": "next"}
    )
    assert reply.status_code in (200, 302)
    page = text(consultant.get(f"/engagements/{engagement_id}?lang=en"))
    status = page[page.find('id="survey-status"') :][:400]
    assert "Partly filled in" in status and "Company profile: 1/8" in status and "Funnel figures: 2/17" in status, (
        status
    )
    assert "last saved" in page


def test_after_the_deadline_the_survey_link_refuses_kindly_but_not_the_consultant(
    app: Flask, consultant: FlaskClient
) -> None:
    engagement_id = new_round(consultant, "締切株式会社")
    survey = survey_token(app, engagement_id)
    respondent = invite(consultant, engagement_id, "marketing")
    ahead = datetime.utcnow() + timedelta(days=2)
    set_deadline(consultant, engagement_id, tokyo(ahead))
    visitor = app.test_client()
    shown = tokyo(ahead)[11:16]
    assert shown in text(visitor.get(f"/a/{survey}/profile?lang=en"))  # the survey link shows it
    assert shown in text(app.test_client().get(f"/r/{respondent}/checklist-organization?lang=en"))
    assert shown in text(consultant.get(f"/engagements/{engagement_id}?lang=en"))

    set_deadline(consultant, engagement_id, tokyo(datetime.utcnow() - timedelta(minutes=5)))
    refused = visitor.get(f"/a/{survey}/profile?lang=en")
    assert refused.status_code == 410 and "The survey deadline has passed" in text(refused)
    sent = visitor.post(f"/a/{survey}/profile", data={"client__name": "遅れた書き換え", "action": "next"})
    assert sent.status_code == 410
    with app.app_context():
        engagement = db.session.get(Engagement, engagement_id)
        row = db.session.get(SelfAssessment, engagement.assessment_id)  # type: ignore[union-attr]
        assert "遅れた書き換え" not in str(row.document)  # type: ignore[union-attr]
    # the respondents' links have their own expiry: the deadline does not close them
    assert app.test_client().get(f"/r/{respondent}/checklist-organization").status_code == 200
    # the round's consultant may still fill the survey in for the client
    assert consultant.get(f"/a/{survey}/profile").status_code == 200
    assert "has passed" in text(consultant.get(f"/engagements/{engagement_id}?lang=en"))

    assert consultant.post(f"/engagements/{engagement_id}/deadline", data={"action": "clear"}).status_code == 302
    assert visitor.get(f"/a/{survey}/profile").status_code == 200


def test_a_deadline_that_is_not_a_time_changes_nothing(app: Flask, consultant: FlaskClient) -> None:
    engagement_id = new_round(consultant, "不正な締切株式会社")
    set_deadline(consultant, engagement_id, "next friday")
    with app.app_context():
        assert db.session.get(Engagement, engagement_id).survey_deadline is None  # type: ignore[union-attr]


def test_the_handout_has_the_qr_code_the_code_and_the_link(app: Flask, consultant: FlaskClient) -> None:
    engagement_id = new_round(consultant, "配布資料株式会社")
    with app.app_context():
        code = db.session.get(Engagement, engagement_id).join_code  # type: ignore[union-attr]
    page = text(consultant.get(f"/engagements/{engagement_id}/handout?lang=ja"))
    assert "<svg" in page and code in page and f"/j/{code}" in page and "handout.css" in page
    assert 'lang="ja"' in page
    assert "Scan the QR code" in text(consultant.get(f"/engagements/{engagement_id}/handout?lang=en"))
    other = signed_in(app, "other@example.com")
    assert other.get(f"/engagements/{engagement_id}/handout").status_code == 404
