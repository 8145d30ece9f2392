"""The mail settings (checked at start, each wrong value named) and the messages the app sends: UTF-8, Japanese
subjects encoded, no header a line break can split, one connection for many messages, and failures told apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale

from assessment.web import create_app, mail
from assessment.web.config import ConfigError, public_url, settings_from_env, smtp_settings
from tests.web.mail_server import MailServer, body_of, free_port, settings_for

BASE = {"READINESS_SMTP_HOST": "smtp.example.jp", "READINESS_SMTP_FROM": "noreply@example.jp"}


def test_without_a_host_mail_is_not_configured(tmp_path: Path) -> None:
    settings = settings_from_env(str(tmp_path), {"READINESS_ENV": "development"})
    assert settings["READINESS_SMTP"] is None and settings["READINESS_PUBLIC_URL"] == ""


def test_outside_development_mail_needs_the_public_url(tmp_path: Path) -> None:
    """Otherwise a mailed reset link would point wherever the request's Host header said."""
    production = {"SECRET_KEY": "k" * 64, **BASE}
    with pytest.raises(ConfigError, match="READINESS_PUBLIC_URL"):
        settings_from_env(str(tmp_path), production)
    settings = settings_from_env(str(tmp_path), {**production, "READINESS_PUBLIC_URL": "https://readiness.example.jp"})
    assert settings["READINESS_PUBLIC_URL"] == "https://readiness.example.jp"


def test_defaults_follow_the_tls_mode() -> None:
    assert smtp_settings(BASE) == smtp_settings({**BASE, "READINESS_SMTP_TLS": "starttls"})
    found = smtp_settings(BASE)
    assert found is not None and (found.tls, found.port, found.timeout, found.user) == ("starttls", 587, 10.0, "")
    ssl = smtp_settings({**BASE, "READINESS_SMTP_TLS": "SSL"})
    assert ssl is not None and (ssl.tls, ssl.port) == ("ssl", 465)
    plain = smtp_settings({**BASE, "READINESS_SMTP_TLS": "none", "READINESS_SMTP_PORT": "2525"})
    assert plain is not None and (plain.tls, plain.port) == ("none", 2525)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"READINESS_SMTP_TLS": "tls"}, "READINESS_SMTP_TLS"),
        ({"READINESS_SMTP_PORT": "smtp"}, "READINESS_SMTP_PORT"),
        ({"READINESS_SMTP_PORT": "70000"}, "READINESS_SMTP_PORT"),
        ({"READINESS_SMTP_TIMEOUT": "0"}, "READINESS_SMTP_TIMEOUT"),
        ({"READINESS_SMTP_FROM": ""}, "READINESS_SMTP_FROM"),
        ({"READINESS_SMTP_FROM": "not an address"}, "READINESS_SMTP_FROM"),
        ({"READINESS_SMTP_FROM": "a@example.jp, b@example.jp"}, "READINESS_SMTP_FROM"),
        ({"READINESS_SMTP_FROM": "a@example.jp\r\nBcc: b@example.jp"}, "READINESS_SMTP_FROM"),
        ({"READINESS_SMTP_USER": "only-the-user"}, "READINESS_SMTP_PASSWORD"),
        ({"READINESS_SMTP_HOST": "smtp example"}, "READINESS_SMTP_HOST"),
        ({"READINESS_PUBLIC_URL": "readiness.example.jp"}, "READINESS_PUBLIC_URL"),
        ({"READINESS_PUBLIC_URL": "https://readiness.example.jp/path"}, "READINESS_PUBLIC_URL"),
        ({"READINESS_PUBLIC_URL": "https://user@readiness.example.jp"}, "READINESS_PUBLIC_URL"),
        ({"READINESS_PUBLIC_URL": "ftp://readiness.example.jp"}, "READINESS_PUBLIC_URL"),
    ],
)
def test_a_wrong_setting_stops_the_app_at_start_naming_the_variable(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    environ = {"READINESS_ENV": "development", "READINESS_INSTANCE_DIR": str(tmp_path), **BASE, **env}
    with pytest.raises(ConfigError, match=named):
        create_app({"ENVIRON": environ})


def test_the_password_is_never_in_the_settings_text() -> None:
    found = smtp_settings({**BASE, "READINESS_SMTP_USER": "u", "READINESS_SMTP_PASSWORD": "hunter2-secret"})
    assert found is not None and found.password == "hunter2-secret"
    assert "hunter2-secret" not in repr(found) and "hunter2-secret" not in str(found)
    with pytest.raises(ConfigError) as raised:
        smtp_settings({**BASE, "READINESS_SMTP_PASSWORD": "hunter2-secret"})
    assert "hunter2-secret" not in str(raised.value)


def test_the_public_address_is_kept_without_a_trailing_slash() -> None:
    assert public_url(" https://readiness.example.jp/ ") == "https://readiness.example.jp"
    assert public_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "address",
    ["a@b.com\nBcc: c@d.com", "a@b.com\rx@y.com", "a b@c.com", "<a@b.com>", "a@b.com, c@d.com", "a@b", "@b.com", "a@",
     "あ@example.jp", "a@b.com\x00", "x" * 250 + "@b.com"],
)  # fmt: skip
def test_an_address_a_header_could_be_split_on_is_refused(address: str) -> None:
    assert mail.clean_address(address) is None
    with pytest.raises(mail.MailError, match="invalid-address"):
        mail.compose(mail.Mail(to=address, subject="s", body="b"), "noreply@example.jp")


def test_a_message_is_utf8_with_one_line_headers(app: Flask) -> None:
    with app.test_request_context("/"):
        message = mail.compose(
            mail.Mail(to="Taro@Example.JP", subject="件名\r\nBcc: victim@example.com", body="本文\nhttps://x.example/a",
                      reply_to="consultant@example.jp\nBcc: x@y.z"),
            "Readiness 事務局 <noreply@example.jp>",
        )  # fmt: skip
    raw = message.as_bytes()
    headers = raw.split(b"\n\n")[0].split(b"\n")
    assert [h.split(b":")[0] for h in headers if not h.startswith((b" ", b"\t"))] == [
        b"From", b"To", b"Subject", b"Date", b"Message-ID", b"Auto-Submitted", b"Content-Type",
        b"Content-Transfer-Encoding", b"MIME-Version",
    ]  # fmt: skip
    assert message["To"] == "Taro@example.jp"  # the domain lower-cased, the local part kept
    assert message["Reply-To"] is None  # an address with a line break is dropped, not folded in
    assert message["Subject"] == "件名 Bcc: victim@example.com"
    assert message.get_content_charset() == "utf-8" and message["Content-Transfer-Encoding"] == "base64"
    assert all(ord(c) < 128 for c in raw.decode("ascii"))


def test_many_messages_go_over_one_connection_and_a_refused_one_does_not_stop_the_others(
    make_app: Callable[..., Flask], mail_server: MailServer
) -> None:
    app = make_app(READINESS_SMTP=mail_server.settings())
    mail_server.refuse("gone@example.jp")
    mails = [mail.Mail(to=f"{who}@example.jp", subject="件名", body=f"本文 {who}") for who in ("a", "gone", "b")]
    with app.test_request_context("/"), force_locale("en"):
        errors = mail.send_all(mails)
        shown = mail.reason_text(errors[1])
    assert errors[0] == errors[2] == ""
    assert errors[1].startswith("address: 550")
    assert shown.startswith("the mail server refused the address (550")
    assert [m["To"] for m in mail_server.messages] == ["a@example.jp", "b@example.jp"]
    assert body_of(mail_server.messages[1]).strip() == "本文 b"


def test_a_server_that_is_down_fails_every_message_with_the_reason(make_app: Callable[..., Flask]) -> None:
    app = make_app(READINESS_SMTP=settings_for(free_port()))
    with app.test_request_context("/"):
        errors = mail.send_all([mail.Mail(to="a@example.jp", subject="s", body="b")] * 2)
        assert mail.probe() == errors[0]
        with pytest.raises(mail.MailError):
            mail.send(mail.Mail(to="a@example.jp", subject="s", body="b"))
    assert errors == ["unreachable: connection refused"] * 2


def test_without_a_server_nothing_is_sent(app: Flask) -> None:
    with app.test_request_context("/"):
        assert not mail.configured()
        assert mail.send_all([mail.Mail(to="a@example.jp", subject="s", body="b")]) == ["not-configured"]
