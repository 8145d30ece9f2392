"""A real SMTP server for the mail tests: aiosmtpd on a free loopback port, keeping every message it takes.

``MailServer.settings()`` is what the app is configured with to send through it (plain SMTP on 127.0.0.1);
addresses in ``refused`` are answered 550 at RCPT, as a real server refuses an unknown mailbox.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from assessment.web.config import SmtpSettings, smtp_settings

LINK = re.compile(r"https?://\S+")


def free_port() -> int:
    """A loopback port nothing listens on (the OS picks it; closed again at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def settings_for(port: int, **env: str) -> SmtpSettings:
    """SMTP settings for a server on 127.0.0.1:``port``, plain SMTP (READINESS_SMTP_* values in ``env`` override)."""
    found = smtp_settings(
        {"READINESS_SMTP_HOST": "127.0.0.1", "READINESS_SMTP_PORT": str(port), "READINESS_SMTP_TLS": "none",
         "READINESS_SMTP_FROM": "Readiness <noreply@readiness.example.jp>", **env}
    )  # fmt: skip
    assert found is not None
    return found


@dataclass
class _Handler:
    refused: set[str]
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        message = email.message_from_bytes(raw if isinstance(raw, bytes) else raw.encode(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK: queued"


class MailServer:
    """aiosmtpd on 127.0.0.1 (optionally asking for a user name and password); what it took, parsed."""

    def __init__(self, login: tuple[str, str] | None = None) -> None:
        self.port = free_port()
        self.login = login
        self.signed_in: list[str] = []  # the user names that signed in successfully
        self.handler = _Handler(refused=set())
        options: dict[str, Any] = {}
        if login is not None:
            # AUTH offered without TLS (a loopback test server); not required, so aiosmtpd does not warn
            options = {"authenticator": self._authenticate, "auth_require_tls": False}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **options)

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        good = isinstance(data, LoginPassword) and self.login == (data.login.decode(), data.password.decode())
        if good:
            self.signed_in.append(data.login.decode())
        return AuthResult(success=good, handled=False)

    def start(self) -> MailServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def refuse(self, address: str) -> None:
        """Answer 550 to this recipient from now on."""
        self.handler.refused.add(address.lower())

    def settings(self, **env: str) -> SmtpSettings:
        """The app's SMTP settings for this server (READINESS_SMTP_* values in ``env`` override)."""
        return settings_for(self.port, **env)

    @property
    def messages(self) -> list[EmailMessage]:
        """Every message taken, oldest first."""
        return [message for _rcpt, message in self.handler.received]

    def to(self, address: str) -> list[EmailMessage]:
        """The messages taken for ``address`` (by envelope recipient)."""
        return [message for rcpt, message in self.handler.received if address.lower() in (r.lower() for r in rcpt)]


def body_of(message: EmailMessage) -> str:
    """The message's plain-text body, decoded."""
    part = message.get_body(("plain",))
    assert part is not None, "the message has no text/plain body"
    content = part.get_content()
    assert isinstance(content, str)
    return content


def links_in(message: EmailMessage) -> list[str]:
    """The absolute links in the message's body."""
    return LINK.findall(body_of(message))
