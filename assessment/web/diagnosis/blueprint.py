"""The self-service diagnosis's blueprint (no account: each self-assessment sits behind its private link)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("diagnosis", __name__)
