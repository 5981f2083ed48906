"""Flask commands: create a facilitator account, make an API token."""
from __future__ import annotations

import click
from flask import Flask

from .actions.accounts import check_create_user, do_create_token, do_create_user, user_by_email
from .actions.demo import do_create_demo
from .actions.retention import purge_expired as purge
from .errors import ActionError
from .extensions import db


def init_cli(app: Flask) -> None:
    @app.cli.command("create-facilitator")
    @click.argument("email")
    @click.argument("name")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
                  help="At least 10 characters.")
    def create_facilitator(email: str, name: str, password: str) -> None:
        """Create a facilitator account."""
        try:
            data = check_create_user({"email": email, "display_name": name, "password": password})
            user = do_create_user(data)
            db.session.commit()
        except ActionError as exc:
            raise click.ClickException(f"{exc.message} {exc.fields or ''}".strip()) from None
        click.echo(f"Created facilitator {user.email} (id {user.id}). Sign in at /login.")

    @app.cli.command("create-api-token")
    @click.argument("email")
    @click.argument("name")
    def create_api_token(email: str, name: str) -> None:
        """Create a REST API token for an account; it is shown once."""
        user = user_by_email(email)
        if user is None:
            raise click.ClickException("No such account.")
        _, token = do_create_token(user, name)
        db.session.commit()
        click.echo(token)

    @app.cli.command("purge-expired")
    def purge_expired() -> None:
        """Delete every meeting past its retention period, with all its records (safe to run anywhere, any time)."""
        done = purge()
        click.echo(f"Purged {len(done)} expired session(s).")

    @app.cli.command("demo")
    @click.argument("email")
    def demo(email: str) -> None:
        """Create a live demo session with sample people for an existing account."""
        user = user_by_email(email)
        if user is None:
            raise click.ClickException("No such account.")
        meeting = do_create_demo(user)
        db.session.commit()
        click.echo(f"Created the demo session {meeting.id}: open /meetings/{meeting.id}")
