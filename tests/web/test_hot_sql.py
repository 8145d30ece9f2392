"""The hot path's statements: what they write reads back through the ORM exactly, on the driver path
(SQLite) and on the Core path (other databases), and the pooled connection goes back as it came."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from assessment.web import store
from assessment.web.models import SelfAssessment, db

DOCUMENT = {"version": 1, "client": {"name": "株式会社テスト <b>&amp;</b>"}, "checklist": {"org_1": "yes"}}


@pytest.mark.parametrize("path", [pytest.param("driver", marks=pytest.mark.sqlite_only), "core"])  # driver: SQLite's
def test_a_hot_save_reads_back_through_the_orm(app: Flask, monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    with app.app_context():
        if path == "core":
            monkeypatch.setattr(db.engine.dialect, "name", "not-sqlite")
        row = store.create({"version": 1})
        token, row_id = row.token, row.id
        db.session.remove()
    with app.test_request_context():
        loaded = store.load(token)
        assert (loaded.id, loaded.token, loaded.revision, loaded.survey_only) == (row_id, token, 0, False)
        store.save(loaded, DOCUMENT, {"funnel-leads": "12a"})
        assert store.revision_of(token) == (1, False)
        again = store.load(token)
        assert again.document == DOCUMENT and again.drafts == {"funnel-leads": "12a"}
        assert isinstance(again.survey_only, bool)
    with app.app_context():
        orm = db.session.get(SelfAssessment, row_id)
        assert orm is not None
        assert orm.document == DOCUMENT and orm.drafts == {"funnel-leads": "12a"} and orm.revision == 1
        assert isinstance(orm.updated_at, datetime)
        stamp = orm.updated_at if orm.updated_at.tzinfo else orm.updated_at.replace(tzinfo=UTC)
        assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=1)


def test_an_unknown_token_is_a_404_on_the_hot_path(app: Flask) -> None:
    response = app.test_client().get("/a/" + "x" * 43 + "/profile")
    assert response.status_code == 404


def test_the_pooled_connection_goes_back_in_transaction_mode(app: Flask) -> None:
    """After a hot-path request, the ORM's transactions on the same pooled connection still roll back."""
    with app.app_context():
        token = store.create({"version": 1}).token
        db.session.remove()  # give back the connection reading the token took (a disposed pool would orphan it)
        db.engine.dispose()  # one fresh pooled connection, used by the request and then by the ORM
    client = app.test_client()
    assert client.get(f"/a/{token}/profile").status_code == 200
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            driver: Any = raw.driver_connection
            if db.engine.dialect.name == "sqlite":
                assert driver.isolation_level == ""  # the sqlite3 module's "transactions" (None is autocommit)
            else:
                assert driver.autocommit is False
        finally:
            raw.close()
        db.session.add(SelfAssessment(document={"version": 1}, drafts={}))
        db.session.flush()
        db.session.rollback()
        assert db.session.query(SelfAssessment).count() == 1
