"""One wrapper for an action over HTTP, as `sockets.registry.run` is for a socket event.

The payload is loaded by the route (`@blp.arguments` or `forms.load_form`); `act` runs the action
(its check, then its change), writes the facilitator's audit entry, and commits it all at once.
A refusal (`ActionError`) rolls everything back and becomes the route's answer: the REST API's JSON
error, a page's status, or the form errors a page shows. Events go out after the commit, as
everywhere (events.py).
"""
from __future__ import annotations

from typing import Callable

from flask import abort
from flask_login import current_user

from ..access import Actor, access_meeting
from ..actions.audit import record
from ..errors import ActionError
from ..extensions import db


def act(actor: Actor | None, audit: str | None, action: Callable, *args, refused: Callable[[ActionError], object]):
    """`action(*args)` and the audit entry `audit` of `actor`, committed together; on a refusal, the
    transaction rolled back and `refused(exc)` returned (or raised, as `abort` does)."""
    try:
        result = action(*args)
        if audit is not None:
            record(actor, audit)
        db.session.commit()
        return result
    except ActionError as exc:
        db.session.rollback()
        return refused(exc)


def page_refusal(exc: ActionError):
    """A refusal answered as an error page with its status (403, 404, 409)."""
    abort(exc.status)


def form_errors(exc: ActionError) -> dict:
    """A refusal shown on the form that was posted: its field errors, or its message."""
    return exc.fields or {"_schema": [exc.message]}


def checked(check: Callable, *args) -> None:
    """Run a check before anything else (before a form is read); a refusal is an error page."""
    try:
        check(*args)
    except ActionError as exc:
        page_refusal(exc)


def page_meeting(meeting_id: int) -> tuple:
    """(meeting, actor) for the signed-in facilitator, or 404: to anyone else it does not exist."""
    try:
        return access_meeting(current_user, meeting_id)
    except ActionError:
        abort(404)
