"""Typing the workshop's join code: a form on the landing page and at ``/j`` and ``/join`` that leads to the
code's join page (``/j/<code>``).

The code is read as people type what they see on a projector: spaces, hyphens (any width, or the long-vowel
mark a Japanese keyboard gives for one), full-width characters and capitals are all accepted. A code no
workshop has is answered with 422 and the field named; lookups are rate-limited per address like joining.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.exceptions import NotFound
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from assessment.web.app_form import AppForm
from assessment.web.respond.blueprint import bp
from assessment.web.security import limiter
from assessment.web.workshop import store as ws

# what may sit between the characters of a code as people type it (after NFKC: full width is folded already)
_SEPARATORS = re.compile(r"[\s\-_.\u2010-\u2015\u2212\u30fc\u30fb]+")
_CODE = re.compile(r"[a-z0-9]{4,16}")


def normalised_code(text: Any) -> Any:
    """A typed code as the links spell it: full width folded (NFKC), lower case, no spaces or hyphens."""
    if not isinstance(text, str):
        return text
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).lower())


class JoinCodeForm(AppForm):
    """The workshop's join code, as typed."""

    code = StringField(
        lazy_gettext("Workshop code"),
        validators=[DataRequired(lazy_gettext("Enter the workshop code.")), Length(max=64)],
        filters=[normalised_code],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )


def _code_sent() -> bool:
    return "code" in request.values


@bp.route("/join", methods=["GET", "POST"])
@bp.route("/j", methods=["GET", "POST"])  # registered first: url_for gives the short one
@limiter.limit("60 per minute;300 per hour", exempt_when=lambda: not _code_sent())  # per address, as joining
def join_by_code() -> Any:
    """The form for the code (GET); with a code (``?code=`` or POST), on to that workshop's join page."""
    sent = _code_sent()
    form = JoinCodeForm(formdata=request.values if sent else None, meta={"csrf": False})  # a lookup: no write
    if sent and form.validate():
        code = str(form.code.data)
        engagement = _engagement(code) if _CODE.fullmatch(code) else None
        if engagement is not None:
            return redirect(url_for("respond.join", code=engagement.join_code))
        form.code.errors = [_("No workshop has this code. Check it against the code on the workshop screen.")]
    return render_template("respond/join_code.html", form=form), 422 if sent else 200


def _engagement(code: str) -> Any:
    try:
        return ws.engagement_by_join_code(code)
    except NotFound:
        return None
