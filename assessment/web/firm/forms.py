"""The firm pages' forms: a new account, a role, a handover of clients, and the firm's look."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext
from flask_wtf.file import FileField
from wtforms import EmailField, Field, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from assessment.report.branding import HEX_COLOUR
from assessment.web.accounts.store import MIN_PASSWORD
from assessment.web.app_form import AppForm
from assessment.web.forms import single_line

ROLE_CHOICES = [("consultant", lazy_gettext("Consultant")), ("admin", lazy_gettext("Firm admin"))]
PLAUSIBLE_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_CONTRAST = 4.5  # WCAG AA for text: white on the colour (header, buttons) and the colour on white (links)


def plausible_email(form: AppForm, field: Field) -> None:
    """An address with one @ and a domain with a dot (whether it receives mail is the admin's to know)."""
    if not PLAUSIBLE_EMAIL.match(field.data or ""):
        raise ValidationError(lazy_gettext("Please enter an email address like name@example.com."))


def no_markup(form: AppForm, field: Field) -> None:
    """A name is text, not markup: angle brackets are refused with a clear message (not silently escaped)."""
    if "<" in (field.data or "") or ">" in (field.data or ""):
        raise ValidationError(lazy_gettext("Please leave out < and >."))


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of white text on ``colour`` (#rrggbb)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def readable_colour(form: AppForm, field: Field) -> None:
    """A colour like #1f4e79, dark enough for white text on it (and for links in it on white)."""
    value = (field.data or "").strip()
    if not value:
        return
    if not HEX_COLOUR.match(value):
        raise ValidationError(lazy_gettext("Please enter a colour as # and six hex digits, like #1f4e79."))
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            lazy_gettext(
                "This colour is too light: white text on it has a contrast of %(ratio)s:1, and at least "
                "%(needed)s:1 is needed. Please choose a darker shade.",
                ratio=f"{ratio:.1f}",
                needed=MIN_CONTRAST,
            )
        )


class AccountForm(AppForm):
    """A new account of the firm."""

    email = EmailField(
        lazy_gettext("Email"), validators=[DataRequired(), Length(max=254), plausible_email], filters=[single_line]
    )
    name = StringField(
        lazy_gettext("Name"), validators=[DataRequired(), Length(max=200), no_markup], filters=[single_line]
    )
    role = SelectField(lazy_gettext("Role"), default="consultant")
    password = PasswordField(
        lazy_gettext("Initial password (optional)"), validators=[Optional(), Length(min=MIN_PASSWORD, max=200)]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = list(ROLE_CHOICES)  # set here: WTForms deprecates tuples given to the field itself


class RoleForm(AppForm):
    """An account's role."""

    role = SelectField(lazy_gettext("Role"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = list(ROLE_CHOICES)


class TransferForm(AppForm):
    """Whose clients go to whom (the accounts of the firm are set per request); ``confirmed`` after the summary."""

    leaver = SelectField(lazy_gettext("Clients of"))  # account ids as text: a wrong one is "Not a valid choice."
    receiver = SelectField(lazy_gettext("Hand them to"))
    confirmed = HiddenField()

    def validate_receiver(self, field: Field) -> None:
        """Two different people."""
        if field.data == self.leaver.data:
            raise ValidationError(lazy_gettext("Please choose a colleague other than the person leaving."))


class LookForm(AppForm):
    """The firm's name, accent colour and logo (the logo's own checks are in ``logo``)."""

    name = StringField(
        lazy_gettext("Firm name"), validators=[Optional(), Length(max=200), no_markup], filters=[single_line]
    )
    accent_color = StringField(
        lazy_gettext("Accent colour"), validators=[Optional(), readable_colour], filters=[single_line]
    )
    logo = FileField(lazy_gettext("Logo (PNG or JPEG, at most 1 MB)"))
