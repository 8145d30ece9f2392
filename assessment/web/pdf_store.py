"""Where finished PDFs are kept when a job queue renders them on other machines: a store every app node and
every PDF worker reaches. ``READINESS_PDF_STORAGE=database`` (the default with REDIS_URL) keeps them in the
app's own database (table ``rendered_pdfs``), so a deployment needs no extra service; ``flask purge`` bounds it
to ``READINESS_PDF_CACHE_MB`` like the one-machine folder. Without a queue the one-machine path keeps its files
under ``instance/pdf`` as before (``pdf.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from assessment.web.models import RenderedPdf, db

TOUCH_EVERY = timedelta(hours=1)  # a PDF's last use is written at most this often (reads stay reads)


class PdfStore(Protocol):
    """A place for finished PDFs, shared by every app node and PDF worker."""

    def get(self, key: str) -> bytes | None:
        """The PDF kept under ``key``, or None."""

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (the same key always means the same bytes)."""


class DatabaseStore:
    """Finished PDFs as rows of the app's database (SQLite or PostgreSQL)."""

    def get(self, key: str) -> bytes | None:
        """The PDF under ``key``; its last use is moved forward when an hour old (for the bound's LRU order).
        On a connection of its own, so the request's session (and whatever it holds) is left alone."""
        with db.engine.connect() as connection:
            row = connection.execute(
                select(RenderedPdf.data, RenderedPdf.used_at).where(RenderedPdf.key == key)
            ).first()
            if row is None:
                return None
            now = datetime.now(UTC)
            used = row.used_at if row.used_at.tzinfo else row.used_at.replace(tzinfo=UTC)
            if now - used > TOUCH_EVERY:
                connection.execute(update(RenderedPdf).where(RenderedPdf.key == key).values(used_at=now))
                connection.commit()
            return bytes(row.data)

    def put(self, key: str, data: bytes) -> None:
        """Insert the PDF; a row another worker wrote first under the same key is left as it is."""
        now = datetime.now(UTC)
        values = {"key": key, "data": data, "size": len(data), "created_at": now, "used_at": now}
        insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
        with db.engine.begin() as connection:
            connection.execute(insert(RenderedPdf).values(**values).on_conflict_do_nothing(index_elements=["key"]))


def bound_database_store(max_bytes: int) -> int:
    """Delete the least recently used stored PDFs until the store holds at most ``max_bytes``; how many went."""
    total = int(db.session.execute(select(func.coalesce(func.sum(RenderedPdf.size), 0))).scalar_one())
    if total <= max_bytes:
        return 0
    doomed: list[str] = []
    for key, size in db.session.execute(select(RenderedPdf.key, RenderedPdf.size).order_by(RenderedPdf.used_at)):
        if total <= max_bytes:
            break
        doomed.append(key)
        total -= size
    if doomed:
        db.session.execute(delete(RenderedPdf).where(RenderedPdf.key.in_(doomed)))
    db.session.commit()
    return len(doomed)
