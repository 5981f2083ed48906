"""Pages and the REST API, as blueprints, plus security headers and error pages."""
from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..asyncapi import document as asyncapi_document
from ..extensions import csrf

log = logging.getLogger(__name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


def init_web(app: Flask) -> None:
    from . import auth, join, meetings, polls
    from .api import blp, init_api

    app.register_blueprint(join.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(meetings.bp)
    app.register_blueprint(polls.bp)  # poll CSV downloads
    csrf.exempt(blp)  # bearer tokens only; no cookies are read there
    init_api(app)

    @app.get("/api/asyncapi.json")
    def asyncapi():
        return jsonify(asyncapi_document())

    @app.get("/docs")
    def docs():
        return render_template("docs.html")

    @app.after_request
    def _headers(resp):
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        resp.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.path.startswith(("/r/", "/j/", "/observe/", "/meetings", "/account")):
            resp.headers.setdefault("Cache-Control", "no-store")
        return resp

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
        log.exception("unhandled error on %s", request.path)
        from ..extensions import db

        db.session.rollback()
        if _wants_json():
            return jsonify(ok=False, error={"code": "internal", "message": "Something went wrong.", "fields": {}}), 500
        return render_template("error.html", code=500, message="Something went wrong on our side."), 500
