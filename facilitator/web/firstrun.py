"""First run: create the first facilitator account on the web, and try a demo session.

The set-up page exists only while there is no account at all. It asks for a one-time code that
the server prints in the terminal where it was started (and keeps in `instance/setup-code`), so
whoever reaches the page first over the network cannot claim the installation.
"""
from __future__ import annotations

import hmac
import os
import secrets

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import limits
from ..actions.accounts import check_create_user, do_create_user
from ..actions.demo import do_create_demo
from ..errors import ActionError
from ..extensions import db
from ..models import User
from ..schemas.accounts import SetupIn
from .auth import _fresh_session_login
from .forms import load_form

bp = Blueprint("firstrun", __name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I)


def has_accounts() -> bool:
    return db.session.execute(db.select(User.id).limit(1)).first() is not None


def setup_code_path(app: Flask) -> str:
    return os.path.join(app.instance_path, "setup-code")


def ensure_setup_code(app: Flask) -> str | None:
    """The current set-up code, created on first need; None once any account exists."""
    path = setup_code_path(app)
    if has_accounts():
        if os.path.exists(path):
            os.remove(path)
        return None
    try:
        with open(path, encoding="ascii") as f:
            code = f.read().strip()
        if code:
            return code
    except FileNotFoundError:
        pass
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))  # 60 bits
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(code + "\n")
    return code


def _same_code(given: str, expected: str) -> bool:
    cleaned = "".join(ch for ch in given.upper() if ch.isalnum())
    return hmac.compare_digest(cleaned.encode(), expected.encode())


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """Create the first facilitator account; gone (404) once one exists."""
    code = ensure_setup_code(current_app)
    if code is None:
        abort(404)
    errors, form = {}, {}
    if request.method == "POST":
        limits.check("login")  # wrong set-up codes count as failed sign-ins
        form = {k: request.form.get(k, "")[:254] for k in ("email", "display_name")}
        data, errors = load_form(SetupIn())
        if data is not None and not _same_code(data["setup_code"], code):
            limits.count("login")
            errors = {"setup_code": ["That is not the set-up code this server printed."]}
        if not errors:
            try:
                user = do_create_user(check_create_user(
                    {k: data[k] for k in ("email", "display_name", "password")}))
                db.session.commit()
            except ActionError as exc:
                db.session.rollback()
                errors = exc.fields or {"_schema": [exc.message]}
            else:
                ensure_setup_code(current_app)  # removes the used code
                _fresh_session_login(user)
                return redirect(url_for("meetings.index", welcome=1))
    return render_template("auth/setup.html", errors=errors, form=form,
                           code_file=setup_code_path(current_app)), (400 if errors else 200)


@bp.post("/meetings/demo")
@login_required
def demo():
    """A live demo session with sample people, opened in the console."""
    meeting = do_create_demo(current_user._get_current_object())
    db.session.commit()
    return redirect(url_for("meetings.console", meeting_id=meeting.id))
