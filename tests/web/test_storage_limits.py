"""Storage stays bounded: untouched anonymous assessments expire (the landing page says when), the PDF cache
keeps to its size, and a join code cannot be used to flood a round with respondents."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from assessment.web.models import Engagement, Respondent, SelfAssessment, db
from assessment.web.purge import bound_cache
from tests.web import consultant_client, new_workshop_round, text, visible_text


def consultant_of(app: Flask) -> FlaskClient:
    return consultant_client(app, "limits@example.com")


def new_round(client: FlaskClient) -> tuple[int, str]:
    engagement = new_workshop_round(client, "上限株式会社")
    code = re.search(r"/j/([a-z0-9]+)", text(client.get(f"/engagements/{engagement}")))
    assert code
    return engagement, code.group(1)


def test_purge_deletes_untouched_anonymous_assessments_but_never_a_rounds(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=False)
    consultant = consultant_of(app)
    engagement, _code = new_round(consultant)
    fresh = app.test_client().post("/start").location
    old = app.test_client().post("/start").location
    long_ago = datetime.now(UTC) - timedelta(days=181)
    with app.app_context():
        for row in db.session.execute(db.select(SelfAssessment)).scalars():
            if row.token in old or row.id == db.session.get(Engagement, engagement).assessment_id:  # type: ignore[union-attr]
                row.updated_at = long_ago
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("purged 1 assessment(s) untouched for 180 days")
    assert app.test_client().get(old).status_code == 404
    assert app.test_client().get(fresh).status_code == 200
    assert consultant.get(f"/engagements/{engagement}").status_code == 200  # the round's survey is kept
    again = app.test_cli_runner().invoke(args=["purge"])
    assert again.output.startswith("purged 0 assessment(s)")  # safe to run again from cron


def test_the_landing_page_and_the_private_link_say_when_answers_expire(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=False, READINESS_EXPIRE_DAYS=90)
    client = app.test_client()
    assert "90日間保存されなかった回答は削除されます" in visible_text(text(client.get("/")))
    page = client.get(client.post("/start").location)
    assert "90日間保存されなかった回答は削除されます" in visible_text(text(page))


def test_the_pdf_cache_keeps_to_its_size_dropping_the_least_recently_used(tmp_path: Path) -> None:
    for number in range(5):
        path = tmp_path / f"{number}.pdf"
        path.write_bytes(b"%PDF" + b"x" * 300_000)
        moment = time.time() - 1000 + number * 100  # 0 is the least recently used
        os.utime(path, (moment, moment))
    assert bound_cache(tmp_path, 1_000_000) == 2
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["2.pdf", "3.pdf", "4.pdf"]
    assert bound_cache(tmp_path, 1_000_000) == 0


def join(client: FlaskClient, code: str, key: str = "") -> int:
    data = {"department": "marketing", "name": "参加者"}
    if key:
        data["key"] = key
    return int(client.post(f"/j/{code}", data=data).status_code)


def test_one_browser_cannot_flood_a_round_with_respondents(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=False)
    engagement, code = new_round(consultant_of(app))
    tablet = app.test_client()
    keys = [f"{'k' * 20}{n:02d}" for n in range(7)]
    assert [join(tablet, code, key) for key in keys[:5]] == [302] * 5  # a tablet passed round the table
    assert join(tablet, code, keys[5]) == 429
    reply = tablet.post(f"/j/{code}", data={"department": "marketing", "key": keys[6]})
    assert "このブラウザからはすでに何度も参加登録されています" in visible_text(text(reply))
    assert join(tablet, code, keys[0]) == 302  # sending an earlier form again is not a new join
    with app.app_context():
        assert (
            db.session.execute(db.select(Respondent).filter_by(engagement_id=engagement)).scalars().all().__len__() == 5
        )


def test_joins_per_address_are_rate_limited(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=True)
    consultant = consultant_of(app)
    codes = [new_round(consultant)[1] for _ in range(3)]  # three rooms of one office, behind one address
    statuses = [join(app.test_client(), code) for code in codes for _ in range(100)]  # a fresh session each time
    assert statuses == [302] * 300  # 3 rounds x 100 phones through one NAT all join
    assert join(app.test_client(), codes[0]) == 429  # the 301st within the minute from that address does not


def test_a_round_takes_at_most_its_respondent_cap(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=False, READINESS_MAX_RESPONDENTS=3)
    consultant = consultant_of(app)
    engagement, code = new_round(consultant)
    assert [join(app.test_client(), code) for _ in range(3)] == [302] * 3
    full = app.test_client().post(f"/j/{code}", data={"department": "marketing"})
    assert full.status_code == 409 and "参加者数の上限に達しています" in visible_text(text(full))
    refused = consultant.post(f"/engagements/{engagement}/invites", data={"department": "marketing", "days": "3"})
    assert refused.status_code == 422 and "1回あたりの上限" in visible_text(text(refused))


def test_a_consultant_revokes_several_links_at_once_and_only_their_own(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=False)
    consultant = consultant_of(app)
    engagement, code = new_round(consultant)
    other, other_code = new_round(consultant)
    for _ in range(3):
        join(app.test_client(), code)
    join(app.test_client(), other_code)
    with app.app_context():
        mine = [r.id for r in db.session.execute(db.select(Respondent).filter_by(engagement_id=engagement)).scalars()]
        theirs = db.session.execute(db.select(Respondent).filter_by(engagement_id=other)).scalar_one().id
    page = text(consultant.get(f"/engagements/{engagement}"))
    assert page.count('form="revoke-selected"') == 3
    reply = consultant.post(
        f"/engagements/{engagement}/respondents/revoke",
        data={"respondent": [str(mine[0]), str(mine[1]), str(theirs), "x", str(2**31), "9" * 18]},  # too large: none
    )
    assert reply.status_code == 302
    assert "2件のリンクを無効にしました。" in visible_text(text(consultant.get(reply.location)))
    with app.app_context():
        revoked = {r.id for r in db.session.execute(db.select(Respondent)).scalars() if r.revoked_at is not None}
    assert revoked == {mine[0], mine[1]}
