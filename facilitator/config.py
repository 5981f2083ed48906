"""Configuration: defaults, overridden by the environment, overridden by a test mapping."""
from __future__ import annotations

import os
import secrets
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
        "SOCKETIO_MESSAGE_QUEUE": env.get("SOCKETIO_MESSAGE_QUEUE") or None,
        # Several sites (or test runs) can share one Redis if each uses its own channel.
        "SOCKETIO_CHANNEL": env.get("SOCKETIO_CHANNEL") or "facilitator",
        "ALLOWED_ORIGINS": _origins(env.get("ALLOWED_ORIGINS")),
        "FACILITATOR_ASYNC": env.get("FACILITATOR_ASYNC", "eventlet"),
        "SIGNUP_ENABLED": _bool(env.get("SIGNUP_ENABLED"), False),
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), False),
        "DEFAULT_RETENTION_DAYS": int(env.get("DEFAULT_RETENTION_DAYS", "30")),
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # tied to the login session instead of a clock
    "MAX_CONTENT_LENGTH": 256 * 1024,
    # Socket.IO frames: the largest legitimate payload (a full set of ground rules) is far below this.
    "SOCKETIO_MAX_HTTP_BUFFER_SIZE": 64 * 1024,
    "SOCKETIO_PING_INTERVAL": 5,
    "SOCKETIO_PING_TIMEOUT": 5,
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
