"""The application factory."""
from __future__ import annotations

import logging
import os

from flask import Flask
from flask.ctx import RequestContext

from .config import DEFAULTS, from_environment

SOCKET_PATH = "/socket.io"  # Flask-SocketIO's default, which the app and its clients use


class _EventContext(RequestContext):
    """A request context that does not look for a view for the Socket.IO path.

    Flask-SocketIO runs every socket event inside a request context made from its connection's
    environ. No route matches that path (the Socket.IO middleware answers it before Flask routes
    anything), so each event's context stored a NotFound with its traceback: a reference cycle of
    about 60 objects (the exception, tracebacks, frames, the context and its request) that only
    the garbage collector could free. Under `make bench` that was most of what each young
    collection freed. Nothing reads the routing result of an event's context (no view runs)."""

    def match_request(self) -> None:
        if self.request.path.startswith(SOCKET_PATH):
            return
        super().match_request()


class App(Flask):
    """Flask, with socket events' request contexts made without a failed route match."""

    def request_context(self, environ: dict) -> RequestContext:
        return _EventContext(self, environ)


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides the environment (tests pass their own)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = App(
        __name__,
        instance_path=os.environ.get("FACILITATOR_INSTANCE") or os.path.join(root, "instance"),
        template_folder=os.path.join(root, "templates"),
        static_folder=os.path.join(root, "static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    config = dict(config or {})
    app.config.update(DEFAULTS)
    app.config.update(from_environment(app.instance_path, secret_given="SECRET_KEY" in config))
    app.config.update(config)

    from . import models  # noqa: F401  (tables registered before anything else)
    from .extensions import csrf, db, login_manager, migrate, socketio

    db.init_app(app)
    _tune_sqlite(app, db)
    _ping_idle_connections(app, db)
    migrate.init_app(app, db, directory=os.path.join(root, "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    # Handlers are registered before init_app so that every app built in this process
    # (tests build many) gets them on its own Socket.IO server.
    from .sockets import init_sockets

    if not getattr(socketio, "_facilitator_handlers", False):
        init_sockets(socketio)
        socketio._facilitator_handlers = True

    async_mode = app.config.get("SOCKETIO_ASYNC_MODE") or app.config["FACILITATOR_ASYNC"]
    from .sockets.closing import manager_for

    socketio.init_app(
        app,
        async_mode=async_mode,
        # The manager Flask-SocketIO would build from SOCKETIO_MESSAGE_QUEUE, able to disconnect a
        # whole room on every worker (how removal, sign-out and deletion close sockets).
        client_manager=manager_for(app.config.get("SOCKETIO_MESSAGE_QUEUE"),
                                   app.config.get("SOCKETIO_CHANNEL", "facilitator")),
        cors_allowed_origins=app.config.get("ALLOWED_ORIGINS"),
        max_http_buffer_size=app.config["SOCKETIO_MAX_HTTP_BUFFER_SIZE"],
        ping_interval=app.config["SOCKETIO_PING_INTERVAL"],
        ping_timeout=app.config["SOCKETIO_PING_TIMEOUT"],
        logger=False,
        engineio_logger=False,
    )
    from .sockets.transport import guard  # reserved names, floods, idle sessions (issue 17)

    guard(socketio, app)
    from .web import init_web

    init_web(app)
    from .cli import init_cli

    init_cli(app)
    logging.getLogger("facilitator").setLevel(app.config.get("LOG_LEVEL", "INFO"))
    return app


def _ping_idle_connections(app: Flask, db) -> None:
    """A pooled connection that has sat unused for `DB_PING_IDLE_SECONDS` is pinged when checked
    out, and replaced if the database does not answer (SQLAlchemy retries the checkout when this
    hook raises `DisconnectionError`). Used instead of `pool_pre_ping` where the engine does not
    ping on its own: under load connections go back and forth many times a second, and one that
    breaks between two uses fails that one action as `unavailable`, after which the pool drops
    every connection from before the break."""
    idle = app.config.get("DB_PING_IDLE_SECONDS")
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    if idle is None or sqlite or options.get("pool_pre_ping", False):
        return
    import time

    from sqlalchemy import event
    from sqlalchemy.exc import DisconnectionError

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, record, _proxy):
        last = record.info.get("facilitator_checked_in")
        if last is not None and time.monotonic() - last < idle:
            return
        try:
            cur = dbapi_conn.cursor()
            cur.execute("SELECT 1")
            cur.close()
        except Exception as exc:
            raise DisconnectionError("the database did not answer a ping") from exc

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_conn, record):
        record.info["facilitator_checked_in"] = time.monotonic()


def _tune_sqlite(app: Flask, db) -> None:
    """SQLite: write-ahead log, foreign keys on, wait instead of failing when busy, and deleted
    content overwritten with zeros (`secure_delete`, off by default in most builds), so a deleted
    meeting's text does not stay in the pages' free space (see actions/retention.py for the log)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()
