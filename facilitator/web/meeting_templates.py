"""Meeting templates over HTTP: save a session's setup from its edit page, start a new session
from a template in one click (sessions list), delete one; and the REST API for scheduling systems."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, url_for
from flask.views import MethodView
from flask_login import current_user, login_required

from ..actions.templates import (do_create_from_template, do_delete_template, do_save_template, template_of,
                                 templates_of)
from ..errors import ActionError
from ..extensions import db
from ..schemas.agenda import TemplateOut, TemplateSaveIn, TemplateUseIn
from ..schemas.meetings import MeetingPrivateOut
from .api import API_DOC, or_abort, token_required
from .api import blp as api_blp
from .acting import page_meeting
from .forms import load_form

bp = Blueprint("meeting_templates", __name__)


@bp.app_context_processor
def _my_templates():
    """`my_templates()` in pages: the signed-in facilitator's templates (the sessions list shows them)."""
    def my_templates():
        return templates_of(current_user) if current_user.is_authenticated else []

    return {"my_templates": my_templates}


def _own(template_id: int):
    try:
        return template_of(current_user, template_id)
    except ActionError:
        abort(404)


@bp.post("/meetings/<int:meeting_id>/template")
@login_required
def save(meeting_id: int):
    meeting, _actor = page_meeting(meeting_id)
    data, errors = load_form(TemplateSaveIn())
    if errors:
        flash("Give the template a name (up to 80 characters).", "error")
    else:
        do_save_template(current_user, meeting, data["name"])
        db.session.commit()
        flash(f"Saved this session's ground rules, agenda and settings as the template “{data['name']}”.")
    return redirect(url_for("meetings.edit", meeting_id=meeting.id), code=303)


@bp.post("/templates/<int:template_id>/use")
@login_required
def use(template_id: int):
    meeting = do_create_from_template(current_user, _own(template_id))
    db.session.commit()
    flash("Session created from the template. Check the details, then open the lobby when you are ready.")
    return redirect(url_for("meetings.edit", meeting_id=meeting.id), code=303)


@bp.post("/templates/<int:template_id>/delete")
@login_required
def delete(template_id: int):
    tpl = _own(template_id)
    name = tpl.name
    do_delete_template(tpl)
    db.session.commit()
    flash(f"Deleted the template “{name}”. Sessions made from it are not affected.")
    return redirect(url_for("meetings.index"), code=303)


@api_blp.route("/templates")
class Templates(MethodView):
    decorators = [token_required]

    @api_blp.response(200, TemplateOut(many=True))
    @api_blp.doc(**API_DOC)
    def get(self):
        """Your meeting templates: ground rules, agenda and settings saved from a session."""
        return templates_of(g.api_user)


@api_blp.route("/templates/<int:template_id>/meetings")
class TemplateMeetings(MethodView):
    decorators = [token_required]

    @api_blp.arguments(TemplateUseIn)
    @api_blp.response(201, MeetingPrivateOut)
    @api_blp.alt_response(404, description="No such template, or not yours.")
    @api_blp.doc(**API_DOC)
    def post(self, data, template_id):
        """Create a session (a draft) from a template: its rules, agenda and settings."""
        meeting = do_create_from_template(g.api_user, or_abort(template_of, g.api_user, template_id), data["title"],
                                          data["scheduled_at"])
        db.session.commit()
        return meeting
