"""Helpers for tests that need a real service: skip locally if it is missing, fail under CI=true."""
from __future__ import annotations

import os
import shutil
import socket
import uuid
from contextlib import contextmanager

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def needs_service(name: str) -> None:
    """Call at the start of a test (or fixture) that needs `chromium`, `postgresql`, `redis` or `node`."""
    if name == "chromium":
        ok = shutil.which("chromium") is not None or os.path.exists("/usr/bin/chromium")
    elif name == "postgresql":
        ok = _reachable("127.0.0.1", 5432)
    elif name == "redis":
        ok = _reachable("127.0.0.1", 6379)
    elif name == "node":
        ok = shutil.which("node") is not None
    else:
        raise ValueError(name)
    if ok:
        return
    message = f"{name} is not available"
    if in_ci():
        pytest.fail(message + " (CI=true: a missing service is a failure, not a skip)")
    pytest.skip(message)


PG_ADMIN_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


@contextmanager
def scratch_pg_database(prefix: str):
    """A new, empty PostgreSQL database for one test (its URL), dropped afterwards."""
    needs_service("postgresql")
    import sqlalchemy as sa

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def json_diff(a, b, path="") -> list:
    """Where two JSON values differ (paths and both sides), for a readable assertion message."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str) for d in json_diff(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in json_diff(x, y, f"{path}[{i}]")]
    return [] if a == b else [(path, a, b)]
