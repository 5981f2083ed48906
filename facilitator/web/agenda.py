"""Minutes for facilitators over HTTP: a page (planned vs actual, notes, decisions, actions, what
was heard), Markdown and action-list CSV downloads, and the same through the REST API."""
from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask.views import MethodView
from flask_login import login_required

from ..views.agenda import minutes_for
from ..minutes_export import KIND_NAMES, actions_csv, clock, difference, minutes_markdown, stamp
from ..schemas.agenda import MinutesOut
from .api import API_DOC, api_meeting, token_required
from .acting import page_meeting
from .api import blp as api_blp

bp = Blueprint("agenda_web", __name__)  # the REST routes below join the API's own blueprint


def _meeting(meeting_id: int):
    """The meeting for one of its facilitators or co-facilitators; 404 to anyone else."""
    return page_meeting(meeting_id)[0]


def _download(body: str, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def markdown_response(meeting) -> Response:
    return _download(minutes_markdown(minutes_for(meeting)), "text/markdown",
                     f"minutes-{meeting.id}.md")


def csv_response(meeting) -> Response:
    return _download(actions_csv(minutes_for(meeting)), "text/csv", f"actions-{meeting.id}.csv")


@bp.get("/meetings/<int:meeting_id>/minutes")
@login_required
def minutes_page(meeting_id: int):
    meeting = _meeting(meeting_id)
    return render_template("meetings/minutes.html", meeting=meeting, minutes=minutes_for(meeting),
                           kinds=KIND_NAMES, clock=clock, difference=difference, stamp=stamp)


@bp.get("/meetings/<int:meeting_id>/minutes.md")
@login_required
def minutes_md(meeting_id: int):
    return markdown_response(_meeting(meeting_id))


@bp.get("/meetings/<int:meeting_id>/actions.csv")
@login_required
def minutes_actions_csv(meeting_id: int):
    return csv_response(_meeting(meeting_id))


@api_blp.route("/meetings/<int:meeting_id>/minutes")
class Minutes(MethodView):
    decorators = [token_required]

    @api_blp.response(200, MinutesOut)
    @api_blp.alt_response(404, description="No such session, or not yours.")
    @api_blp.doc(**API_DOC)
    def get(self, meeting_id):
        """The minutes: agenda items with planned and actual time, notes, decisions, actions, summaries."""
        return minutes_for(api_meeting(meeting_id)[0])


@api_blp.route("/meetings/<int:meeting_id>/minutes.md")
class MinutesMarkdown(MethodView):
    decorators = [token_required]

    @api_blp.doc(responses={200: {"description": "The minutes as Markdown.",
                                  "content": {"text/markdown": {"schema": {"type": "string"}}}},
                            404: {"description": "No such session, or not yours."}}, **API_DOC)
    def get(self, meeting_id):
        """The minutes as Markdown."""
        return markdown_response(api_meeting(meeting_id)[0])


@api_blp.route("/meetings/<int:meeting_id>/actions.csv")
class ActionsCsv(MethodView):
    decorators = [token_required]

    @api_blp.doc(responses={200: {"description": "Rows `item,item_title,what,owner,due,recorded_at`.",
                                  "content": {"text/csv": {"schema": {"type": "string"}}}},
                            404: {"description": "No such session, or not yours."}}, **API_DOC)
    def get(self, meeting_id):
        """The action list as CSV."""
        return csv_response(api_meeting(meeting_id)[0])
