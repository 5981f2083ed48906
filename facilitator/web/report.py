"""The session report for the session's facilitators: a page with the balance chart, and downloads
as Markdown, CSV (attendance, turns, actions) and JSON (everything), also through the REST API.
Anyone else gets 404, as for every facilitator page."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask.views import MethodView
from flask_login import login_required

from .. import report_export as export
from ..minutes_export import clock, stamp
from ..report import build
from .agenda import _download, _meeting
from .api import API_DOC, api_meeting, token_required
from .api import blp as api_blp

bp = Blueprint("report", __name__)
NOT_YOURS = {404: {"description": "No such session, or not yours."}}


def markdown_response(meeting) -> Response:
    return _download(export.markdown(build(meeting)), "text/markdown", f"report-{meeting.id}.md")


def json_response(meeting) -> Response:
    return _download(export.to_json(build(meeting)), "application/json", f"report-{meeting.id}.json")


def csv_response(meeting, part: str) -> Response:
    if part not in export.CSV_PARTS:
        abort(404)
    return _download(export.CSV_PARTS[part](build(meeting)), "text/csv", f"{part}-{meeting.id}.csv")


def chart_response(meeting) -> Response:
    svg = render_template("report/_chart.svg", chart=export.chart(build(meeting)), standalone=True)
    return Response(svg, mimetype="image/svg+xml")


@bp.get("/meetings/<int:meeting_id>/report")
@login_required
def report_page(meeting_id: int):
    meeting = _meeting(meeting_id)
    data = build(meeting)
    return render_template("meetings/report.html", meeting=meeting, report=data, chart=export.chart(data),
                           clock=clock, stamp=stamp, stamp_s=export.stamp_s, how=export.how, percent=export.percent,
                           kinds=export.KINDS)


@bp.get("/meetings/<int:meeting_id>/report.md")
@login_required
def report_md(meeting_id: int):
    return markdown_response(_meeting(meeting_id))


@bp.get("/meetings/<int:meeting_id>/report.json")
@login_required
def report_json(meeting_id: int):
    return json_response(_meeting(meeting_id))


@bp.get("/meetings/<int:meeting_id>/report/<part>.csv")
@login_required
def report_csv(meeting_id: int, part: str):
    return csv_response(_meeting(meeting_id), part)


@bp.get("/meetings/<int:meeting_id>/report/chart.svg")
@login_required
def report_chart(meeting_id: int):
    return chart_response(_meeting(meeting_id))


@api_blp.route("/meetings/<int:meeting_id>/report")
class Report(MethodView):
    decorators = [token_required]

    @api_blp.doc(responses={200: {"description": "Everything in the report: meeting, attendance (stretches per "
                                                 "person), turns (per person, balance index, by group, every "
                                                 "turn), polls (aggregates), minutes, audit trail, and the chat "
                                                 "transcript only if the session's report_chat is on (else null).",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}, **NOT_YOURS},
                 **API_DOC)
    def get(self, meeting_id):
        """The session report as JSON."""
        return json_response(api_meeting(meeting_id)[0])


@api_blp.route("/meetings/<int:meeting_id>/report.md")
class ReportMarkdown(MethodView):
    decorators = [token_required]

    @api_blp.doc(responses={200: {"description": "The session report as Markdown.",
                                  "content": {"text/markdown": {"schema": {"type": "string"}}}}, **NOT_YOURS},
                 **API_DOC)
    def get(self, meeting_id):
        """The session report as Markdown."""
        return markdown_response(api_meeting(meeting_id)[0])


@api_blp.route("/meetings/<int:meeting_id>/report/<string:part>.csv")
class ReportCsv(MethodView):
    decorators = [token_required]

    @api_blp.doc(responses={200: {"description": "part=attendance: one row per stretch of presence; part=turns: "
                                                 "one row per participant; part=actions: one row per agenda action.",
                                  "content": {"text/csv": {"schema": {"type": "string"}}}}, **NOT_YOURS},
                 **API_DOC)
    def get(self, meeting_id, part):
        """Part of the session report as CSV: attendance, turns or actions."""
        return csv_response(api_meeting(meeting_id)[0], part)
