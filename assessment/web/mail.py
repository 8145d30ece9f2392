"""Mail through the SMTP server named in the configuration (``config.SmtpSettings``; none: mail is not configured
and nothing is sent). Plain-text UTF-8 messages with Japanese first, then English; every address is checked and
no header takes a line break; the server gets ``READINESS_SMTP_TIMEOUT`` seconds (10) to answer.

A failure is answered with a short reason, stored as ``kind: detail`` (``describe``) and shown in the reader's
words (``reason_text``): never the password, never a traceback."""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale, lazy_gettext
from wtforms import Field
from wtforms.validators import ValidationError

from assessment.web.config import SmtpSettings, valid_address

log = logging.getLogger(__name__)
LANGUAGES = ("ja", "en")  # a mail's body: Japanese first, then English
SEPARATOR = "\n\n――――――――――――――――――――\n\n"
REASON_LENGTH = 200  # as much of a failure as is stored (MailSent.error)


class MailError(Exception):
    """The server could not be reached or refused the message; ``str()`` is the failure as stored (``stored``)."""


# The kinds of failure a send can meet, in the reader's words (the server's own reply follows in brackets).
REASONS = {
    "not-configured": lazy_gettext("mail is not set up on this server"),
    "invalid-address": lazy_gettext("the address is not a valid email address"),
    "unreachable": lazy_gettext("the mail server could not be reached"),
    "unknown-host": lazy_gettext("the mail server's name is not known"),
    "timeout": lazy_gettext("the mail server did not answer in time"),
    "tls": lazy_gettext("the secure connection to the mail server failed"),
    "unsupported": lazy_gettext("the mail server does not offer what the settings ask for"),
    "sign-in": lazy_gettext("the mail server refused the user name or password"),
    "address": lazy_gettext("the mail server refused the address"),
    "refused": lazy_gettext("the mail server refused the message"),
    "disconnected": lazy_gettext("the mail server closed the connection"),
    "failed": lazy_gettext("sending failed"),
}


@dataclass(frozen=True)
class Mail:
    """One plain-text message to one address."""

    to: str
    subject: str
    body: str
    reply_to: str = ""


def settings() -> SmtpSettings | None:
    """The app's SMTP settings (None: mail is not configured)."""
    found = current_app.config.get("READINESS_SMTP")
    return found if isinstance(found, SmtpSettings) else None


def configured() -> bool:
    """Whether the server has an SMTP server to send through."""
    return settings() is not None


def clean_address(text: str | None) -> str | None:
    """The address lower-cased in its domain and stripped if it is one plain address, else None."""
    text = (text or "").strip()
    if not valid_address(text):
        return None
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def address_field(form: object, field: Field) -> None:
    """A WTForms validator: an empty field passes (make it required apart), anything else must be one address;
    the field keeps the cleaned address."""
    if not (field.data or "").strip():
        field.data = ""
        return
    cleaned = clean_address(field.data)
    if cleaned is None:
        raise ValidationError(lazy_gettext("Please give one email address, such as name@example.com."))
    field.data = cleaned


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for a mail: READINESS_PUBLIC_URL and the path, else the host the request came to."""
    base = str(current_app.config.get("READINESS_PUBLIC_URL") or "")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def in_both_languages(words: Callable[[], str], joiner: str = SEPARATOR) -> str:
    """What ``words`` says in Japanese, then in English (each call under that language's catalogue)."""
    said = []
    for lang in LANGUAGES:
        with force_locale(lang):
            said.append(words().strip())
    return joiner.join(said)


def one_line(text: str) -> str:
    """A header's text on one line (line breaks and control characters become spaces)."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def compose(mail: Mail, sender: str) -> EmailMessage:
    """The message as sent: From, To, Reply-To, Subject (encoded), Date, Message-ID; UTF-8 text in base64."""
    to = clean_address(mail.to)
    if to is None:
        raise MailError(stored("invalid-address"))
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    reply_to = clean_address(mail.reply_to)
    if reply_to is not None:
        message["Reply-To"] = reply_to
    message["Subject"] = one_line(mail.subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body.replace("\r\n", "\n"), charset="utf-8", cte="base64")
    return message


def send(mail: Mail) -> None:
    """Send one message; MailError with the reason if it was not taken (or mail is not configured)."""
    [error] = send_all([mail])
    if error:
        raise MailError(error)


def send_all(mails: Sequence[Mail]) -> list[str]:
    """Send the messages over one connection; per message, "" if the server took it, else the reason."""
    found = settings()
    if found is None:
        return [stored("not-configured")] * len(mails)
    errors: list[str] = []
    try:
        with _connection(found) as smtp:
            for mail in mails:
                errors.append(_deliver(smtp, mail, found.sender))
    except (smtplib.SMTPException, OSError) as problem:
        reason = describe(problem)
        log.warning("mail not sent (%s:%s): %s", found.host, found.port, reason)
        errors += [reason] * (len(mails) - len(errors))
    return errors


def probe() -> str:
    """Open a connection and close it, as a send would (sign in included): "" if it worked, else the reason.
    Answers a request that sends nothing exactly like one that sends, in time and in what the page says."""
    found = settings()
    if found is None:
        return stored("not-configured")
    try:
        with _connection(found) as smtp:
            smtp.noop()
    except (smtplib.SMTPException, OSError) as problem:
        return describe(problem)
    return ""


def _deliver(smtp: smtplib.SMTP, mail: Mail, sender: str) -> str:
    try:
        smtp.send_message(compose(mail, sender))
    except (MailError, smtplib.SMTPRecipientsRefused) as problem:
        return describe(problem)
    except smtplib.SMTPResponseException as problem:
        if problem.smtp_code < 400:
            raise
        try:
            smtp.rset()  # the server refused this one message: the connection goes on for the others
        except (smtplib.SMTPException, OSError):
            raise problem from None
        return describe(problem)
    return ""


@contextmanager
def _connection(found: SmtpSettings) -> Iterator[smtplib.SMTP]:
    """An SMTP session as configured: TLS from the start (ssl), upgraded (starttls) or none; signed in."""
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if found.tls == "ssl":
        smtp = smtplib.SMTP_SSL(found.host, found.port, timeout=found.timeout, context=context)
    else:
        smtp = smtplib.SMTP(found.host, found.port, timeout=found.timeout)
    with smtp:
        if found.tls == "starttls":
            smtp.starttls(context=context)  # refused by the server: an error, never a fall back to plain text
        if found.user:
            smtp.login(found.user, found.password)
        yield smtp


def describe(problem: BaseException) -> str:
    """A failed send as stored (``kind: detail``): the kind of failure and what the server said, if anything."""
    kind, detail = "failed", str(problem) or problem.__class__.__name__
    if isinstance(problem, MailError):
        return str(problem)
    if isinstance(problem, smtplib.SMTPRecipientsRefused):
        replies = list(problem.recipients.values())
        code, said = replies[0] if replies else (0, b"")
        kind, detail = "address", f"{code} {_text(said)}"
    elif isinstance(problem, smtplib.SMTPAuthenticationError):
        kind, detail = "sign-in", str(problem.smtp_code)  # the server's words might echo the user name
    elif isinstance(problem, smtplib.SMTPNotSupportedError):
        kind = "unsupported"
    elif isinstance(problem, smtplib.SMTPResponseException):
        kind, detail = "refused", f"{problem.smtp_code} {_text(problem.smtp_error)}"
    elif isinstance(problem, smtplib.SMTPServerDisconnected):
        kind = "disconnected"
    elif isinstance(problem, ConnectionRefusedError):
        kind, detail = "unreachable", "connection refused"
    elif isinstance(problem, TimeoutError):
        kind, detail = "timeout", ""
    elif isinstance(problem, socket.gaierror):
        kind = "unknown-host"
    elif isinstance(problem, ssl.SSLError):
        kind, detail = "tls", str(problem.reason or problem.__class__.__name__)
    elif isinstance(problem, OSError):
        kind = "unreachable"
    return stored(kind, detail)


def stored(kind: str, detail: str = "") -> str:
    """A failure as MailSent.error keeps it: ``kind: detail`` on one line, at most 200 characters."""
    return one_line(f"{kind}: {detail}" if detail else kind)[:REASON_LENGTH]


def reason_text(error: str) -> str:
    """A stored failure in the reader's words ("the mail server could not be reached (connection refused)")."""
    kind, _sep, detail = error.partition(": ")
    words = REASONS.get(kind)
    if words is None:
        return error
    return f"{words} ({detail})" if detail else str(words)


def _text(said: bytes | str) -> str:
    return said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
