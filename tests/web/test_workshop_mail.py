"""A round's invitations and reminders by email, sent through a real SMTP server (aiosmtpd) the test starts: each
respondent gets their own link, reminders skip whoever answered (or cannot answer), the client contact gets the
survey link; every send is recorded and shown, failures too; a closed round or a server without mail sends
nothing; deleting a respondent, a round or a client deletes the addresses; no export carries them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, ngettext
from sqlalchemy import select

from assessment.web.accounts import create_consultant
from assessment.web.models import AuditEntry, Consultant, Engagement, MailSent, Respondent, SelfAssessment, db
from assessment.web.workshop import lifecycle
from tests.web import new_workshop_round, text, translate, visible_text
from tests.web.mail_server import MailServer, body_of, free_port, links_in, settings_for

CONSULTANT = "yamada@firm.example"
CLIENT = "株式会社アルファ"
PUBLIC = "https://readiness.example.jp"


@dataclass
class Round:
    app: Flask
    browser: FlaskClient
    engagement_id: int

    @property
    def url(self) -> str:
        return f"/engagements/{self.engagement_id}"

    def invite(self, name: str, email: str = "", department: str = "marketing") -> int:
        data = {"department": department, "name": name, "days": "14", "email": email}
        response = self.browser.post(f"{self.url}/invites", data=data)
        assert response.status_code == 302, text(response)[:500]
        return int(response.location.rsplit("#respondent-", 1)[1])

    def mail(self, respondent_id: int, email: str, action: str = "invitation") -> int:
        response = self.browser.post(
            f"{self.url}/respondents/{respondent_id}/mail", data={"email": email, "action": action}
        )
        return response.status_code

    def page(self) -> str:
        response = self.browser.get(self.url)
        assert response.status_code == 200
        return text(response)

    def respondent(self, respondent_id: int) -> Respondent:
        with self.app.app_context():
            row = db.session.get(Respondent, respondent_id)
            assert row is not None
            db.session.expunge(row)
            return row

    def sent(self) -> list[tuple[int | None, str, str, str]]:
        with self.app.app_context():
            rows = db.session.execute(
                select(MailSent).filter_by(engagement_id=self.engagement_id).order_by(MailSent.id)
            )
            return [(r.respondent_id, r.address, r.purpose, r.error) for r in rows.scalars()]

    def change(self, respondent_id: int, **values: object) -> None:
        with self.app.app_context():
            row = db.session.get(Respondent, respondent_id)
            for key, value in values.items():
                setattr(row, key, value)
            db.session.commit()


def open_round(app: Flask, client_name: str = CLIENT) -> Round:
    with app.app_context():
        if db.session.execute(select(Consultant).filter_by(email=CONSULTANT)).first() is None:
            create_consultant(CONSULTANT, "consultant-password-1", "山田 太郎")
    browser = app.test_client()
    assert browser.post("/login", data={"email": CONSULTANT, "password": "consultant-password-1"}).status_code == 302
    return Round(app, browser, new_workshop_round(browser, client_name))


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], mail_server: MailServer) -> Flask:
    return make_app(WTF_CSRF_ENABLED=False, READINESS_SMTP=mail_server.settings(), READINESS_PUBLIC_URL=PUBLIC)


@pytest.fixture
def workshop(mail_app: Flask) -> Round:
    return open_round(mail_app)


def token_path(link: str) -> str:
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == PUBLIC, link
    return parts.path


# --- invitations ------------------------------------------------------------------------------------------------


def test_an_invitation_brings_the_respondent_their_own_link(workshop: Round, mail_server: MailServer) -> None:
    app = workshop.app
    assert 'name="email"' in workshop.page()  # the invite form offers an email
    sato = workshop.invite("佐藤", "Sato@Client.Example")
    suzuki = workshop.invite("鈴木", "suzuki@client.example", "field_sales")
    assert workshop.respondent(sato).email == "Sato@client.example"
    assert workshop.mail(sato, "Sato@client.example") == 302
    assert workshop.mail(suzuki, "suzuki@client.example") == 302

    [to_sato] = mail_server.to("Sato@client.example")
    [to_suzuki] = mail_server.to("suzuki@client.example")
    for message, respondent_id in ((to_sato, sato), (to_suzuki, suzuki)):
        token = workshop.respondent(respondent_id).token
        assert {token_path(link) for link in links_in(message)} == {f"/r/{token}"}  # their own link, only
    japanese = translate(app, "%(client)s sales organisation diagnosis: your answers, please").replace(
        "%(client)s", CLIENT
    )
    assert to_sato["Subject"] == f"{japanese} / {CLIENT} sales organisation diagnosis: your answers, please"
    assert to_sato["Reply-To"] == CONSULTANT and to_sato["To"] == "Sato@client.example"
    body = body_of(to_sato)
    assert "山田 太郎" in body and CLIENT in body and "佐藤" in body
    assert body.index(translate(app, "This link is yours alone: please do not pass it on.")) < body.index(
        "This link is yours alone: please do not pass it on."
    )

    follower = app.test_client()  # the link opens the respondent's questionnaire
    opened = follower.get(token_path(links_in(to_sato)[0]))
    assert opened.status_code == 302 and opened.location.startswith(f"/r/{workshop.respondent(sato).token}/")
    assert workshop.sent() == [
        (sato, "Sato@client.example", "invitation", ""),
        (suzuki, "suzuki@client.example", "invitation", ""),
    ]
    shown = visible_text(workshop.page())
    with app.test_request_context("/"), force_locale("ja"):
        sent = translate(app, "Invitation sent %(when)s").split("%(when)s")[0].strip()
    assert sent and shown.count(sent) == 2


def test_the_mail_names_the_deadline_in_both_languages(workshop: Round, mail_server: MailServer) -> None:
    workshop.browser.post(f"{workshop.url}/deadline", data={"deadline": "2030-12-04T17:00"})
    respondent = workshop.invite("佐藤", "sato@client.example")
    workshop.mail(respondent, "sato@client.example")
    body = body_of(mail_server.to("sato@client.example")[0])
    with workshop.app.app_context():
        engagement = db.session.get(Engagement, workshop.engagement_id)
        with workshop.app.test_request_context("/"):
            with force_locale("ja"):
                japanese = lifecycle.deadline_text(engagement)
            with force_locale("en"):
                english = lifecycle.deadline_text(engagement)
    assert japanese == "2030年12月4日 17:00" and japanese in body
    assert f"Please answer by {english}." in body and "December 4, 2030" in english


def test_an_email_is_given_edited_and_removed(workshop: Round, mail_server: MailServer) -> None:
    respondent = workshop.invite("佐藤")
    assert workshop.respondent(respondent).email == ""
    assert workshop.mail(respondent, "sato@client.example", "save") == 302
    assert workshop.respondent(respondent).email == "sato@client.example"
    assert workshop.mail(respondent, "", "save") == 302
    assert workshop.respondent(respondent).email == ""
    assert mail_server.messages == []

    refused = workshop.browser.post(
        f"{workshop.url}/respondents/{respondent}/mail", data={"email": "sato@@x", "action": "save"}
    )
    assert refused.status_code == 422
    page = text(refused)
    assert 'id="error-summary"' in page and 'value="sato@@x"' in page  # the field is named, the typing kept
    assert translate(workshop.app, "Please give one email address, such as name@example.com.") in visible_text(refused)
    injected = workshop.browser.post(
        f"{workshop.url}/respondents/{respondent}/mail", data={"email": "a@b.jp\r\nBcc: x@y.jp", "action": "invitation"}
    )
    assert injected.status_code == 422 and mail_server.messages == []
    no_address = workshop.mail(respondent, "", "invitation")
    assert no_address == 302 and mail_server.messages == [] and workshop.sent() == []

    bad_invite = workshop.browser.post(
        f"{workshop.url}/invites", data={"department": "marketing", "name": "高橋", "days": "14", "email": "nope"}
    )
    assert bad_invite.status_code == 422 and 'value="高橋"' in text(bad_invite)
    with workshop.app.app_context():
        assert db.session.execute(select(Respondent).filter_by(name="高橋")).first() is None


def test_a_revoked_or_expired_link_is_not_mailed(workshop: Round, mail_server: MailServer) -> None:
    respondent = workshop.invite("佐藤", "sato@client.example")
    workshop.change(respondent, revoked_at=datetime.now(UTC))
    assert workshop.mail(respondent, "sato@client.example") == 302
    assert mail_server.messages == [] and workshop.sent() == []
    assert translate(workshop.app, "This link is expired or revoked: reopen it before sending it.") in visible_text(
        workshop.browser.get(workshop.url)
    )


# --- reminders ---------------------------------------------------------------------------------------------------


def test_reminders_go_only_to_those_who_can_still_answer_and_have_not(workshop: Round, mail_server: MailServer) -> None:
    waiting = workshop.invite("未回答", "waiting@client.example")
    started = workshop.invite("途中", "started@client.example")
    done = workshop.invite("回答済み", "done@client.example")
    revoked = workshop.invite("取り消し", "revoked@client.example")
    expired = workshop.invite("期限切れ", "expired@client.example")
    workshop.invite("アドレスなし")
    workshop.change(started, answers={"org.exec_sponsorship": "yes"}, answered_at=datetime.now(UTC))
    workshop.change(done, submitted_at=datetime.now(UTC))
    workshop.change(revoked, revoked_at=datetime.now(UTC))
    workshop.change(expired, expires_at=datetime.now(UTC) - timedelta(minutes=1))

    page = workshop.page()
    button = translate(workshop.app, "Remind those who have not answered (%(n)s)").replace("%(n)s", "2")
    assert 'id="remind"' in page and button in visible_text(page)
    response = workshop.browser.post(f"{workshop.url}/reminders")
    assert response.status_code == 302
    assert sorted(m["To"] for m in mail_server.messages) == ["started@client.example", "waiting@client.example"]
    for respondent_id, address in ((waiting, "waiting@client.example"), (started, "started@client.example")):
        [message] = mail_server.to(address)
        assert [token_path(link) for link in links_in(message)] == [
            f"/r/{workshop.respondent(respondent_id).token}"
        ] * 2
        assert message["Subject"].endswith(f"Reminder: {CLIENT} sales organisation diagnosis, your answers")
        assert "A reminder:" in body_of(message)
    assert sorted(workshop.sent()) == [
        (waiting, "waiting@client.example", "reminder", ""), (started, "started@client.example", "reminder", "")
    ]  # fmt: skip
    with workshop.app.app_context():  # the audit log says who mailed what, naming no address
        entries = db.session.execute(select(AuditEntry).filter(AuditEntry.action.like("mail.%"))).scalars().all()
        assert [(e.action, e.object_id, e.detail) for e in entries] == [
            ("mail.reminder", workshop.engagement_id, "respondents: 2/2 sent")
        ]
        assert entries[0].consultant_id is not None
    with workshop.app.test_request_context("/"), force_locale("ja"):
        told = ngettext("A reminder has been sent to %(num)s person.", "Reminders have been sent to %(num)s people.", 2)
    assert "2" in told and told in visible_text(workshop.browser.get(workshop.url))
    with workshop.app.app_context():
        reminder_sent = translate(workshop.app, "Reminder sent %(when)s").split("%(when)s")[0].strip()
    assert visible_text(workshop.page()).count(reminder_sent) == 2


def test_nobody_to_remind_is_said_and_nothing_sent(workshop: Round, mail_server: MailServer) -> None:
    done = workshop.invite("回答済み", "done@client.example")
    workshop.change(done, submitted_at=datetime.now(UTC))
    assert 'id="remind"' not in workshop.page()
    workshop.browser.post(f"{workshop.url}/reminders")
    assert mail_server.messages == [] and workshop.sent() == []
    assert translate(workshop.app, "Nobody to remind: everyone with an email and an open link has answered.") in (
        visible_text(workshop.browser.get(workshop.url))
    )


# --- the survey link ---------------------------------------------------------------------------------------------


def test_the_survey_link_goes_to_the_client_contact(workshop: Round, mail_server: MailServer) -> None:
    response = workshop.browser.post(
        f"{workshop.url}/survey-mail", data={"email": "contact@client.example", "action": "invitation"}
    )
    assert response.status_code == 302 and response.location.endswith("#survey-mail")
    with workshop.app.app_context():
        engagement = db.session.get(Engagement, workshop.engagement_id)
        assert engagement is not None and engagement.survey_email == "contact@client.example"
        token = db.session.get(SelfAssessment, engagement.assessment_id).token  # type: ignore[union-attr]
    [invitation] = mail_server.to("contact@client.example")
    assert {token_path(link) for link in links_in(invitation)} == {f"/a/{token}/profile"}
    assert CLIENT in invitation["Subject"] and "company profile and funnel figures" in invitation["Subject"]
    assert workshop.app.test_client().get(token_path(links_in(invitation)[0])).status_code == 200

    workshop.browser.post(f"{workshop.url}/survey-mail", data={"email": "contact@client.example", "action": "reminder"})
    assert mail_server.to("contact@client.example")[1]["Subject"].startswith(
        translate(
            workshop.app, "Reminder: %(client)s sales organisation diagnosis, company profile and funnel figures"
        ).split("%(client)s")[0]
    )
    assert workshop.sent() == [
        (None, "contact@client.example", "invitation", ""), (None, "contact@client.example", "reminder", "")
    ]  # fmt: skip
    page = workshop.page()
    assert 'id="survey-mail-status"' in page and 'value="contact@client.example"' in page


def test_a_survey_link_past_its_deadline_is_not_mailed(workshop: Round, mail_server: MailServer) -> None:
    with workshop.app.app_context():
        engagement = db.session.get(Engagement, workshop.engagement_id)
        assert engagement is not None
        engagement.survey_deadline = datetime.now(UTC) - timedelta(hours=1)
        db.session.commit()
    workshop.browser.post(f"{workshop.url}/survey-mail", data={"email": "contact@client.example", "action": "reminder"})
    assert mail_server.messages == [] and workshop.sent() == []


# --- failures, a closed round, no mail server --------------------------------------------------------------------


def test_a_refused_address_is_recorded_and_shown(workshop: Round, mail_server: MailServer) -> None:
    mail_server.refuse("gone@client.example")
    gone = workshop.invite("退職者", "gone@client.example")
    fine = workshop.invite("在籍", "fine@client.example")
    assert workshop.mail(gone, "gone@client.example") == 302
    [(respondent_id, _address, purpose, error)] = workshop.sent()
    assert (respondent_id, purpose) == (gone, "invitation") and error.startswith("address: 550")
    page = workshop.browser.get(workshop.url)
    shown = visible_text(page)
    assert translate(workshop.app, "the mail server refused the address") in shown and "550" in shown
    assert 'id="mail-warning"' in text(page) and f'id="mail-status-{gone}" class="field-error"' in text(page)
    assert "Traceback" not in text(page)

    workshop.browser.post(f"{workshop.url}/reminders")  # one refused, the other still sent
    assert [m["To"] for m in mail_server.messages] == ["fine@client.example"]
    reminders = [row for row in workshop.sent() if row[2] == "reminder"]
    assert sorted((row[0], bool(row[3])) for row in reminders) == sorted([(gone, True), (fine, False)])


def test_a_mail_server_that_is_down_is_recorded_and_nothing_crashes(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=False, READINESS_SMTP=settings_for(free_port()))
    workshop = open_round(app)
    first = workshop.invite("佐藤", "sato@client.example")
    second = workshop.invite("鈴木", "suzuki@client.example")
    assert workshop.mail(first, "sato@client.example") == 302
    response = workshop.browser.post(f"{workshop.url}/reminders")
    assert response.status_code == 302
    assert [(row[0], row[3]) for row in workshop.sent()] == [
        (first, "unreachable: connection refused"), (first, "unreachable: connection refused"),
        (second, "unreachable: connection refused"),
    ]  # fmt: skip
    page = workshop.browser.get(workshop.url)
    assert page.status_code == 200
    assert translate(app, "the mail server could not be reached") in visible_text(page)


def test_a_closed_round_sends_nothing(workshop: Round, mail_server: MailServer) -> None:
    respondent = workshop.invite("佐藤", "sato@client.example")
    workshop.browser.post(f"{workshop.url}/survey-mail", data={"email": "contact@client.example", "action": "save"})
    assert workshop.browser.post(f"{workshop.url}/close").status_code == 302
    page = workshop.page()
    assert 'value="invitation"' not in page and 'value="reminder"' not in page and 'id="remind"' not in page
    assert workshop.mail(respondent, "sato@client.example") == 302
    workshop.browser.post(f"{workshop.url}/reminders")
    workshop.browser.post(
        f"{workshop.url}/survey-mail", data={"email": "contact@client.example", "action": "invitation"}
    )
    assert mail_server.messages == [] and workshop.sent() == []
    closed = translate(
        workshop.app, "The round is closed: no invitation or reminder is sent. Reopen it first if need be."
    )
    assert closed in visible_text(workshop.browser.get(workshop.url))


def test_without_a_mail_server_the_round_page_says_so_and_nothing_is_recorded(app_nocsrf: Flask) -> None:
    workshop = open_round(app_nocsrf)
    respondent = workshop.invite("佐藤")
    page = workshop.page()
    assert translate(app_nocsrf, "This server does not send mail: copy the link and send it yourself.") in visible_text(
        page
    )
    assert 'name="email"' not in page and 'value="invitation"' not in page
    workshop.change(respondent, email="sato@client.example")
    assert workshop.mail(respondent, "sato@client.example") == 302
    workshop.browser.post(f"{workshop.url}/reminders")
    assert workshop.sent() == []


# --- personal data -------------------------------------------------------------------------------------------------


def stored_addresses(app: Flask) -> list[str]:
    """Every email kept anywhere for the workshop: respondents, survey contacts, mails sent."""
    with app.app_context():
        found = [r.email for r in db.session.execute(select(Respondent)).scalars() if r.email]
        found += [e.survey_email for e in db.session.execute(select(Engagement)).scalars() if e.survey_email]
        found += [m.address for m in db.session.execute(select(MailSent)).scalars()]
        return sorted(found)


def test_deleting_a_respondent_a_round_or_a_client_deletes_the_addresses(
    workshop: Round, mail_server: MailServer
) -> None:
    leaving = workshop.invite("佐藤", "sato@client.example")
    staying = workshop.invite("鈴木", "suzuki@client.example")
    workshop.mail(leaving, "sato@client.example")
    workshop.mail(staying, "suzuki@client.example")
    workshop.browser.post(
        f"{workshop.url}/survey-mail", data={"email": "contact@client.example", "action": "invitation"}
    )

    assert workshop.browser.post(f"{workshop.url}/respondents/{leaving}/delete").status_code == 302
    assert "sato@client.example" not in stored_addresses(workshop.app)
    assert stored_addresses(workshop.app) == sorted(["suzuki@client.example"] * 2 + ["contact@client.example"] * 2)

    assert workshop.browser.post(f"{workshop.url}/delete").status_code == 302
    assert stored_addresses(workshop.app) == []

    other = Round(workshop.app, workshop.browser, new_workshop_round(workshop.browser, "株式会社ベータ"))
    someone = other.invite("高橋", "takahashi@beta.example")
    other.mail(someone, "takahashi@beta.example")
    other.browser.post(f"{other.url}/survey-mail", data={"email": "contact@beta.example", "action": "invitation"})
    with workshop.app.app_context():
        client_id = db.session.get(Engagement, other.engagement_id).client_id  # type: ignore[union-attr]
    assert len(stored_addresses(workshop.app)) == 4
    assert workshop.browser.post(f"/clients/{client_id}/delete").status_code == 302
    assert stored_addresses(workshop.app) == []


EXPORTS = [("respondents", "csv"), ("respondents", "xlsx"), ("consensus", "csv"), ("workbook", "xlsx"),
           ("assessment", "yaml"), ("assessment", "json")]  # fmt: skip


def test_no_export_carries_an_email(workshop: Round, mail_server: MailServer) -> None:
    respondent = workshop.invite("佐藤", "sato@client.example")
    workshop.change(respondent, answers={"org.exec_sponsorship": "yes"}, answered_at=datetime.now(UTC))
    workshop.browser.post(f"{workshop.url}/survey-mail", data={"email": "contact@client.example", "action": "save"})
    for kind, fmt in EXPORTS:
        response = workshop.browser.get(f"{workshop.url}/export/{kind}.{fmt}")
        assert response.status_code == 200, (kind, fmt)
        data = response.get_data()
        if fmt == "xlsx":
            with zipfile.ZipFile(io.BytesIO(data)) as book:
                data = b"".join(book.read(name) for name in book.namelist())
        assert b"@client.example" not in data, (kind, fmt)
