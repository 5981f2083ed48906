"""Presence across processes when one of them dies without a word.

A closed connection is recorded by the process that held it. A process killed with SIGKILL (or
lost with its machine) records nothing, and its connection rows would show people as connected
for ever. So with a Redis message queue each process announces in Redis that it is alive (a key
with a short expiry, renewed by the timed-jobs loop), and every process clears the connection
rows of a process whose announcement has been missing for longer than the expiry: its people
become `reconnecting`, exactly as if their connections had closed, until they reconnect.

Missing must last a full expiry before anything is cleared, so a Redis restart (which forgets
every key) clears nothing: live processes announce again within a third of it. A lone process
needs none of this; it clears every row when it starts (startup.prepare).
"""
from __future__ import annotations

import logging
import time

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .actions.participants import do_reset_presence
from .extensions import db
from .models import Connection
from .sockets.connection import WORKER_ID

log = logging.getLogger(__name__)


class Liveness:
    def __init__(self, redis_url: str, channel: str, worker_id: str, ttl: float, clock=time.monotonic):
        import redis

        self.redis = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix, self.worker_id, self.ttl, self.clock = f"{channel}:alive:", worker_id, ttl, clock
        self._last_beat: float | None = None
        self._last_sweep = clock()
        self._missing_since: dict[str, float] = {}

    def beat(self) -> None:
        self.redis.set(self.prefix + self.worker_id, "1", px=int(self.ttl * 1000))

    def sweep(self) -> list[str]:
        """Clear the rows of processes missing for a whole expiry; returns the ones cleared."""
        now = self.clock()
        workers = set(db.session.execute(db.select(Connection.worker).distinct()).scalars()) - {self.worker_id}
        db.session.commit()
        alive = dict(zip(workers, self.redis.mget([self.prefix + w for w in workers]) if workers else []))
        for w in list(self._missing_since):
            if w not in workers or alive.get(w) is not None:
                del self._missing_since[w]
        gone = []
        for w in sorted(workers):
            if alive.get(w) is not None:
                continue
            since = self._missing_since.setdefault(w, now)
            if now - since < self.ttl:
                continue
            try:
                do_reset_presence(worker_prefix=w)
                db.session.commit()
                gone.append(w)
            except (StaleDataError, IntegrityError):  # another process cleared the same rows first
                db.session.rollback()
            self._missing_since.pop(w, None)
        if gone:
            log.warning("cleared the connections of %d stopped process(es): %s", len(gone), ", ".join(gone))
        return gone

    def step(self) -> None:
        """One pass of the jobs loop: announce every third of the expiry, look for the dead as often."""
        now = self.clock()
        if self._last_beat is None or now - self._last_beat >= self.ttl / 3:
            self.beat()
            self._last_beat = now
        if now - self._last_sweep >= self.ttl / 3:
            self._last_sweep = now
            self.sweep()


def for_app(app) -> Liveness | None:
    """The liveness keeper for this process, when it shares a Redis message queue with others."""
    url = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    return Liveness(url, app.config.get("SOCKETIO_CHANNEL", "facilitator"), WORKER_ID,
                    float(app.config.get("WORKER_TTL_SECONDS", 15)))
