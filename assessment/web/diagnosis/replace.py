"""Replacing an old private link after an import: the manager pastes the link they had, and it stops working.

An import always opens a new link (the file may come from anywhere). A manager who continued their own export
usually still has the old link, which would keep opening the answers as they were: pasting it here deletes that
diagnosis, so only the new link remains. Holding the old link is what allows it, as it allows every other change.
"""

from __future__ import annotations

import re
from typing import Any

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from wtforms.fields import BooleanField, StringField

from assessment.web import store
from assessment.web.app_form import AppForm
from assessment.web.diagnosis.blueprint import bp
from assessment.web.diagnosis.results import review
from assessment.web.security import limiter

_TOKEN_IN_LINK = re.compile(r"/a/([A-Za-z0-9_-]{20,64})(?:[/?#]|$)")


class ReplaceForm(AppForm):
    """The old private link to retire, and the tick that says its answers may go."""

    old_link = StringField(lazy_gettext("Your earlier private link"))
    confirm = BooleanField()


def token_in(link: str) -> str:
    """The token inside a pasted private link (``https://…/a/<token>/results``), or the text itself."""
    found = _TOKEN_IN_LINK.search(link.strip())
    return found.group(1) if found else link.strip()


@bp.post("/a/<token>/replace-old-link")
@limiter.limit("10 per minute;50 per day")
def replace_old_link(token: str) -> Any:
    """Delete the diagnosis behind a pasted earlier link (not this one); say what happened, never a traceback."""
    store.find(token)  # 404 for an unknown token or a survey-only link
    form = ReplaceForm(meta={"csrf": False})  # CSRFProtect has already checked the token
    old = token_in(form.old_link.data or "")
    error = None
    if not old:
        error = _("Paste the private link you used before.")
    elif len(old) > 200:
        error = _("That is not a private link of this app.")
    elif old == token:
        error = _("That is this diagnosis's own link: paste the earlier one.")
    elif not form.confirm.data:
        error = _("Tick the box to confirm that the earlier link's answers may be deleted.")
    elif not store.retire(old):
        error = _("No diagnosis was found for that link: it may already be deleted, or it belongs to a workshop.")
    if error is not None:
        return review(token, replace_form=form, replace_error=error), 422
    flash(_("The earlier link no longer works and its answers are deleted. Keep the link of this page."))
    return redirect(url_for("diagnosis.review", token=token))
