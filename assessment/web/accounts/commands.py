"""``flask create-consultant``: make an account from the command line (the first one, and any later one).

Without ``--firm`` the account starts a firm of its own and is its admin (the first account of a server); with
``--firm NAME`` it joins that firm (made, with the account as admin, if no firm has the name yet)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from assessment.web.accounts.store import create_consultant, firm_named
from assessment.web.models import Firm, db


@click.command("create-consultant")
@with_appcontext
@click.argument("email")
@click.option("--name", default="", help="the consultant's name, shown on the proposals")
@click.option("--firm", "firm_name", default=None, help="the firm to join (made if new); default: a firm of its own")
@click.option("--admin", is_flag=True, help="make the account an admin of its firm")
@click.password_option(help="at least 10 characters (asked for when not given)")
def create_consultant_command(email: str, name: str, firm_name: str | None, admin: bool, password: str) -> None:
    """Create a consultant account (the first one, and any later one)."""
    firm = None
    role = "admin" if admin else None
    if firm_name is not None:
        firm = firm_named(firm_name)
        if firm is None:
            firm = Firm(name=firm_name.strip()[:200])
            db.session.add(firm)
            db.session.flush()
            role = "admin"
    try:
        consultant = create_consultant(email, password, name, firm=firm, role=role)
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"created {consultant.role} {consultant.email}")
