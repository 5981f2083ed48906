"""Logs without what must not be in them.

Access-log lines without the secrets some URLs carry: the join code (/j/, /r/, ?code=), the
observer key and the co-facilitator invitation key. Used by `python -m facilitator.serve` and by
gunicorn (gunicorn_conf.logger_class) when ACCESS_LOG=1.

And no SQL logging at all while a vote is handled (`quiet_sql`), so that even DEBUG logs cannot
line a voter up with an answer (see actions/polls.py).
"""
from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager

_SECRET = re.compile(r"(/(?:j|r|observe|meetings/cofacilitate)/|(?:^|[?&])code=)[^/\s?&\"#]+")


def redact(text: str) -> str:
    return _SECRET.sub(r"\1[hidden]", text)


class RedactingStream:
    """A file-like wrapper (for eventlet's access log) that redacts each line it writes."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.write(redact(text))

    def flush(self) -> None:
        self.stream.flush()


try:  # gunicorn is only there in production installs
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover
    _GunicornLogger = None

if _GunicornLogger is not None:
    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger with the request line and path of each access-log line redacted."""

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            for key in ("r", "U", "q", "{raw_uri}e"):
                if isinstance(atoms.get(key), str):
                    atoms[key] = redact(atoms[key])
            return atoms


# ---- no SQL logging while a vote is handled --------------------------------------------------

_QUIET = threading.local()  # green-local once eventlet or gevent has patched threading


class _QuietWhileVoting(logging.Filter):
    """Drop SQL log records (statements, parameters, rows) from a request that is handling a vote."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(_QUIET, "depth", 0)


logging.getLogger("sqlalchemy.engine.Engine").addFilter(_QuietWhileVoting())


@contextmanager
def quiet_sql():
    """While a vote is handled, SQL logging (even at DEBUG) must not line a voter up with an answer."""
    _QUIET.depth = getattr(_QUIET, "depth", 0) + 1
    try:
        yield
    finally:
        _QUIET.depth -= 1
