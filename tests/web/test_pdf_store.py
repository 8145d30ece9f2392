"""The database's store of finished PDFs (the job queue's shared storage): kept once, read by any node,
bounded by `flask purge` with the least recently used PDFs going first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select, update

from assessment.web.models import RenderedPdf, db
from assessment.web.pdf_store import DatabaseStore, bound_database_store


def test_a_pdf_is_kept_once_and_read_back(app: Flask) -> None:
    store = DatabaseStore()
    with app.app_context():
        assert store.get("k1") is None
        store.put("k1", b"%PDF-one")
        store.put("k1", b"%PDF-written-again-by-a-second-worker")  # the same key: the first stays
        assert store.get("k1") == b"%PDF-one"
        assert db.session.execute(select(RenderedPdf.size)).scalars().all() == [8]


def test_reading_an_old_pdf_moves_its_last_use_forward(app: Flask) -> None:
    store = DatabaseStore()
    with app.app_context():
        store.put("old", b"%PDF-old")
        long_ago = datetime.now(UTC) - timedelta(days=3)
        with db.engine.begin() as connection:
            connection.execute(update(RenderedPdf).values(used_at=long_ago))
        assert store.get("old") == b"%PDF-old"
        used = db.session.execute(select(RenderedPdf.used_at)).scalar_one()
        assert (used if used.tzinfo else used.replace(tzinfo=UTC)) > datetime.now(UTC) - timedelta(minutes=1)


def test_purge_bounds_the_store_least_recently_used_first(app: Flask) -> None:
    store = DatabaseStore()
    with app.app_context():
        for number in range(4):
            store.put(f"k{number}", b"x" * 400)
        now = datetime.now(UTC)
        with db.engine.begin() as connection:
            for number, days in enumerate((4, 1, 3, 2)):  # k0 is the oldest in use, then k2, k3, k1
                connection.execute(
                    update(RenderedPdf)
                    .where(RenderedPdf.key == f"k{number}")
                    .values(used_at=now - timedelta(days=days))
                )
        assert bound_database_store(1000) == 2
        assert sorted(db.session.execute(select(RenderedPdf.key)).scalars()) == ["k1", "k3"]
        assert bound_database_store(1000) == 0
