"""Configuration: defaults, overridden by the environment, overridden by a test mapping."""
from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _origins(value: str | None) -> list[str] | None:
    """`ALLOWED_ORIGINS` is a comma-separated list; unset means same-origin only."""
    if not value:
        return None
    return [o.strip().rstrip("/") for o in value.split(",") if o.strip()]


def instance_secret(instance_path: str) -> str:
    """Read the secret key kept in the instance folder, creating it on first run."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Write with owner-only permissions: this key signs every login cookie.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def engine_options(db_url: str, env) -> dict:
    """Pooled connections are checked before use, so a database that went away and came back is
    reconnected to on the next action. On PostgreSQL the check is made only on a connection that
    has sat unused for `DB_PING_IDLE_SECONDS` (see `app._ping_idle_connections`): a busy worker
    checks a connection out for every action, and a ping each time was one round trip in six.
    The pool is sized for an async worker with many actions in flight: connections beyond the
    pool are closed as soon as they come back, and with SQLAlchemy's default (5 kept, 10 more) a
    busy worker connected and disconnected on most actions; with 10 kept, `make bench` still
    opened 135 connections in a run, and its p99 at the realistic rate halved with 20."""
    options = dict(DEFAULTS["SQLALCHEMY_ENGINE_OPTIONS"])
    if db_url.startswith("postgresql"):
        options.update(pool_pre_ping=False, pool_size=int(env.get("DB_POOL_SIZE", "20")),
                       max_overflow=int(env.get("DB_MAX_OVERFLOW", "10")),
                       # An overloaded worker answers `busy` after this long rather than leave
                       # the action hanging for SQLAlchemy's default 30 s.
                       pool_timeout=float(env.get("DB_POOL_TIMEOUT", "10")))
    return options


def from_environment(instance_path: str, secret_given: bool = False) -> dict:
    """Build the configuration mapping from the process environment."""
    env = os.environ
    db_url = env.get("DATABASE_URL") or "sqlite:///" + str(Path(instance_path) / "facilitator.sqlite3")
    if db_url.startswith("postgres://"):
        db_url = "postgresql://" + db_url[len("postgres://"):]
    if db_url.startswith("postgresql://"):
        # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; the driver we install is psycopg2.
        db_url = "postgresql+psycopg2://" + db_url[len("postgresql://"):]
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or (None if secret_given else instance_secret(instance_path)),
        "SQLALCHEMY_DATABASE_URI": db_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(db_url, env),
        "SOCKETIO_MESSAGE_QUEUE": env.get("SOCKETIO_MESSAGE_QUEUE") or None,
        # Several sites (or test runs) can share one Redis if each uses its own channel.
        "SOCKETIO_CHANNEL": env.get("SOCKETIO_CHANNEL") or "facilitator",
        # With several processes: how long one may stay silent in Redis before the others take it
        # for dead and clear its connections (facilitator/liveness.py).
        "WORKER_TTL_SECONDS": float(env.get("WORKER_TTL_SECONDS") or 15),
        "ALLOWED_ORIGINS": _origins(env.get("ALLOWED_ORIGINS")),
        "FACILITATOR_ASYNC": env.get("FACILITATOR_ASYNC", "eventlet"),
        "SIGNUP_ENABLED": _bool(env.get("SIGNUP_ENABLED"), False),
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), False),
        # How many reverse proxies (each adding X-Forwarded-For/-Proto) stand in front; 0 trusts none.
        "PROXY_HOPS": int(env.get("PROXY_HOPS") or 0),
        "DEFAULT_RETENTION_DAYS": int(env.get("DEFAULT_RETENTION_DAYS", "30")),
        # Who runs this server and how participants reach support: shown on the privacy and after pages.
        "OPERATOR_NAME": env.get("OPERATOR_NAME") or None,
        "SUPPORT_CONTACT": env.get("SUPPORT_CONTACT") or None,
        # A connection closed (not timed out) alerts only if the person is not back within this
        # many seconds: a page reload closes the transport and reconnects at once.
        "DROP_ALERT_GRACE_SECONDS": float(env.get("DROP_ALERT_GRACE_SECONDS", "4")),
        "DB_PING_IDLE_SECONDS": float(env.get("DB_PING_IDLE_SECONDS", "2")),
        "TRANSPORT_LIMITS": json.loads(env.get("TRANSPORT_LIMITS") or "{}"),  # JSON: overrides of DEFAULTS'
    }


DEFAULTS = {
    # hide_parameters: a database error (and so a logged traceback) never shows the values of a
    # statement, which can be chat text, names or contact details.
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # tied to the login session instead of a clock
    # A facilitator's sign-in lasts 12 hours from their last request (each request renews it).
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    # Flask-WTF's HTTPS-only Referer check would refuse every form: pages send no Referer
    # (Referrer-Policy: no-referrer). The token, tied to the session, and SameSite cookies remain.
    "WTF_CSRF_SSL_STRICT": False,
    "MAX_CONTENT_LENGTH": 256 * 1024,
    # Socket.IO frames: the largest legitimate payload (a full set of ground rules) is far below this.
    "SOCKETIO_MAX_HTTP_BUFFER_SIZE": 64 * 1024,
    "SOCKETIO_PING_INTERVAL": 5,
    "SOCKETIO_PING_TIMEOUT": 5,
    # Per connection and per address, at the transport (sockets/transport.py; SECURITY.md states them).
    "TRANSPORT_LIMITS": {"events": (60, 10.0), "in_flight": 4, "refusals": 100, "unauthenticated_per_address": 100,
                         "connect_seconds": 10.0, "close_after_refusal_seconds": 3.0},
    "API_TITLE": "Facilitator API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_REDOC_PATH": None,
    "OPENAPI_SWAGGER_UI_PATH": None,
    "MAX_RULES": 30,
    "MAX_RULE_LENGTH": 600,
}
