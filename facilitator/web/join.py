"""Participant pages: the home page, joining by code or link, the room, privacy and after-session."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from marshmallow import ValidationError

from .. import limits
from ..actions.meetings import normalise_code
from ..actions.participants import check_join, do_join
from ..actions.safety import do_give_contact
from ..errors import ActionError, validation_payload
from ..extensions import db
from ..models import Meeting
from ..notices import after_text, privacy_notice
from ..schemas.common import shared
from ..schemas.meetings import format_code
from ..schemas.participants import JoinIn
from ..schemas.safety import ContactJoinIn
from ..views.safety import contact_required
from .firstrun import has_accounts
from .forms import is_link_key

bp = Blueprint("join", __name__)


def _by_code(code: str) -> Meeting | None:
    """The meeting with this join code. An address that tried too many unknown codes is refused
    (429) before the lookup, so that guessing cannot go on until one is right. No code at all
    (nothing but spaces and dashes) is no guess, and is not counted."""
    limits.check("code")
    code = normalise_code(code)
    if not code:
        return None
    meeting = None
    if len(code) <= 16:
        meeting = db.session.execute(db.select(Meeting).where(Meeting.join_code == code)).scalar_one_or_none()
    if meeting is None:
        limits.count("code")
    return meeting


def _by_observer_key(key: str) -> Meeting | None:
    limits.check("code")
    meeting = None
    if is_link_key(key):
        meeting = db.session.execute(db.select(Meeting).where(Meeting.observer_key == key)).scalar_one_or_none()
    if meeting is None:
        limits.count("code")
    return meeting


@bp.get("/")
def home():
    return render_template("home.html", first_run=not has_accounts())


@bp.get("/join")
def by_code():
    raw = request.args.get("code", "")
    meeting = _by_code(raw)
    if meeting is None:
        return render_template("home.html", code=raw[:20],
                               error="No session has that code. Check it with your facilitator."), 404
    return redirect(url_for("join.join_page", code=meeting.join_code))


def _join_page(meeting: Meeting | None, role: str, post_url: str):
    if meeting is None:
        abort(404)
    return render_template("join.html", meeting=meeting, role=role, post_url=post_url,
                           room_url=url_for("join.room", code=meeting.join_code),
                           code=format_code(meeting.join_code),
                           ask_contact=role == "participant" and contact_required(meeting.id))


@bp.get("/j/<code>")
def join_page(code: str):
    meeting = _by_code(code)
    return _join_page(meeting, "participant", url_for("join.join_post", code=code))


@bp.get("/observe/<key>")
def observe_page(key: str):
    meeting = _by_observer_key(key)
    return _join_page(meeting, "observer", url_for("join.observe_post", key=key))


def _join(meeting: Meeting | None, role: str):
    if meeting is None:
        return jsonify(ok=False, error={"code": "not_found", "message": "No such session.", "fields": {}}), 404
    try:
        raw = request.get_json(silent=True) if request.is_json else request.form.to_dict()
        # Contact details (asked for when the meeting requires them) go to the facilitators only.
        contact = raw.pop("contact", None) if isinstance(raw, dict) else None
        try:
            contact = shared(ContactJoinIn).load({"given": contact})["given"] or None
        except ValidationError as exc:
            raise ValidationError({"contact": exc.messages.get("given", ["Not valid."])}) from None
        data = shared(JoinIn).load(raw)
        check_join(meeting, data)
        limits.take("join")
        if role == "participant" and contact is None and contact_required(meeting.id):
            raise ValidationError({"contact": ["Please say how the facilitators can reach you if your "
                                               "connection drops."]})
        p, token = do_join(meeting, data, role)
        if contact is not None:
            do_give_contact(p, contact)
        db.session.commit()
    except ValidationError as exc:
        return jsonify(ok=False, error=validation_payload(exc.messages)), 422
    except ActionError as exc:
        db.session.rollback()
        return jsonify(exc.ack()), exc.status
    return jsonify(ok=True, token=token, participant_id=p.id,
                   room=url_for("join.room", code=meeting.join_code)), 201


@bp.post("/j/<code>")
def join_post(code: str):
    return _join(_by_code(code), "participant")


@bp.post("/observe/<key>")
def observe_post(key: str):
    return _join(_by_observer_key(key), "observer")


@bp.get("/r/<code>")
def room(code: str):
    meeting = _by_code(code)
    if meeting is None:
        abort(404)
    return render_template("room.html", meeting=meeting, after_text=after_text(meeting),
                           join_url=url_for("join.join_page", code=meeting.join_code))


def _named_by_code(raw: str) -> Meeting | None:
    """The meeting an optional `?code=` names, for pages that read the same without one.

    No code is no guess: nothing is counted (the footer links /privacy on every page). A wrong
    code is a guess like any other, since these pages name the session a right one finds. Past
    the limit the code is not looked up and the page shows the general text, never a 429: these
    pages must stay readable, and cannot be used to go on guessing."""
    try:
        return _by_code(raw)
    except limits.Limited:
        return None


@bp.get("/privacy")
def privacy():
    meeting = _named_by_code(request.args.get("code", ""))
    return render_template("privacy.html", notice=privacy_notice(meeting))


@bp.get("/after")
def after():
    """After leaving or the end: the session's own text if `code` names it, else the default."""
    meeting = _named_by_code(request.args.get("code", ""))
    return render_template("after.html", meeting=meeting, text=after_text(meeting))
