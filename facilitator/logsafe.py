"""Access-log lines without the secrets some URLs carry: the join code (/j/, /r/, ?code=), the
observer key and the co-facilitator invitation key. Used by `python -m facilitator.serve` and by
gunicorn (gunicorn_conf.logger_class) when ACCESS_LOG=1."""
from __future__ import annotations

import re

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
