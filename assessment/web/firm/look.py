"""The firm's look: its name, accent colour and logo, on its consultants' pages and on their proposals."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from assessment.web.firm import roster
from assessment.web.firm.blueprint import bp
from assessment.web.firm.forms import LookForm
from assessment.web.firm.logo import MAX_LOGO_BYTES, LogoRefused, checked_logo
from assessment.web.models import Firm, db
from assessment.web.workshop import audit


def _page(form: LookForm, firm: Firm) -> str:
    return render_template("firm/look.html", form=form, firm=firm, remove_form=FlaskForm())


def _uploaded(form: LookForm) -> tuple[bytes, str] | None:
    """The checked logo of the form, None when no file was chosen; a refused one becomes the field's error."""
    upload = form.logo.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    try:
        return checked_logo(upload.read(MAX_LOGO_BYTES + 1))
    except LogoRefused as refused:
        form.logo.errors = [str(refused)]
        raise


@bp.route("/look", methods=["GET", "POST"])
def look() -> Any:
    """The firm's name, accent colour and logo; nothing is saved unless every field is right."""
    firm = roster.my_firm()
    form = LookForm(name=firm.name, accent_color=firm.accent_color)  # what is posted wins over these
    if not form.validate_on_submit():
        return _page(form, firm), (422 if request.method == "POST" else 200)
    try:
        logo = _uploaded(form)
    except LogoRefused:
        return _page(form, firm), 422
    firm.name = form.name.data or ""
    firm.accent_color = (form.accent_color.data or "").lower()
    if logo is not None:
        firm.logo, firm.logo_type = logo
    db.session.commit()
    audit.record("firm.look", "firm", firm.id, "logo" if logo else "", client_id=None)
    flash(_("The firm's look has been saved: your consultants see it now, and it is on their next proposals."))
    return redirect(url_for("firm.look"))


@bp.post("/look/logo/remove")
def remove_logo() -> Any:
    """Take the logo off the pages and the next proposals (those already made keep theirs)."""
    FlaskForm().validate_on_submit() or abort(400)
    firm = roster.my_firm()
    firm.logo, firm.logo_type = None, ""
    db.session.commit()
    audit.record("firm.logo_remove", "firm", firm.id, client_id=None)
    flash(_("The logo has been removed."))
    return redirect(url_for("firm.look"))
