"""Persistence of self-assessments: create, find by token, save a page. Views call only these."""

from __future__ import annotations

import copy
from typing import Any

from flask import abort

from assessment.web.models import SelfAssessment, db


def create(document: dict[str, Any] | None = None) -> SelfAssessment:
    """Create a self-assessment with a fresh secret token."""
    row = SelfAssessment(document=document or {"version": 1}, drafts={})
    db.session.add(row)
    db.session.commit()
    return row


def find(token: str) -> SelfAssessment:
    """The self-assessment behind ``token``, or 404 (also for anything that is not a plausible token)."""
    if not (20 <= len(token) <= 64) or not token.replace("-", "").replace("_", "").isalnum():
        abort(404)
    row = db.session.execute(db.select(SelfAssessment).filter_by(token=token)).scalar_one_or_none()
    if row is None:
        abort(404)
    return row


def save(row: SelfAssessment, document: dict[str, Any], drafts: dict[str, Any]) -> None:
    """Store the document and the drafts (typed values not yet valid), bumping the revision."""
    row.document = copy.deepcopy(document)
    row.drafts = dict(drafts)
    row.revision = (row.revision or 0) + 1
    db.session.commit()
