"""The round page's mail actions: a respondent's email (saved, and the invitation sent), a reminder to everyone who
has not answered, the client contact's email and the survey link's invitation or reminder. A send that fails is
recorded and said (a warning on the round's page); a closed round, or a server without mail, sends nothing."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from assessment.web import mail
from assessment.web.models import Engagement, Respondent, db
from assessment.web.security import limiter
from assessment.web.workshop import mailing
from assessment.web.workshop.blueprint import bp
from assessment.web.workshop.forms import MailAddressForm
from assessment.web.workshop.owned import owned
from assessment.web.workshop.rounds import dashboard

WARNING = "warning"  # the flash category the round's page shows as a warning


def _outcome(error: str, sent: str) -> None:
    """Say how a send went: ``sent`` if the server took it, else why not (as a warning)."""
    if error:
        flash(_("Not sent: %(reason)s.", reason=mail.reason_text(error)), WARNING)
    else:
        flash(sent)


@bp.post("/engagements/<int:engagement_id>/respondents/<int:respondent_id>/mail")
@limiter.limit("60 per minute")
@owned
def respondent_mail(engagement: Engagement, respondent: Respondent) -> Any:
    """Save a respondent's email (empty: none) and, with action=invitation, mail them their private link."""
    form = MailAddressForm()
    if not form.validate_on_submit():
        typed = (request.form.get("email") or "")[:254]
        return dashboard(engagement, mail_errors={respondent.id: (typed, list(form.email.errors))}), 422
    respondent.email = form.email.data or ""
    db.session.commit()
    back = url_for("workshop.engagement", engagement_id=engagement.id) + f"#respondent-{respondent.id}"
    if request.form.get("action") != mailing.INVITATION:
        flash(_("The email has been saved.") if respondent.email else _("The email has been removed."))
        return redirect(back)
    try:
        error = mailing.invite_respondent(engagement, respondent)
    except mailing.NotSent as reason:
        flash(str(reason), WARNING)
        return redirect(back)
    _outcome(error, _("The invitation has been sent to %(email)s.", email=respondent.email))
    return redirect(back)


@bp.post("/engagements/<int:engagement_id>/reminders")
@limiter.limit("10 per minute")
@owned
def remind_respondents(engagement: Engagement) -> Any:
    """Mail a reminder to every respondent with an email whose open link has not been submitted."""
    FlaskForm().validate_on_submit() or abort(400)
    back = url_for("workshop.engagement", engagement_id=engagement.id) + "#respondents"
    try:
        sent, failed = mailing.remind_respondents(engagement)
    except mailing.NotSent as reason:
        flash(str(reason), WARNING)
        return redirect(back)
    if sent:
        flash(
            ngettext("A reminder has been sent to %(num)s person.", "Reminders have been sent to %(num)s people.", sent)
        )
    if failed:
        flash(ngettext("%(num)s reminder could not be sent: see the list.", "%(num)s reminders could not be sent: see "
                       "the list.", failed), WARNING)  # fmt: skip
    return redirect(back)


@bp.post("/engagements/<int:engagement_id>/survey-mail")
@limiter.limit("30 per minute")
@owned
def survey_mail(engagement: Engagement) -> Any:
    """Save the client contact's email (empty: none) and, with action=invitation or reminder, mail them the survey
    link."""
    form = MailAddressForm()
    if not form.validate_on_submit():
        typed = (request.form.get("email") or "")[:254]
        return dashboard(engagement, mail_errors={None: (typed, list(form.email.errors))}), 422
    engagement.survey_email = form.email.data or ""
    db.session.commit()
    back = url_for("workshop.engagement", engagement_id=engagement.id) + "#survey-mail"
    action = request.form.get("action")
    if action not in mailing.PURPOSES:
        flash(_("The email has been saved.") if engagement.survey_email else _("The email has been removed."))
        return redirect(back)
    try:
        error = mailing.mail_survey(engagement, action)
    except mailing.NotSent as reason:
        flash(str(reason), WARNING)
        return redirect(back)
    address = engagement.survey_email
    if action == mailing.REMINDER:
        _outcome(error, _("The reminder has been sent to %(email)s.", email=address))
    else:
        _outcome(error, _("The invitation has been sent to %(email)s.", email=address))
    return redirect(back)
