"""Pages and the REST API, as blueprints, plus security headers and error pages."""
from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from ..asyncapi import document as asyncapi_document
from ..errors import outage_error
from ..extensions import csrf, db
from ..limits import init_limits
from ..schemas.common import MAX_ID
from .headers import init_headers

log = logging.getLogger(__name__)


class IdConverter(IntegerConverter):
    """Every `<int:...>` in a route: an id beyond what the database's integer ids can hold is no
    such thing (404), rather than an overflow in the database driver (a 500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, with a body nested deeper than the parser can go (a RecursionError: 5,000
    levels was a 500) read as invalid JSON like any other, so that `request.get_json` answers 400,
    or None with `silent=True`. The REST API parses its bodies itself (`api.ApiParser`)."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("The JSON is nested too deeply.") from None


def init_web(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.json = JSONProvider(app)
    # Validation errors for list items are keyed by index (int) next to field names (str); sorting
    # such keys fails, and turned a refusal into a 500. Keys keep the order they were made in.
    app.json.sort_keys = False
    from . import agenda, auth, firstrun, join, meeting_templates, meetings, polls, report
    from .api import blp, init_api

    app.register_blueprint(join.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(meetings.bp)
    app.register_blueprint(firstrun.bp)  # first-account set-up, demo session
    app.register_blueprint(polls.bp)  # poll CSV downloads
    app.register_blueprint(agenda.bp)  # minutes page and downloads
    app.register_blueprint(report.bp)  # session report page and downloads
    app.register_blueprint(meeting_templates.bp)  # save a session's setup, start one from it
    csrf.exempt(blp)  # bearer tokens only; no cookies are read there
    init_api(app)
    init_limits(app)
    init_headers(app)

    @app.get("/api/asyncapi.json")
    def asyncapi():
        return jsonify(asyncapi_document())

    @app.get("/docs")
    def docs():
        return render_template("docs.html")

    def _wants_json() -> bool:
        return request.path.startswith("/api/") or request.is_json or (
            request.accept_mimetypes.best == "application/json")

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        msg = "This form expired or came from elsewhere. Please reload the page and try again."
        if _wants_json():
            return jsonify(ok=False, error={"code": "csrf", "message": msg, "fields": {}}), 400
        return render_template("error.html", code=400, message=msg), 400

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if request.path.startswith("/api/"):
            # flask-smorest's JSON errors (with field messages). This handler replaced the one it
            # registered, so call it: returning `exc` gave API clients Werkzeug's HTML page.
            return current_app.extensions["facilitator_api"].handle_http_exception(exc)
        if _wants_json():
            return jsonify(ok=False, error={"code": exc.name.lower().replace(" ", "_"),
                                            "message": exc.description, "fields": {}}), exc.code
        return render_template("error.html", code=exc.code, message=exc.description), exc.code

    @app.errorhandler(Exception)
    def _unexpected(exc):
        if isinstance(exc, HTTPException):
            return _http(exc)
        db.session.rollback()
        err = outage_error(exc)
        if err is not None:
            log.warning("database %s on %s (%s)", err.code, request.path, type(exc).__name__)
            if _wants_json():
                return jsonify(ok=False, error=err.payload()), err.status
            return render_template("error.html", code=err.status, message=err.message), err.status
        log.exception("unhandled error on %s", request.path)
        if _wants_json():
            return jsonify(ok=False, error={"code": "internal", "message": "Something went wrong.", "fields": {}}), 500
        return render_template("error.html", code=500, message="Something went wrong on our side."), 500
