"""The workshop's forms, and the words of the departments a respondent can belong to."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext
from wtforms import DateField, EmailField, Field, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from assessment.engine.assessment_file import MAX_CLIENT_NAME
from assessment.engine.wording import role_label
from assessment.web import current, mail
from assessment.web.app_form import AppForm
from assessment.web.forms import single_line


def department_choices() -> list[tuple[str, str]]:
    """The departments a respondent answers for (survey.yaml: the four of THE MODEL, then management and other), in
    the page's words."""
    content, lang = current.content(), current.lang()
    return [(role, role_label(role, content, lang)) for role in content.survey.roles]


class ClientForm(AppForm):
    """A new client."""

    name = StringField(
        lazy_gettext("Client name"), validators=[DataRequired(), Length(max=MAX_CLIENT_NAME)], filters=[single_line]
    )


def no_markup(form: AppForm, field: Field) -> None:
    """A title is text, not markup: angle brackets are refused with a clear message (not silently escaped)."""
    if "<" in (field.data or "") or ">" in (field.data or ""):
        raise ValidationError(lazy_gettext("Please leave out < and >."))


class EngagementForm(AppForm):
    """A new diagnosis round."""

    title = StringField(lazy_gettext("Title"), validators=[DataRequired(), Length(max=200)], filters=[single_line])
    held_on = DateField(lazy_gettext("Workshop date"), validators=[DataRequired()], default=date.today)


class RoundEditForm(EngagementForm):
    """A round's corrected title and date: markup in the title is refused, with the field named."""

    title = StringField(
        lazy_gettext("Title"), validators=[DataRequired(), Length(max=200), no_markup], filters=[single_line]
    )


class InviteForm(AppForm):
    """An answering link for one respondent (the department choices are set per request, in its language)."""

    department = SelectField(lazy_gettext("Department"), validators=[DataRequired()])
    name = StringField(lazy_gettext("Name (optional)"), validators=[Optional(), Length(max=200)], filters=[single_line])
    days = IntegerField(lazy_gettext("Valid for (days)"), default=14, validators=[InputRequired(), NumberRange(1, 90)])
    # Where the invitation and reminders go (optional; offered only when the server sends mail).
    email = EmailField(lazy_gettext("Email (optional)"), validators=[Length(max=254), mail.address_field])


class MailAddressForm(AppForm):
    """A respondent's or the client contact's email (empty: none), and what to do with it (save, or save and send
    the invitation or a reminder)."""

    email = EmailField(lazy_gettext("Email"), validators=[Length(max=254), mail.address_field])


class DepartmentForm(AppForm):
    """A respondent's corrected department (the choices are set per request, in its language)."""

    department = SelectField(lazy_gettext("Department"), validators=[DataRequired()])


def department_form() -> DepartmentForm:
    """The department form bound to the request, with the departments in the page's language."""
    form = DepartmentForm()
    form.department.choices = department_choices()
    return form


def invite_form() -> InviteForm:
    """The invite form bound to the request, with the departments in the page's language."""
    form = InviteForm()
    form.department.choices = department_choices()
    return form


class NarrativeForm(AppForm):
    """The consultant's words per proposal section (read from the request: one field per section)."""


SECTION_TITLES = {
    "executive_summary": lazy_gettext("Executive summary"),
    "checklist": lazy_gettext("Readiness checklist"),
    "funnel": lazy_gettext("Funnel and benchmarks"),
    "risks": lazy_gettext("Failure risks"),
    "organisation": lazy_gettext("Organisation design"),
    "configuration": lazy_gettext("MA/SFA configuration"),
    "roadmap": lazy_gettext("Implementation roadmap"),
    "next_steps": lazy_gettext("Next steps"),
    "plan_start": lazy_gettext("Plan start date"),
}


SHARE_ROLE_CHOICES = [
    ("facilitator", lazy_gettext("Co-facilitator: runs and changes the rounds")),
    ("reviewer", lazy_gettext("Reviewer: reads only")),
]


SHARE_ROLE_NAMES = {"facilitator": lazy_gettext("co-facilitator"), "reviewer": lazy_gettext("reviewer")}


class ShareForm(AppForm):
    """A colleague to share a client with (the firm's active colleagues are set per request), and their role."""

    colleague = SelectField(lazy_gettext("Colleague"))
    role = SelectField(lazy_gettext("Role"), default="facilitator")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = list(SHARE_ROLE_CHOICES)  # set here: WTForms deprecates tuples given to the field


class ShareRoleForm(AppForm):
    """A colleague's role on a shared client."""

    role = SelectField(lazy_gettext("Role"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = list(SHARE_ROLE_CHOICES)
