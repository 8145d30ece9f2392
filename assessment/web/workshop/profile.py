"""A client's profile for the portfolio: its industry, its head count and when its next round is due.

The client's page shows the profile (``_client_profile.html``, with the form to those who may edit); the form is
sent here. A value that cannot be stored comes back on this page with a 422, the field named and everything typed
kept. Each change is written to the audit log (which fields changed, not their values)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from wtforms import DateField, Field, StringField
from wtforms.validators import Length, Optional, ValidationError

from assessment.engine.typed_number import read_typed_number
from assessment.web.app_form import AppForm
from assessment.web.forms import single_line
from assessment.web.models import Client, db
from assessment.web.workshop import access, audit
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.forms import no_markup
from assessment.web.workshop.owned import owned

MAX_INDUSTRY = 100
MAX_EMPLOYEES = 1_000_000


def typed_head_count(text: str) -> int | None:
    """A whole number of people from 1 to a million, typed as people type it ("1,200", "１２００", "120名");
    None for anything else."""
    number = read_typed_number(text, "people")
    if number is None or not number.is_integer() or not 1 <= number <= MAX_EMPLOYEES:
        return None
    return int(number)


def head_count(form: AppForm, field: Field) -> None:
    """WTForms validator: empty, or a head count ``typed_head_count`` reads."""
    text = str(field.data or "")
    if text and typed_head_count(text) is None:
        raise ValidationError(
            lazy_gettext("Enter a whole number of people from 1 to %(most)s.", most=f"{MAX_EMPLOYEES:,}")
        )


class ClientProfileForm(AppForm):
    """The client's industry (free text), its number of employees and the day its next round is due."""

    industry = StringField(
        lazy_gettext("Industry"), validators=[Optional(), Length(max=MAX_INDUSTRY), no_markup], filters=[single_line]
    )
    employees = StringField(lazy_gettext("Employees"), validators=[head_count], filters=[single_line])
    next_round_on = DateField(lazy_gettext("Next round due"), validators=[Optional()])


def profile_form(client: Client) -> ClientProfileForm:
    """The profile form filled with the client's stored values (for the client's page)."""
    form = ClientProfileForm(formdata=None, obj=client)
    form.employees.data = str(client.employees) if client.employees is not None else ""
    return form


@bp.app_template_global("client_profile_form")
def client_profile_form(client: Client) -> ClientProfileForm | None:
    """The client's profile form for its page, or None when the page may not offer changes (a reviewer)."""
    return profile_form(client) if access.can_edit() else None


def changed_fields(client: Client, industry: str, employees: int | None, due: date | None) -> list[str]:
    """The names of the profile's fields whose value changes."""
    now = {"industry": industry, "employees": employees, "next_round_on": due}
    return [name for name, value in now.items() if getattr(client, name) != value]


@bp.route("/clients/<int:client_id>/profile", methods=["GET", "POST"])
@owned
def client_profile(client: Client) -> Any:
    """Edit the client's industry, size and next round due (the client's page shows the same form)."""
    if request.method == "GET":
        form: ClientProfileForm = profile_form(client)
    else:
        form = ClientProfileForm()
        if form.validate_on_submit():
            industry = form.industry.data or ""
            employees = typed_head_count(form.employees.data) if form.employees.data else None
            due = form.next_round_on.data
            changed = changed_fields(client, industry, employees, due)
            if changed:
                client.industry, client.employees, client.next_round_on = industry, employees, due
                db.session.commit()
                audit.record("client.profile", "client", client.id, ", ".join(changed), client_id=client.id)
            flash(_("The client's profile has been saved."))
            return redirect(url_for("workshop.client", client_id=client.id) + "#client-profile")
    status = 422 if request.method == "POST" else 200
    editable = access.can_edit()
    return render_template("workshop/client_profile.html", client=client, form=form, editable=editable), status
