"""A firm's own look, as its admin set it: its name and logo in the header and its accent colour on every page
of its signed-in consultants, and the same on the proposals they generate (PDF and deck).

The app's Content-Security-Policy allows no inline style, so the colour comes as a tiny stylesheet of its own
(``/brand/style.css``) and the logo as an image (``/brand/logo``): both only for the signed-in consultant's own
firm, answered with an ETag so a browser asks again cheaply. An unset value keeps the server's look
(``READINESS_*`` branding, else neutral).
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, request, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from assessment.report.branding import HEX_COLOUR, Branding, with_firm
from assessment.web.models import Firm, db

bp = Blueprint("brand", __name__)


@dataclass(frozen=True)
class FirmLook:
    """What the header shows of a firm: its name, and whether it has an accent colour and a logo."""

    name: str
    accent_color: str
    has_logo: bool


def look_of(firm_id: int) -> FirmLook | None:
    """The look firm ``firm_id`` set (without the logo's bytes), None for a firm that does not exist."""
    row = db.session.execute(
        db.select(Firm.name, Firm.accent_color, Firm.logo_type).where(Firm.id == firm_id)
    ).one_or_none()
    if row is None:
        return None
    return FirmLook(name=row.name or "", accent_color=row.accent_color or "", has_logo=bool(row.logo_type))


def template_look() -> dict[str, Any]:
    """The context processor: ``firm_look()``, the signed-in consultant's firm's look (None for anyone else)."""

    def firm_look() -> FirmLook | None:
        if not (current_user and current_user.is_authenticated):
            return None
        try:
            return look_of(int(current_user.firm_id))
        except SQLAlchemyError:  # the page still shows (an error page about the database, say), plain
            return None

    return {"firm_look": firm_look}


def header_identity() -> Hashable:
    """What the header of a page shows of its viewer (nothing; or their firm's look and whether they are its
    admin), for a cache of rendered pages to key on: a page cached for one firm is never served to another."""
    if "_user_id" not in session or not current_user.is_authenticated:
        return None
    return (int(current_user.firm_id), bool(current_user.is_firm_admin), look_of(int(current_user.firm_id)))


def proposal_look(firm_id: int) -> dict[str, Any] | None:
    """The values firm ``firm_id`` set for its proposals (name, colour, logo bytes and type), None if none."""
    firm = db.session.get(Firm, firm_id)
    if firm is None or not (firm.name or firm.accent_color or firm.logo):
        return None
    return {
        "firm_name": firm.name or "",
        "accent_color": firm.accent_color or "",
        "logo": bytes(firm.logo) if firm.logo else None,
        "logo_type": firm.logo_type or "",
    }


def look_identity(look: dict[str, Any] | None) -> dict[str, str] | None:
    """What tells two looks apart, for the PDF cache's key (the logo by its SHA-256)."""
    if not look:
        return None
    logo = look.get("logo")
    return {
        "firm_name": str(look.get("firm_name", "")),
        "accent_color": str(look.get("accent_color", "")),
        "logo": hashlib.sha256(logo).hexdigest() if isinstance(logo, bytes) else "",
    }


def branded(branding: Branding, look: dict[str, Any] | None, logo_dir: Path) -> Branding:
    """``branding`` with the firm's look over it (its logo written once under ``logo_dir``)."""
    return with_firm(branding, logo_dir, **look) if look else branding


def _own_firm() -> Firm:
    if not (current_user and current_user.is_authenticated):
        abort(404)
    firm = db.session.get(Firm, int(current_user.firm_id))
    if firm is None:
        abort(404)
    return firm


def _conditional(response: Response, body: bytes) -> Response:
    """Private to the signed-in browser, checked again on each use (an ETag makes that a 304)."""
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.headers["Cache-Control"] = "private, no-cache"
    response.make_conditional(request)  # a 304 with no body when the browser's copy is current
    return response


@bp.get("/brand/style.css")
def style() -> Any:
    """The firm's accent colour as the app's ``--accent`` (empty when the firm set none)."""
    colour = _own_firm().accent_color
    body = f":root {{ --accent: {colour}; }}\n".encode() if HEX_COLOUR.match(colour or "") else b""
    return _conditional(Response(body, mimetype="text/css"), body)


@bp.get("/brand/logo")
def logo() -> Any:
    """The firm's logo (a PNG or JPEG checked on upload), 404 when it has none."""
    firm = _own_firm()
    if not firm.logo or not firm.logo_type:
        abort(404)
    body = bytes(firm.logo)
    return _conditional(Response(body, mimetype=firm.logo_type), body)
