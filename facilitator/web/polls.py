"""Poll results for facilitators over HTTP: a CSV download per poll, and the same through the REST API."""
from __future__ import annotations

from flask import Blueprint, Response, abort
from flask.views import MethodView
from flask_login import current_user, login_required

from ..access import access_meeting
from ..actions import polls
from ..errors import ActionError
from ..schemas.polls import PollPrivateOut
from ..views.polls import polls_of, private_data
from .api import API_DOC, api_meeting, or_abort, token_required
from .api import blp as api_blp

bp = Blueprint("polls", __name__)  # the REST routes below join the API's own blueprint (`api_blp`)


def _csv(actor, poll_id: int) -> Response:
    poll = polls.check_export(actor, poll_id)
    return Response(polls.poll_csv(poll), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="poll-{poll.id}.csv"'})


@bp.get("/meetings/<int:meeting_id>/polls/<int:poll_id>.csv")
@login_required
def export_csv(meeting_id: int, poll_id: int):
    """One poll's results as CSV, for a signed-in facilitator of the session (404 to anyone else)."""
    try:
        _meeting, actor = access_meeting(current_user, meeting_id)
        return _csv(actor, poll_id)
    except ActionError as exc:
        abort(exc.status, exc.message)


@api_blp.route("/meetings/<int:meeting_id>/polls")
class Polls(MethodView):
    decorators = [token_required]

    @api_blp.response(200, PollPrivateOut(many=True))
    @api_blp.alt_response(404, description="No such session, or not yours.")
    @api_blp.doc(**API_DOC)
    def get(self, meeting_id):
        """Every poll of the session (drafts too) with its results; for named polls who answered what."""
        _meeting, actor = api_meeting(meeting_id)
        return [private_data(p) for p in polls_of(actor.meeting_id)]


@api_blp.route("/meetings/<int:meeting_id>/polls/<int:poll_id>")
class PollResource(MethodView):
    decorators = [token_required]

    @api_blp.response(200, PollPrivateOut)
    @api_blp.alt_response(404, description="No such poll in this session, or not your session.")
    @api_blp.doc(**API_DOC)
    def get(self, meeting_id, poll_id):
        """One poll with its results."""
        _meeting, actor = api_meeting(meeting_id)
        return private_data(or_abort(polls.check_export, actor, poll_id))


@api_blp.route("/meetings/<int:meeting_id>/polls/<int:poll_id>/results.csv")
class PollCsv(MethodView):
    decorators = [token_required]

    @api_blp.doc(responses={200: {"description": "Rows `section,item,value`: the poll (question, kind, anonymous, "
                                                 "state, voters), count per option, mean, answers, words, and "
                                                 "for named polls one `vote` row per voter.",
                                  "content": {"text/csv": {"schema": {"type": "string"}}}},
                            404: {"description": "No such poll in this session, or not your session."}},
                 **API_DOC)
    def get(self, meeting_id, poll_id):
        """One poll's results as CSV."""
        _meeting, actor = api_meeting(meeting_id)
        return or_abort(_csv, actor, poll_id)
