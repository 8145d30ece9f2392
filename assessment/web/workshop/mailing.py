"""A round's invitations and reminders by email: to a respondent's private link, and to the client contact with
the survey link. Each mail names the client, the consultant who sends it (replies go to them) and the deadline
if the round has one, Japanese first, then English. Every send is recorded (``MailSent``, with the server's
refusal if any; the audit log says who sent what, naming no address) and shown on the round's page; a closed
round sends nothing.

The addresses are personal data: they go with the respondent, the round or the client (``changes``), and no
export carries them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from assessment.web import mail
from assessment.web.database import aware
from assessment.web.models import Client, Engagement, MailSent, Respondent, db
from assessment.web.workshop import audit, lifecycle
from assessment.web.workshop import respondents as rs
from assessment.web.workshop import store as ws

INVITATION, REMINDER = "invitation", "reminder"
PURPOSES = (INVITATION, REMINDER)


class NotSent(Exception):
    """Nothing was sent, and why (in the reader's words): the round is closed, mail is not set up, no address,
    the link is not open, the survey deadline has passed."""


@dataclass(frozen=True)
class Status:
    """What the round's page says of the latest mail to one address: "Invitation sent 11/30 14:05", or why not."""

    text: str
    failed: bool


def check_can_send(engagement: Engagement) -> None:
    """NotSent unless the server sends mail and the round is open."""
    if not mail.configured():
        raise NotSent(_("This server does not send mail: copy the link and send it yourself."))
    if lifecycle.is_closed(engagement):
        raise NotSent(_("The round is closed: no invitation or reminder is sent. Reopen it first if need be."))


def invite_respondent(engagement: Engagement, respondent: Respondent) -> str:
    """Mail one respondent their private link: "" if the server took it, else the failure as stored."""
    check_can_send(engagement)
    if not respondent.email:
        raise NotSent(_("Give the respondent's email first."))
    if rs.link_state(respondent) != "open":
        raise NotSent(_("This link is expired or revoked: reopen it before sending it."))
    [error] = _send(engagement, [(respondent, respondent.email, INVITATION)])
    return error


def reminder_targets(engagement: Engagement) -> list[Respondent]:
    """Who a reminder goes to: respondents with an email whose link is open (not revoked, not expired) and who
    have not submitted their answers."""
    return [
        r for r in rs.respondents_of(engagement)
        if r.email and r.submitted_at is None and rs.link_state(r) == "open"
    ]  # fmt: skip


def remind_respondents(engagement: Engagement) -> tuple[int, int]:
    """Mail a reminder to everyone who has not answered yet (over one connection): (sent, not sent)."""
    check_can_send(engagement)
    targets = reminder_targets(engagement)
    if not targets:
        raise NotSent(_("Nobody to remind: everyone with an email and an open link has answered."))
    errors = _send(engagement, [(r, r.email, REMINDER) for r in targets])
    failed = sum(1 for error in errors if error)
    return len(errors) - failed, failed


def mail_survey(engagement: Engagement, purpose: str) -> str:
    """Mail the client contact the survey link (an invitation or a reminder): "" if the server took it, else the
    failure as stored."""
    check_can_send(engagement)
    if not engagement.survey_email:
        raise NotSent(_("Give the client contact's email first."))
    if lifecycle.deadline_over(engagement):
        raise NotSent(_("The survey deadline has passed: move it before sending the link again."))
    [error] = _send(engagement, [(None, engagement.survey_email, purpose if purpose in PURPOSES else INVITATION)])
    return error


def _send(engagement: Engagement, sends: list[tuple[Respondent | None, str, str]]) -> list[str]:
    """Send the mails over one connection and record each (with its failure, if any)."""
    client = db.session.get(Client, engagement.client_id)
    client_name = client.name if client is not None else ""
    mails = [_compose(engagement, client_name, respondent, address, purpose) for respondent, address, purpose in sends]
    errors = mail.send_all(mails)
    for (respondent, address, purpose), error in zip(sends, errors, strict=True):
        db.session.add(
            MailSent(
                engagement_id=engagement.id, respondent_id=respondent.id if respondent is not None else None,
                address=address, purpose=purpose, error=error,
            )
        )  # fmt: skip
    db.session.commit()
    first, purpose = sends[0][0], sends[0][2]
    to = "survey link" if first is None else (f"respondent {first.id}" if len(sends) == 1 else "respondents")
    taken = sum(1 for error in errors if not error)
    audit.record(f"mail.{purpose}", "round", engagement.id, f"{to}: {taken}/{len(errors)} sent",
                 client_id=engagement.client_id)  # fmt: skip
    return errors


def _compose(
    engagement: Engagement, client: str, respondent: Respondent | None, address: str, purpose: str
) -> mail.Mail:
    """One invitation or reminder: to a respondent's private link, or (``respondent`` None) the survey link."""
    consultant = str(current_user.name or current_user.email)
    if respondent is not None:
        link = mail.external_url("respond.start", token=respondent.token)
        words = _respondent_words(respondent, purpose)
    else:
        link = mail.external_url("diagnosis.page", token=ws.assessment_of(engagement).token, page_id="profile")
        words = _survey_words(purpose)

    def body() -> str:
        lines = words(client, consultant)
        deadline = lifecycle.deadline_text(engagement) if not lifecycle.deadline_over(engagement) else ""
        if deadline:
            lines.append(_("Please answer by %(when)s.", when=deadline) if respondent is not None
                         else _("The survey link takes answers until %(when)s.", when=deadline))  # fmt: skip
        if respondent is not None:
            lines.append(_("Your link is open until %(day)s.", day=format_date(aware(respondent.expires_at), "long")))
        lines += [link, _("Questions? Reply to this mail to reach %(consultant)s.", consultant=consultant)]
        return "\n\n".join(lines)

    def subject() -> str:
        return _subject(purpose, respondent is not None, client)

    return mail.Mail(
        to=address, subject=mail.in_both_languages(subject, " / "), body=mail.in_both_languages(body),
        reply_to=str(current_user.email),
    )  # fmt: skip


def _respondent_words(respondent: Respondent, purpose: str) -> Callable[[str, str], list[str]]:
    def words(client: str, consultant: str) -> list[str]:
        lines = [_("Dear %(name)s,", name=respondent.name)] if respondent.name else []
        if purpose == REMINDER:
            lines.append(_("A reminder: %(consultant)s is still waiting for your answers to the diagnosis of "
                           "%(client)s's sales organisation (THE MODEL). If you have started, the same link takes "
                           "you back to your answers.", consultant=consultant, client=client))  # fmt: skip
        else:
            lines.append(_("%(consultant)s asks for your answers to the diagnosis of %(client)s's sales organisation "
                           "(THE MODEL). Your answers are saved page by page; you can come back with the same link.",
                           consultant=consultant, client=client))  # fmt: skip
        lines.append(_("This link is yours alone: please do not pass it on."))
        return lines

    return words


def _survey_words(purpose: str) -> Callable[[str, str], list[str]]:
    def words(client: str, consultant: str) -> list[str]:
        if purpose == REMINDER:
            first = _("A reminder: %(consultant)s is still waiting for %(client)s's company profile and funnel "
                      "figures for the diagnosis of its sales organisation (THE MODEL).",
                      consultant=consultant, client=client)  # fmt: skip
        else:
            first = _("%(consultant)s asks you to fill in %(client)s's company profile and funnel figures for the "
                      "diagnosis of its sales organisation (THE MODEL).",
                      consultant=consultant, client=client)  # fmt: skip
        return [first, _("Anyone with this link can see and change these figures: please share it only with the "
                         "people who fill them in.")]  # fmt: skip

    return words


def _subject(purpose: str, to_respondent: bool, client: str) -> str:
    if to_respondent and purpose == REMINDER:
        return str(_("Reminder: %(client)s sales organisation diagnosis, your answers", client=client))
    if to_respondent:
        return str(_("%(client)s sales organisation diagnosis: your answers, please", client=client))
    if purpose == REMINDER:
        return str(
            _("Reminder: %(client)s sales organisation diagnosis, company profile and funnel figures", client=client)
        )
    return str(_("%(client)s sales organisation diagnosis: company profile and funnel figures, please", client=client))


def statuses(engagement: Engagement) -> dict[int | None, Status]:
    """The latest mail to each respondent (by id) and to the survey contact (None), as the round's page says it."""
    rows = db.session.execute(
        db.select(MailSent).filter_by(engagement_id=engagement.id).order_by(MailSent.sent_at, MailSent.id)
    ).scalars()
    latest = {row.respondent_id: row for row in rows}
    return {key: status_of(row) for key, row in latest.items()}


def status_of(row: MailSent) -> Status:
    """ "Invitation sent 11/30 14:05", "Reminder sent …", or "Not sent (11/30 14:05): why"."""
    when = format_datetime(aware(row.sent_at), "M/d HH:mm")
    if row.error:
        return Status(_("Not sent (%(when)s): %(reason)s", when=when, reason=mail.reason_text(row.error)), True)
    if row.purpose == REMINDER:
        return Status(_("Reminder sent %(when)s", when=when), False)
    return Status(_("Invitation sent %(when)s", when=when), False)


def page_state(engagement: Engagement) -> dict[str, object]:
    """What the round's page shows of mail: whether it can send, the statuses, how many a reminder would reach."""
    configured = mail.configured()
    return {
        "configured": configured,
        "can_send": configured and not lifecycle.is_closed(engagement),
        "statuses": statuses(engagement),
        "reminders": len(reminder_targets(engagement)) if configured else 0,
    }
