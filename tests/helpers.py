"""Helpers for tests that need a real service: skip locally if it is missing, fail under CI=true."""
from __future__ import annotations

import os
import shutil
import socket

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
    """Call at the start of a test (or fixture) that needs `chromium`, `postgresql` or `redis`."""
    if name == "chromium":
        ok = shutil.which("chromium") is not None or os.path.exists("/usr/bin/chromium")
    elif name == "postgresql":
        ok = _reachable("127.0.0.1", 5432)
    elif name == "redis":
        ok = _reachable("127.0.0.1", 6379)
    else:
        raise ValueError(name)
    if ok:
        return
    message = f"{name} is not available"
    if in_ci():
        pytest.fail(message + " (CI=true: a missing service is a failure, not a skip)")
    pytest.skip(message)
