"""The accounts' blueprint: sign in, sign out, change password."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("accounts", __name__)
