"""Facilitator pages: the list of meetings, create and edit (with ground rules), the live console."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from marshmallow import ValidationError

from ..access import Actor, require_owner, visible_meetings
from ..actions.accounts import user_by_email
from ..actions.audit import record
from ..actions.meetings import (AFTER_END, add_cofacilitator, check_accept_invitation, check_archive,
                                do_add_cofacilitator, do_create_meeting, update_meeting)
from ..actions.meetings import archive as archive_meeting
from ..actions.retention import check_delete_now
from ..actions.retention import delete_now as delete_meeting_now
from ..actions.rules import do_save_ruleset, ruleset_of, set_rules
from ..errors import ActionError
from ..extensions import db
from ..models import Meeting, RuleSet
from ..notices import default_after_text
from ..rule_templates import TEMPLATES, default_rules
from ..schemas.accounts import CofacInviteIn
from ..schemas.common import shared
from ..schemas.meetings import MeetingIn, MeetingPatchIn, format_code
from ..schemas.rules import RuleSetSaveIn, RulesSetIn
from ..views.people import rules_view
from .acting import act, checked, form_errors, page_meeting, page_refusal
from .forms import is_link_key, load_form

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def _meeting_fields(form) -> dict:
    """Turn the HTML form into the shape MeetingIn loads (the schema still decides what is valid)."""
    data: dict = {"title": form.get("title", ""), "kind": form.get("kind", "group")}
    when = form.get("scheduled_at", "").strip()
    if when:
        try:
            tz = ZoneInfo(form.get("tz") or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            tz = ZoneInfo("UTC")
        try:
            data["scheduled_at"] = datetime.fromisoformat(when).replace(tzinfo=tz).isoformat()
        except ValueError:
            data["scheduled_at"] = when  # let the schema report it
    else:
        data["scheduled_at"] = None
    data["group_tags"] = [t.strip() for t in form.get("group_tags", "").split(",") if t.strip()]
    if "retention_days" in form:  # only the owner's form has it (co-facilitators do not set retention)
        days = form["retention_days"].strip()
        data["retention_days"] = int(days) if _whole_number(days) else days
    data["after_text"] = form.get("after_text", "")
    data["report_chat"] = form.get("report_chat") == "1"
    return data


def _whole_number(text: str) -> bool:
    """Digits 0-9 only, and few enough to be an id or a number of days. `str.isdigit` also takes
    "²", which `int` refuses (that was a 500), and an id past the database's integers overflowed."""
    return text.isascii() and text.isdigit() and len(text) <= 9


def _rules_fields(form) -> dict:
    titles, texts = form.getlist("rule_title"), form.getlist("rule_text")
    items = [{"title": t, "text": x} for t, x in zip(titles, texts, strict=False) if t.strip() or x.strip()]
    return {"items": items}


def _my_meetings(archived: bool) -> list[Meeting]:
    q = visible_meetings(current_user, archived=archived)
    return list(db.session.execute(q.order_by(Meeting.created_at.desc())).scalars())


@bp.get("/")
@login_required
def index():
    archived = request.args.get("archived") == "1"
    return render_template("meetings/index.html", meetings=_my_meetings(archived), archived=archived,
                           format_code=format_code)


def _rulesets() -> list[RuleSet]:
    return list(db.session.execute(
        db.select(RuleSet).where(RuleSet.owner_id == current_user.id).order_by(RuleSet.name)
    ).scalars())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    errors: dict = {}
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        data, errors = load_form(MeetingIn(), _meeting_fields(request.form))
        start = request.form.get("rules_from", "defaults")
        if data is not None:
            def create() -> Meeting:
                rules = default_rules() if start == "defaults" else []
                if _whole_number(start):
                    rules = ruleset_of(current_user, int(start)).items
                meeting = do_create_meeting(current_user, data, rules)
                record(Actor("facilitator", meeting.id, current_user.id), "meeting.create")
                return meeting

            made = act(None, None, create, refused=form_errors)
            if isinstance(made, Meeting):
                flash("Session created. Review the ground rules, then open the lobby when you are ready.")
                return redirect(url_for("meetings.edit", meeting_id=made.id))
            errors = made
    return render_template("meetings/new.html", errors=errors, form=form, rulesets=_rulesets(),
                           default_after_text=default_after_text()), (
        422 if errors else 200)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    meeting, actor = page_meeting(meeting_id)
    errors: dict = {}
    if request.method == "POST":
        errors = _save_edit(meeting, actor)
        if not errors:
            flash("Saved.")
            return redirect(url_for("meetings.edit", meeting_id=meeting.id))
    rules = _rules_fields(request.form)["items"] if errors else rules_view(meeting)["items"]
    return render_template("meetings/edit.html", meeting=meeting, actor=actor, errors=errors,
                           rules=rules, templates=TEMPLATES, rulesets=_rulesets(),
                           format_code=format_code, default_after_text=default_after_text()), (
        422 if errors else 200)


def _save_edit(meeting: Meeting, actor: Actor) -> dict:
    """Save details and rules through the same actions the live console uses; all or nothing."""
    details, errors = load_form(MeetingPatchIn(), _meeting_fields(request.form))
    try:
        rules = shared(RulesSetIn).load(_rules_fields(request.form))
    except ValidationError as exc:
        errors = {**errors, "rules": exc.messages}
        rules = None
    if errors:
        return errors
    if meeting.state == "ended":  # the form shows every field; only these may still change
        details = {k: v for k, v in details.items() if k in AFTER_END}

    def save() -> dict:
        update_meeting(actor, meeting, details)
        if meeting.state != "ended":
            set_rules(actor, meeting, rules["items"])
        return {}

    return act(actor, "meeting.edit", save, refused=form_errors)


@bp.post("/<int:meeting_id>/ruleset")
@login_required
def save_ruleset(meeting_id: int):
    meeting, actor = page_meeting(meeting_id)
    data, errors = load_form(RuleSetSaveIn())
    if errors:
        flash("Give the rule set a name (up to 80 characters).", "error")
    else:
        do_save_ruleset(current_user, data["name"], meeting.rules)
        db.session.commit()
        flash(f"Saved the ground rules as “{data['name']}”.")
    return redirect(url_for("meetings.edit", meeting_id=meeting.id))


@bp.post("/<int:meeting_id>/archive")
@login_required
def archive(meeting_id: int):
    meeting, actor = page_meeting(meeting_id)
    checked(check_archive, actor)
    archived = request.form.get("archived", "1") == "1"
    act(actor, "meeting.archive" if archived else "meeting.unarchive", archive_meeting, actor, meeting, archived,
        refused=lambda exc: flash(exc.message, "error"))
    return redirect(url_for("meetings.index"))


@bp.post("/<int:meeting_id>/delete")
@login_required
def delete_now(meeting_id: int):
    """The owner deletes a session and everything in it now (after ticking the confirmation)."""
    meeting, actor = page_meeting(meeting_id)
    checked(check_delete_now, actor)
    if request.form.get("confirm") != "delete":
        flash("Tick the box to confirm that everything in this session will be deleted.", "error")
        return redirect(url_for("meetings.edit", meeting_id=meeting.id), code=303)
    title = meeting.title
    act(actor, None, delete_meeting_now, actor, meeting, refused=page_refusal)
    flash(f"Deleted “{title}” and everything in it.")
    return redirect(url_for("meetings.index"), code=303)


@bp.post("/<int:meeting_id>/cofacilitators")
@login_required
def invite(meeting_id: int):
    meeting, actor = page_meeting(meeting_id)
    checked(require_owner, actor)  # before the form is read: nothing about accounts to anyone else
    data, errors = load_form(CofacInviteIn())
    user = user_by_email(data["email"]) if data else None
    if user is None:
        flash("No facilitator account has that email. Share the invitation link instead.", "error")
    else:
        added = act(actor, "cofacilitator.add", add_cofacilitator, actor, meeting, user,
                    refused=lambda exc: flash(exc.message, "error"))
        if added is not None:
            flash(f"{user.display_name} can now co-facilitate this session.")
    return redirect(url_for("meetings.edit", meeting_id=meeting.id))


@bp.route("/cofacilitate/<key>", methods=["GET", "POST"])
@login_required
def cofacilitate(key: str):
    meeting = None
    if is_link_key(key):
        meeting = db.session.execute(db.select(Meeting).where(Meeting.cofac_key == key)).scalar_one_or_none()
    if meeting is None:
        abort(404)
    try:
        check_accept_invitation(meeting, current_user)
    except ActionError as exc:
        if exc.code == "already_facilitator":
            return redirect(url_for("meetings.console", meeting_id=meeting.id))
        abort(exc.status)
    if request.method == "POST":
        act(Actor("cofacilitator", meeting.id, current_user.id), "cofacilitator.join", do_add_cofacilitator, meeting,
            current_user, refused=page_refusal)
        return redirect(url_for("meetings.console", meeting_id=meeting.id))
    return render_template("meetings/cofacilitate.html", meeting=meeting)


@bp.get("/<int:meeting_id>")
@login_required
def console(meeting_id: int):
    meeting, actor = page_meeting(meeting_id)
    return render_template("meetings/console.html", meeting=meeting, actor=actor, templates=TEMPLATES,
                           format_code=format_code)
