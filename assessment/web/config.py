"""Settings from the environment. Outside development, a missing SECRET_KEY stops the app at start, and a wrong
mail setting (or public URL) stops it with a message naming the variable."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class ConfigError(RuntimeError):
    """A required setting is missing or wrong."""


def settings_from_env(instance_path: str, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config from READINESS_* / DATABASE_URL / SECRET_KEY environment variables."""
    env = dict(os.environ if environ is None else environ)
    development = env.get("READINESS_ENV", "production") == "development"
    secret = env.get("SECRET_KEY")
    if not secret:
        if not development:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value (python -c 'import secrets; "
                "print(secrets.token_hex(32))'), or set READINESS_ENV=development for a local trial."
            )
        secret = _instance_secret(Path(instance_path))
    database = env.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'readiness.db'}"
    settings: dict[str, Any] = {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database,
        "SESSION_COOKIE_SECURE": not development,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 1_100_000,
        "WTF_CSRF_TIME_LIMIT": 4 * 3600,
        "WTF_I18N_ENABLED": False,  # WTForms' messages come from the app's catalogue (app_form.AppForm)
        # Redis, for several app nodes: the PDF job queue (render_queue) and the rate-limit counters. Without it
        # everything stays on this machine: render processes inside the app, counters in a SQLite file.
        "REDIS_URL": redis_url(env.get("REDIS_URL", "")),
        # Counters every worker shares (rate_store.SQLiteStorage on one machine; Redis when REDIS_URL is set).
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI")
        or redis_url(env.get("REDIS_URL", ""))
        or f"readiness-sqlite://{Path(instance_path).resolve() / 'ratelimits.db'}",
        # Behind N reverse proxies (nginx: 1), the client's address is taken from X-Forwarded-For (werkzeug's
        # ProxyFix); 0 trusts no header, so a client cannot pick the address its limits count against.
        "READINESS_TRUSTED_PROXIES": int(env.get("READINESS_TRUSTED_PROXIES", "0")),
        "RATELIMIT_DEFAULT": env.get("READINESS_RATE_LIMIT", "300 per minute"),
        # Sign-in attempts per address (the per-account back-off is separate and fixed). The browser tests,
        # which sign in many consultants from 127.0.0.1, raise it; a deployment keeps the default.
        "READINESS_SIGN_IN_LIMIT": env.get("READINESS_SIGN_IN_LIMIT", "10 per minute"),
        "READINESS_PDF_WORKERS": int(env.get("READINESS_PDF_WORKERS", "1")),
        "READINESS_PDF_WAIT": float(env.get("READINESS_PDF_WAIT", "0")),
        # With the job queue: seconds one render may take before its worker kills it, and how often a failed
        # render is tried again before the page says it failed; where finished PDFs go (every node sees them).
        "READINESS_PDF_TIMEOUT": _number(env, "READINESS_PDF_TIMEOUT", 180, 1, 3600),
        "READINESS_PDF_RETRIES": _number(env, "READINESS_PDF_RETRIES", 2, 0, 5),
        "READINESS_PDF_STORAGE": pdf_storage(env.get("READINESS_PDF_STORAGE", "database")),
        "BABEL_DEFAULT_LOCALE": "ja",
        "BABEL_DEFAULT_TIMEZONE": env.get("READINESS_TIMEZONE", "Asia/Tokyo"),  # how times are shown
        "DEVELOPMENT": development,
        # SQLite waits this long for another writer's lock before the save is answered "not saved, try again"
        # (503): long enough for any normal save queue, short enough that workers are not tied up for seconds.
        # A consultant's sign-in ends after this many hours without a request (logout and a password change end
        # it at once).
        "READINESS_IDLE_HOURS": float(env.get("READINESS_IDLE_HOURS", "8")),
        # Anonymous self-assessments nobody has saved for this many days are deleted by `flask purge` (the
        # landing page says so); the PDF cache is kept under this many megabytes.
        "READINESS_EXPIRE_DAYS": float(env.get("READINESS_EXPIRE_DAYS", "180")),
        "READINESS_PDF_CACHE_MB": int(env.get("READINESS_PDF_CACHE_MB", "500")),
        # Respondents one workshop round accepts (join link and private links together).
        "READINESS_MAX_RESPONDENTS": int(env.get("READINESS_MAX_RESPONDENTS", "200")),
        # The live screen shows a department's answers apart only from this many respondents (fewer: merged into
        # "other"; see engine/anonymity.py), so that nobody's answer is picked out on the projector.
        "READINESS_MIN_DEPARTMENT_RESPONDENTS": int(env.get("READINESS_MIN_DEPARTMENT_RESPONDENTS", "3")),
        # Colleagues' links one self-service diagnosis accepts (a manager's team, open, expired and revoked).
        "READINESS_MAX_TEAM_RESPONDENTS": int(env.get("READINESS_MAX_TEAM_RESPONDENTS", "30")),
        "READINESS_SQLITE_BUSY_MS": int(env.get("READINESS_SQLITE_BUSY_MS", "1000")),
        # The address the app is reached at (https://readiness.example.jp), for the links in mails; without it
        # the links use the host the request came to.
        "READINESS_PUBLIC_URL": public_url(env.get("READINESS_PUBLIC_URL", "")),
        # The SMTP server invitations, reminders and password reset links are mailed through (None: no mail).
        "READINESS_SMTP": smtp_settings(env),
    }
    if settings["READINESS_SMTP"] is not None and not settings["READINESS_PUBLIC_URL"] and not development:
        # Without it a reset link would be built from the request's Host header, which a client can choose.
        raise ConfigError(
            "READINESS_PUBLIC_URL must be set when READINESS_SMTP_HOST is (the address the mailed links point "
            "to, like https://readiness.example.com)."
        )
    return settings


REDIS_SCHEMES = ("redis", "rediss", "unix")
PDF_STORAGES = ("database",)


def redis_url(text: str) -> str:
    """REDIS_URL checked: empty (no Redis), or a redis://, rediss:// or unix:// URL."""
    text = text.strip()
    if text and urlsplit(text).scheme not in REDIS_SCHEMES:
        raise ConfigError(f"REDIS_URL must start with redis://, rediss:// or unix://, not {text.split(':')[0]!r}.")
    return text


def pdf_storage(text: str) -> str:
    """READINESS_PDF_STORAGE checked: where the queue's workers keep finished PDFs."""
    value = text.strip().lower() or "database"
    if value not in PDF_STORAGES:
        raise ConfigError(f"READINESS_PDF_STORAGE must be one of {', '.join(PDF_STORAGES)}, not {text!r}.")
    return value


def _instance_secret(instance: Path) -> str:
    """Development without SECRET_KEY: a random key kept in the instance folder (created once, owner-only).
    Never a constant: a published key lets anyone forge a session cookie."""
    import secrets

    path = instance / "secret_key"
    try:
        existing = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        existing = ""
    if len(existing) >= 32:
        return existing
    key = secrets.token_hex(32)
    instance.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


TLS_MODES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
# An address the app mails to or from: ASCII, one @, a dotted domain, nothing a header could be split on.
ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                     r"[A-Za-z]{2,63}")  # fmt: skip


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the SMTP server (the password is never shown: not in ``repr``, not in a log)."""

    host: str
    port: int
    sender: str  # the From header: an address, or "Name <address>"
    tls: str = "starttls"  # none, starttls or ssl
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 10.0


def valid_address(text: str) -> bool:
    """Whether ``text`` is one plain email address (at most 254 characters, no spaces, no line breaks)."""
    return len(text) <= 254 and ADDRESS.fullmatch(text) is not None


def smtp_settings(env: dict[str, str]) -> SmtpSettings | None:
    """The READINESS_SMTP_* settings, checked; None without READINESS_SMTP_HOST (mail is not configured)."""
    host = env.get("READINESS_SMTP_HOST", "").strip()
    if not host:
        return None
    if any(c.isspace() or c in "/@" for c in host):
        raise ConfigError(f"READINESS_SMTP_HOST must be a host name or address, not {host!r}.")
    tls = env.get("READINESS_SMTP_TLS", "starttls").strip().lower() or "starttls"
    if tls not in TLS_MODES:
        raise ConfigError(f"READINESS_SMTP_TLS must be one of {', '.join(TLS_MODES)}, not {tls!r}.")
    port = _number(env, "READINESS_SMTP_PORT", DEFAULT_PORTS[tls], 1, 65535)
    timeout = _number(env, "READINESS_SMTP_TIMEOUT", 10, 1, 120)
    user, password = env.get("READINESS_SMTP_USER", ""), env.get("READINESS_SMTP_PASSWORD", "")
    if bool(user) != bool(password):
        raise ConfigError("READINESS_SMTP_USER and READINESS_SMTP_PASSWORD go together: set both or neither.")
    if any(c in user + password for c in "\r\n\0"):
        raise ConfigError("READINESS_SMTP_USER and READINESS_SMTP_PASSWORD may not contain line breaks.")
    sender = env.get("READINESS_SMTP_FROM", "").strip()
    _name, address = parseaddr(sender)
    if not sender or not valid_address(address) or any(c in sender for c in ",;\r\n\0"):
        raise ConfigError(
            "READINESS_SMTP_FROM must be the address mails are sent from (noreply@example.com, or "
            f"Readiness <noreply@example.com>), not {sender!r}."
        )
    return SmtpSettings(host, port, sender, tls, user, password, float(timeout))


def _number(env: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {raw!r}.")
    return int(raw)


def public_url(raw: str) -> str:
    """READINESS_PUBLIC_URL checked (http or https, a host, no path, query or user): "" when not set."""
    raw = raw.strip().rstrip("/")
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or parts.fragment \
            or "@" in parts.netloc or any(c.isspace() for c in raw):  # fmt: skip
        raise ConfigError(f"READINESS_PUBLIC_URL must look like https://readiness.example.com, not {raw!r}.")
    return raw
