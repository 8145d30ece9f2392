"""``flask create-consultant``: make an account from the command line (the first one, and any later one)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from assessment.web.accounts.store import create_consultant


@click.command("create-consultant")
@with_appcontext
@click.argument("email")
@click.option("--name", default="", help="the consultant's name, shown on the proposals")
@click.password_option(help="at least 10 characters (asked for when not given)")
def create_consultant_command(email: str, name: str, password: str) -> None:
    """Create a consultant account (the first one, and any later one)."""
    try:
        consultant = create_consultant(email, password, name)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"created consultant {consultant.email}")
