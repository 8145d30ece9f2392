"""Settings from the environment. Outside development, a missing SECRET_KEY stops the app at start."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


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
    return {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database,
        "SESSION_COOKIE_SECURE": not development,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 1_100_000,
        "WTF_CSRF_TIME_LIMIT": 4 * 3600,
        "WTF_I18N_ENABLED": False,  # WTForms' messages come from the app's catalogue (app_form.AppForm)
        # Counters every worker shares (rate_store.SQLiteStorage); redis://host:6379 with several machines.
        "RATELIMIT_STORAGE_URI": env.get(
            "RATELIMIT_STORAGE_URI", f"readiness-sqlite://{Path(instance_path).resolve() / 'ratelimits.db'}"
        ),
        # Behind N reverse proxies (nginx: 1), the client's address is taken from X-Forwarded-For (werkzeug's
        # ProxyFix); 0 trusts no header, so a client cannot pick the address its limits count against.
        "READINESS_TRUSTED_PROXIES": int(env.get("READINESS_TRUSTED_PROXIES", "0")),
        "RATELIMIT_DEFAULT": env.get("READINESS_RATE_LIMIT", "300 per minute"),
        # Sign-in attempts per address (the per-account back-off is separate and fixed). The browser tests,
        # which sign in many consultants from 127.0.0.1, raise it; a deployment keeps the default.
        "READINESS_SIGN_IN_LIMIT": env.get("READINESS_SIGN_IN_LIMIT", "10 per minute"),
        "READINESS_PDF_WORKERS": int(env.get("READINESS_PDF_WORKERS", "1")),
        "READINESS_PDF_WAIT": float(env.get("READINESS_PDF_WAIT", "0")),
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
    }


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
