"""The REST API (flask-smorest): meetings, participants and ground rules, for scheduling systems.

Authenticated by a bearer token (`Authorization: Bearer fct_...`) made on the account page or
with `flask create-api-token`. Cookies are not accepted here, so there is no CSRF exposure.
"""
from __future__ import annotations

import json
from functools import wraps

from apispec import BasePlugin
from flask import g, request, url_for
from flask.views import MethodView
from flask_smorest import Api, Blueprint, abort
from marshmallow import Schema, fields, validate
from webargs.flaskparser import FlaskParser

from ..access import Actor, access_meeting, require_owner, visible_meetings
from ..actions.audit import record
from ..actions.accounts import user_for_api_token
from ..actions.meetings import do_create_meeting, set_state, update_meeting
from ..actions.retention import delete_now
from ..actions.rules import set_rules
from ..errors import ActionError
from ..extensions import db
from ..models import Meeting, Participant
from ..rule_templates import TEMPLATES, default_rules
from ..schemas.common import OutageAck
from ..schemas.meetings import MeetingIn, MeetingPatchIn, MeetingPrivateOut, MeetingStateIn
from ..schemas.participants import PersonOut
from ..schemas.rules import RuleItemIn, RulesOut, RulesSetIn, RuleTemplateOut
from .acting import act


class ApiParser(FlaskParser):
    """webargs' parser, with a body nested deeper than the JSON parser can go (a RecursionError:
    5,000 levels was a 500) answered like any other unreadable body: 400, "Invalid JSON body."."""

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            raise json.JSONDecodeError("The JSON is nested too deeply.", "(body)", 0) from None


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = ApiParser()


blp = ApiBlueprint("api", __name__, url_prefix="/api/v1", description="Meetings, participants and ground rules.")


class MeetingCreateIn(MeetingIn):
    rules = fields.List(fields.Nested(RuleItemIn), validate=validate.Length(max=30),
                        metadata={"description": "Ground rules; omitted means the default template set."})


class ListArgs(Schema):
    archived = fields.Boolean(load_default=False)


def token_required(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        user = user_for_api_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            abort(401, message="A valid API token is needed: Authorization: Bearer <token>.")
        g.api_user = user
        return fn(*args, **kwargs)

    return wrapper


def or_abort(fn, *args):
    """`fn(*args)`, with a refusal (`ActionError`) answered as this API's error: its status and message."""
    try:
        return fn(*args)
    except ActionError as exc:
        abort(exc.status, message=exc.message)


def api_meeting(meeting_id: int):
    """(meeting, actor) for the token's user, or the API's 404/403."""
    return or_abort(access_meeting, g.api_user, meeting_id)


def _rules(meeting: Meeting) -> dict:
    """The rules for `@blp.response(RulesOut)` to dump (`views.people.rules_view` is already dumped)."""
    return {"version": meeting.rules_version, "changed_at": meeting.rules_changed_at, "items": meeting.rules}


def _fail(exc: ActionError):
    abort(exc.status, message=exc.message, errors={"code": exc.code, "fields": exc.fields})


def api_act(actor: Actor, audit: str | None, action, *args):
    """One REST action (`acting.act`): a refusal is this API's JSON error with its code and fields."""
    return act(actor, audit, action, *args, refused=_fail)


API_DOC = {"security": [{"bearerAuth": []}]}


@blp.route("/meetings")
class Meetings(MethodView):
    decorators = [token_required]

    @blp.arguments(ListArgs, location="query")
    @blp.response(200, MeetingPrivateOut(many=True))
    @blp.doc(**API_DOC)
    def get(self, args):
        """List the sessions you run or co-facilitate."""
        q = visible_meetings(g.api_user, archived=args["archived"])
        return db.session.execute(q.order_by(Meeting.id)).scalars().all()

    @blp.arguments(MeetingCreateIn)
    @blp.response(201, MeetingPrivateOut)
    @blp.alt_response(422, description="The body is not valid; nothing was created.")
    @blp.doc(**API_DOC)
    def post(self, data):
        """Create a session (as a draft). Share its join link or code with participants."""
        rules = data.pop("rules", None)
        meeting = do_create_meeting(g.api_user, data, default_rules() if rules is None else rules)
        record(Actor("facilitator", meeting.id, g.api_user.id), "meeting.create")
        db.session.commit()
        return meeting


@blp.route("/meetings/<int:meeting_id>")
class MeetingResource(MethodView):
    decorators = [token_required]

    @blp.response(200, MeetingPrivateOut)
    @blp.alt_response(404, description="No such session, or not yours.")
    @blp.doc(**API_DOC)
    def get(self, meeting_id):
        """Read one session."""
        return api_meeting(meeting_id)[0]

    @blp.arguments(MeetingPatchIn)
    @blp.response(200, MeetingPrivateOut)
    @blp.alt_response(404, description="No such session, or not yours.")
    @blp.alt_response(409, description="The session has ended.")
    @blp.doc(**API_DOC)
    def patch(self, data, meeting_id):
        """Change a session's details."""
        meeting, actor = api_meeting(meeting_id)
        api_act(actor, "meeting.edit", update_meeting, actor, meeting, data)
        return meeting

    @blp.response(204)
    @blp.alt_response(403, description="Only the session's owner can delete it.")
    @blp.alt_response(404, description="No such session, or not yours.")
    @blp.doc(**API_DOC)
    def delete(self, meeting_id):
        """Delete a session and every record of it now, for good (owner only)."""
        meeting, actor = api_meeting(meeting_id)
        api_act(actor, None, delete_now, actor, meeting)


@blp.route("/meetings/<int:meeting_id>/state")
class MeetingState(MethodView):
    decorators = [token_required]

    @blp.arguments(MeetingStateIn)
    @blp.response(200, MeetingPrivateOut)
    @blp.alt_response(409, description="That change of state is not possible now.")
    @blp.doc(**API_DOC)
    def post(self, data, meeting_id):
        """Open the lobby, start, pause, resume or end a session."""
        meeting, actor = api_meeting(meeting_id)
        api_act(actor, "meeting.state", set_state, actor, meeting, data["state"])
        return meeting


class InvitationOut(Schema):
    cofacilitate = fields.String(metadata={"description": "The co-facilitator invitation link: whoever opens it "
                                                          "signed in becomes a co-facilitator of the session."})


@blp.route("/meetings/<int:meeting_id>/invitation")
class Invitation(MethodView):
    decorators = [token_required]

    @blp.response(200, InvitationOut)
    @blp.alt_response(403, description="Only the session's owner invites co-facilitators.")
    @blp.doc(**API_DOC)
    def get(self, meeting_id):
        """The co-facilitator invitation link (owner only: co-facilitators do not invite)."""
        meeting, actor = api_meeting(meeting_id)
        or_abort(require_owner, actor)
        return {"cofacilitate": url_for("meetings.cofacilitate", key=meeting.cofac_key, _external=True)}


@blp.route("/meetings/<int:meeting_id>/participants")
class Participants(MethodView):
    decorators = [token_required]

    @blp.response(200, PersonOut(many=True))
    @blp.doc(**API_DOC)
    def get(self, meeting_id):
        """Everyone who joined: pseudonym, role, tag, presence and rules acknowledgement."""
        meeting, _ = api_meeting(meeting_id)
        return db.session.execute(
            db.select(Participant).where(Participant.meeting_id == meeting.id, Participant.removed_at.is_(None))
            .order_by(Participant.id)
        ).scalars().all()


@blp.route("/meetings/<int:meeting_id>/rules")
class Rules(MethodView):
    decorators = [token_required]

    @blp.response(200, RulesOut)
    @blp.doc(**API_DOC)
    def get(self, meeting_id):
        """The current ground rules and their version."""
        return _rules(api_meeting(meeting_id)[0])

    @blp.arguments(RulesSetIn)
    @blp.response(200, RulesOut)
    @blp.alt_response(409, description="The session has ended.")
    @blp.doc(**API_DOC)
    def put(self, data, meeting_id):
        """Replace the ground rules; if they change mid-session, everyone is asked to accept again."""
        meeting, actor = api_meeting(meeting_id)
        api_act(actor, "rules.set", set_rules, actor, meeting, data["items"])
        return _rules(meeting)


@blp.route("/rule-templates")
class RuleTemplates(MethodView):
    @blp.response(200, RuleTemplateOut(many=True))
    def get(self):
        """Ground-rule templates drawn from practice guidelines for online groups."""
        return TEMPLATES


class OutageResponses(BasePlugin):
    """Documents the 503 of every operation that reads its bearer token's user from the database
    (all but the public ones): the app's catch-all handler answers a database outage with
    `unavailable` or `busy` (`errors.outage_error`) on any of them, so it is added here, not per route."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            if operation.get("security"):
                operation.setdefault("responses", {}).setdefault(503, "OUTAGE")


def init_api(app) -> Api:
    api = Api(app, spec_kwargs={"info": {"description": __doc__.strip()}, "extra_plugins": [OutageResponses()]})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.components.response("OUTAGE", {
        "description": "The database cannot be reached (`unavailable`) or the server is too busy to reach it "
                       "in time (`busy`). Nothing was changed; try again in a moment.",
        "content": {"application/json": {"schema": OutageAck}}})
    api.register_blueprint(blp)
    app.extensions["facilitator_api"] = api
    return api


from . import polls as _polls  # noqa: F401  (adds the poll routes to blp; it imports from here)
