"""Keeping storage bounded: anonymous self-assessments nobody has saved for a long time expire, ended sign-ins
are forgotten, and the PDF cache stays under its size (the folder of one machine, and the database's store of
PDFs that a job queue's workers rendered).

``flask --app wsgi purge`` does it all and is safe to run from cron at any time (each deletion is its own
statement; an assessment a workshop round uses is never deleted, whatever its age). The PDF cache is also
kept under its size by the app itself after each render.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import CursorResult, Delete, delete, select

from assessment.web.models import Engagement, LoginSession, Respondent, SelfAssessment, db
from assessment.web.pdf_store import bound_database_store


@dataclass(frozen=True)
class Purged:
    """What one purge removed."""

    assessments: int
    sign_ins: int
    pdf_files: int


def purge(days: float, pdf_dir: Path, pdf_cache_bytes: int, now: datetime | None = None) -> Purged:
    """Delete self-assessments untouched for ``days`` (never one a workshop round uses) with their team's links,
    sign-ins that ended or idled out more than a day ago, and the oldest cached PDFs beyond ``pdf_cache_bytes``."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=days)
    in_rounds = select(Engagement.assessment_id)
    expired = select(SelfAssessment.id).where(SelfAssessment.updated_at < cutoff, SelfAssessment.id.not_in(in_rounds))
    _deleted(delete(Respondent).where(Respondent.self_assessment_id.in_(expired)))  # the team's links go with it
    assessments = _deleted(delete(SelfAssessment).where(SelfAssessment.id.in_(expired)))
    idle = timedelta(hours=float(current_app.config.get("READINESS_IDLE_HOURS", 8)))
    forgotten = now - idle - timedelta(days=1)
    sign_ins = _deleted(
        delete(LoginSession).where(
            (LoginSession.ended_at < now - timedelta(days=1)) | (LoginSession.last_seen_at < forgotten)
        )
    )
    db.session.commit()
    pdf_files = bound_cache(pdf_dir, pdf_cache_bytes) + bound_database_store(pdf_cache_bytes)
    return Purged(int(assessments or 0), int(sign_ins or 0), pdf_files)


def _deleted(statement: Delete) -> int:
    """Run a DELETE and say how many rows it removed."""
    result: CursorResult[Any] = db.session.execute(statement)  # type: ignore[assignment]
    return int(result.rowcount or 0)


def bound_cache(pdf_dir: Path, max_bytes: int) -> int:
    """Delete the least recently used PDFs until the cache holds at most ``max_bytes``; the number deleted."""
    if not pdf_dir.is_dir():
        return 0
    files = []
    for path in pdf_dir.glob("*.pdf"):
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed by another worker meanwhile
            continue
        files.append((stat.st_atime if stat.st_atime > stat.st_mtime else stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in files)
    deleted = 0
    for _, size, path in sorted(files):
        if total <= max_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size
        deleted += 1
    return deleted


@click.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete expired anonymous assessments and ended sign-ins, and bound the PDF cache (safe from cron)."""
    config = current_app.config
    started = time.monotonic()
    done = purge(
        float(config["READINESS_EXPIRE_DAYS"]),
        Path(current_app.instance_path) / "pdf",
        int(config["READINESS_PDF_CACHE_MB"]) * 1_000_000,
    )
    click.echo(
        f"purged {done.assessments} assessment(s) untouched for {config['READINESS_EXPIRE_DAYS']:g} days, "
        f"{done.sign_ins} ended sign-in(s), {done.pdf_files} cached PDF(s) "
        f"in {time.monotonic() - started:.2f} s"
    )
