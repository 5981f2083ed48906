"""Anti-automation: sliding-window rate limits, kept in this process's memory.

Per address (the client's IP, as the trusted proxy reports it; see `PROXY_HOPS` in config.py):
failed sign-ins and wrong set-up codes, unknown join codes and observer keys (looked up before the
code is, so a right guess past the limit is refused too), joins, and sign-ups. Per person in a
meeting (so that opening more connections gains nothing): hand raises and lowers, reactions and chat
messages (facilitators' too). A socket event names its limit where it is registered
(`@on(..., limit="hand")`) and the registry counts it once the action's check has let it through
(sockets/registry.py); pages and the API call `take`/`check`/`count` with the client's address. One
mechanism, one table of numbers.

Memory per process is enough: a socket connection lives in one process, and the proxy sends each
address to the same process (nginx `ip_hash`, docs/deploy.md), so one address's attempts are all
counted in one place. A restart forgets the counts, which costs an attacker a restart of ours.
The numbers (count, seconds) can be changed with the `RATE_LIMITS` setting; SECURITY.md states them.
"""
from __future__ import annotations

import threading
import time
from collections import deque

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import TooManyRequests

from .errors import ActionError

# name -> (at most this many, per this many seconds)
DEFAULT_LIMITS: dict[str, tuple[int, float]] = {
    "login": (10, 600.0),  # failed sign-ins (and wrong set-up codes) per address
    "code": (10, 600.0),  # unknown join codes and observer keys per address
    "join": (60, 60.0),  # participants and observers joining per address (a class behind one NAT fits)
    "signup": (5, 3600.0),  # sign-up attempts per address, when SIGNUP_ENABLED
    "hand": (8, 30.0),  # hand raises and lowers per person
    "reaction": (5, 3.0),  # reactions per participant
    "chat": (5, 10.0),  # chat messages per person (facilitators' messages, back-channel included)
}
# Settings that named a limit before RATE_LIMITS did, still read: name -> how to read it.
LEGACY = {"chat": lambda c: c.get("CHAT_RATE_LIMIT"),
          "reaction": lambda c: ((c["REACTION_LIMIT"], c.get("REACTION_PER_SECONDS", DEFAULT_LIMITS["reaction"][1]))
                                 if "REACTION_LIMIT" in c else None)}


class SlidingWindow:
    """At most `limit` hits per key in any `per` seconds."""

    def __init__(self, limit: int, per: float, clock=time.monotonic):
        self.limit, self.per, self.clock = limit, per, clock
        self._lock = threading.Lock()
        self._hits: dict[object, deque] = {}

    def _recent(self, key, now: float) -> deque:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.per:
            hits.popleft()
        return hits

    def wait(self, key) -> float | None:
        """None if `key` may go ahead now, else the seconds until it may (counts nothing)."""
        with self._lock:
            now = self.clock()
            hits = self._recent(key, now)
            if len(hits) < self.limit:
                return None
            return max(0.01, round(hits[0] + self.per - now, 2))

    def add(self, key) -> None:
        with self._lock:
            self._add(key, self.clock())

    def _add(self, key, now: float) -> None:
        self._recent(key, now).append(now)
        if len(self._hits) > 10000:  # forget keys that have been quiet for a whole window
            self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.per}

    def give_back(self, key, stamp: float) -> None:
        """Uncount the hit `take_stamped` recorded at `stamp` (an action let through, then refused);
        nothing if it has already left the window."""
        with self._lock:
            hits = self._hits.get(key)
            if hits and stamp in hits:
                hits.remove(stamp)

    def take_stamped(self, key) -> tuple[float | None, float | None]:
        """(None, the time the hit was counted at) if allowed, else (the seconds to wait, None)."""
        with self._lock:
            now = self.clock()
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                return max(0.01, round(hits[0] + self.per - now, 2)), None
            self._add(key, now)
            return None, now

    def take(self, key) -> float | None:
        """Count one hit if allowed: None, else the seconds to wait (and nothing counted)."""
        return self.take_stamped(key)[0]


def numbers(name: str, app: Flask) -> tuple[int, float]:
    """(count, seconds) of limit `name`: RATE_LIMITS, else an older setting of its own, else the default."""
    configured = app.config.get("RATE_LIMITS", {})
    if name in configured:
        return tuple(configured[name])
    legacy = LEGACY[name](app.config) if name in LEGACY else None
    return tuple(legacy) if legacy else DEFAULT_LIMITS[name]


def limiter(name: str, app: Flask | None = None) -> SlidingWindow:
    """This app's limiter called `name` (one set per app, so that tests never share one); made
    again, empty, if its numbers are changed."""
    app = app or current_app._get_current_object()
    limiters = app.extensions.setdefault("facilitator_limits", {})
    limit, per = numbers(name, app)
    window = limiters.get(name)
    if window is None or (window.limit, window.per) != (limit, per):
        window = limiters[name] = SlidingWindow(limit, per)
    return window


def client_address() -> str:
    return request.remote_addr or "unknown"


MESSAGES = {
    "login": "Too many sign-in attempts from your network. Please wait a few minutes and try again.",
    "code": "Too many unknown codes from your network. Please wait a few minutes, then check the code "
            "with your facilitator.",
    "join": "Too many people joining from your network at once. Please wait a minute and try again.",
    "signup": "Too many sign-ups from your network. Please try again later.",
    "hand": "That is a lot of raising and lowering. Please wait a moment.",
    "reaction": "That is a lot of reactions at once. Please wait a moment.",
    "chat": "That is a lot of messages at once: please wait a few seconds.",
}


class RateLimited(ActionError):
    """A socket action over its limit: the ack says so and when to try again (`fields.retry_after`)."""

    code = "rate_limited"
    status = 429


class Limited(TooManyRequests):
    """A request over its limit: a 429 page, or JSON for the join form and the API, with Retry-After."""

    def __init__(self, name: str, wait: float):
        super().__init__(MESSAGES[name], retry_after=max(1, int(wait + 0.999)))
        self.wait = wait


def check(name: str, key: str | None = None) -> None:
    """Refuse (429) if `key` (default: the client's address) is at its limit, counting nothing."""
    wait = limiter(name).wait(key or client_address())
    if wait is not None:
        raise Limited(name, wait)


def count(name: str, key: str | None = None) -> None:
    limiter(name).add(key or client_address())


def take(name: str, key: str | None = None) -> None:
    """Count one and go ahead, or refuse (429) without counting."""
    wait = limiter(name).take(key or client_address())
    if wait is not None:
        raise Limited(name, wait)


def take_for(name: str, key) -> float:
    """The socket form of `take`, for a person: a `rate_limited` ack with `retry_after`; returns the
    hit's stamp, for `give_back`."""
    wait, stamp = limiter(name).take_stamped(key)
    if wait is not None:
        raise RateLimited(MESSAGES[name], fields={"retry_after": wait})
    return stamp


def refuse_if_over(name: str, key) -> None:
    """Refuse (a `rate_limited` ack) someone already over limit `name`, counting nothing."""
    wait = limiter(name).wait(key)
    if wait is not None:
        raise RateLimited(MESSAGES[name], fields={"retry_after": wait})


def give_back(name: str, key, stamp: float) -> None:
    limiter(name).give_back(key, stamp)


def init_limits(app: Flask) -> None:
    @app.errorhandler(Limited)
    def _limited(exc: Limited):
        headers = {"Retry-After": str(exc.retry_after)}
        if request.path.startswith("/api/") or request.is_json or request.accept_mimetypes.best == "application/json":
            body = {"code": "rate_limited", "message": exc.description, "fields": {"retry_after": exc.wait}}
            return jsonify(ok=False, error=body), 429, headers
        return render_template("error.html", code=429, message=exc.description), 429, headers
