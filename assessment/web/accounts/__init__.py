"""Consultant accounts: sign in, sign out, change password, reset a forgotten one, and the CLI command that creates
an account.

Passwords are hashed with werkzeug's scrypt. Signing in starts a fresh session (nothing from before survives,
so a planted session cannot be taken over) and records the sign-in on the server (``LoginSession``). Every
request checks it: logging out, a password change (which ends every sign-in of the account) or the idle
timeout (``READINESS_IDLE_HOURS``, 8 by default) end it, and a copied cookie then opens nothing.
``views`` holds the pages, ``sessions`` the server-side sign-ins, ``store`` the accounts, ``commands`` the CLI;
``resets`` the password reset links (mailed, or issued by the firm's admin) and ``reset_pages`` their pages.
"""

from __future__ import annotations

from flask import Flask

from assessment.web.accounts import reset_pages, views
from assessment.web.accounts.blueprint import bp
from assessment.web.accounts.commands import create_consultant_command
from assessment.web.accounts.sessions import login_manager
from assessment.web.accounts.store import create_consultant

__all__ = ["bp", "create_consultant", "init_accounts", "reset_pages", "views"]


def init_accounts(app: Flask) -> None:
    """Wire Flask-Login, the pages and the CLI command into the app."""
    login_manager.init_app(app)
    app.cli.add_command(create_consultant_command)
    app.register_blueprint(bp)
