"""Logs without what must not be in them.

Access-log lines without the secrets a URL can carry: the join code (/j/, /r/, ?code=), the
observer key and the co-facilitator invitation key, an API token (`fct_...`) wherever it is, and
the value of any query parameter whose name looks like a credential (token, key, password, secret,
code, auth, session, sid, signature...), percent-encoded names included. The app never puts a
credential in a URL, but a client may (an API token as `?token=`), and the log must not keep it.
Used by `python -m facilitator.serve` (eventlet and gevent) and by gunicorn
(gunicorn_conf.logger_class) when ACCESS_LOG=1.

And no SQL logging at all while a vote is handled (`quiet_sql`), so that even DEBUG logs cannot
line a voter up with an answer (see actions/polls.py).
"""
from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from urllib.parse import unquote_plus

_SECRET = re.compile(r"(/(?:j|r|observe|meetings/cofacilitate)/|(?:^|[?&])code=)[^/\s?&\"#]+")
_API_TOKEN = re.compile(r"(fct(?:_|%5[Ff]))[A-Za-z0-9_%-]+")
# name=value, at the start (a query string on its own) or after ?, & or ;; a value ends at the next
# separator, space, quote or #
_PARAM = re.compile(r"(^|[?&;])([^=&;?\s\"#]+)=([^&;\s\"#]*)")
_CREDENTIAL_NAME = re.compile(r"token|key|pass|pwd|secret|code|auth|sess|sid|sig|cred|otp|jwt|bearer", re.I)


def _param(match: re.Match) -> str:
    sep, name, value = match.groups()
    if value and _CREDENTIAL_NAME.search(unquote_plus(name)):
        value = "[hidden]"
    return f"{sep}{name}={value}"


def redact(text: str) -> str:
    text = _SECRET.sub(r"\1[hidden]", text)
    text = _API_TOKEN.sub(r"\1[hidden]", text)
    return _PARAM.sub(_param, text)


class RedactingStream:
    """A file-like wrapper (for eventlet's access log) that redacts each line it writes."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.write(redact(text))

    def flush(self) -> None:
        self.stream.flush()


def redact_gevent_access_log() -> None:
    """Make gevent's WSGI server write its access lines through `redact`.

    Under gevent, Flask-SocketIO starts `gevent.pywsgi.WSGIServer` with `log="default"`, which
    writes each line (`WSGIHandler.format_request`) straight to stderr, and passes no way to
    change that. Called once by `python -m facilitator.serve`, before serving; gunicorn's gevent
    worker logs through `GunicornLogger` instead."""
    from gevent import pywsgi

    original = pywsgi.WSGIHandler.format_request
    if getattr(original, "redacted", False):
        return

    def format_request(self):
        return redact(original(self))

    format_request.redacted = True
    pywsgi.WSGIHandler.format_request = format_request


try:  # gunicorn is only there in production installs
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover
    _GunicornLogger = None

if _GunicornLogger is not None:
    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger with the request line and path of each access-log line redacted."""

        def atoms(self, resp, req, environ, request_time):
            """Every part a line can show, redacted: the request line, path and query, and also
            the referer, the redirect target (a Location to /j/<code>) and any header or environ
            value a custom access_log_format may name."""
            atoms = super().atoms(resp, req, environ, request_time)
            for key, value in atoms.items():
                if isinstance(value, str):
                    atoms[key] = redact(value)
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
