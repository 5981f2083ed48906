"""Protections at the Socket.IO / Engine.IO transport, beneath every handler.

What python-socketio does not do for us, and an attack on the running server showed:

- Reserved event names. A client frame such as `42["disconnect",{}]` was dispatched to the app's
  own disconnect handler (and `connect` to the connect handler). Inbound events named `connect`,
  `disconnect`, `connect_error`, `disconnecting`, `newListener`, `removeListener` or `*` (the
  catch-all's key), and events whose name is not a non-empty string, are refused before dispatch,
  on every namespace, with the usual error ack when they carry an ack id.
- Floods. Every event of a connection counts against a rate (`events`: at most N in any T
  seconds), and only `in_flight` of its events may be running at once (Flask-SocketIO runs each
  in its own green thread). An event over either limit is answered at once with a `rate_limited`
  ack and `fields.retry_after`, without running. A connection refused more than `refusals` times
  in T seconds is closed. A connection's frames are read in turns (`FAIR_TURN`), so one that
  keeps its socket full cannot keep the worker from everyone else.
- Sessions that never sign in. An Engine.IO session with no accepted Socket.IO connection is
  "unauthenticated": at most `unauthenticated_per_address` of them per client address (the
  address as `PROXY_HOPS` trusts it, as the rate limits in limits.py use), and each is closed if it
  has not connected within `connect_seconds`. A refused Socket.IO connect, or the last namespace
  left or closed by the server, closes the transport `close_after_refusal_seconds` later: long
  enough for a long-polling client to fetch the refusal, and no further CONNECT is read from it.
- An oversized long-polling POST (over `SOCKETIO_MAX_HTTP_BUFFER_SIZE`) got no HTTP response at
  all (Engine.IO waits for its session's queue to drain, which nobody does): it is answered 413
  and its session closed.

Applied by `guard(socketio, app)` right after `socketio.init_app`: the server Flask-SocketIO made
becomes a `Guarded` server (same object, a subclass), and its Engine.IO handlers, registered as
bound methods when it was made, are registered again. Limits are per process, like the other
in-memory limits: a connection lives in one process. Only sessions of this server's own
Engine.IO transport are limited; Flask-SocketIO's test client has none (it skips the transport)
and gets only the reserved-name refusal. Numbers: `TRANSPORT_LIMITS` (config.py).
"""
from __future__ import annotations

import json
import logging
import threading
import time
import urllib.parse
from collections import deque

import socketio
from socketio import packet

from ..config import DEFAULTS

log = logging.getLogger(__name__)

RESERVED = frozenset({"connect", "disconnect", "connect_error", "disconnecting", "newListener",
                      "removeListener", "*"})
# A connection's frames are handled this many at a time before the reader lets others run.
FAIR_TURN = 16


def _error(code: str, message: str, fields: dict | None = None) -> dict:
    return {"ok": False, "error": {"code": code, "message": message, "fields": fields or {}}}


def bad_event_name(data) -> str | None:
    """Why an inbound EVENT's data may not be dispatched (None if it may)."""
    if not isinstance(data, list) or not data:
        return "An event needs a name."
    name = data[0]
    if not isinstance(name, str) or not name:
        return "An event name must be a non-empty string."
    if name in RESERVED:
        return f"{name!r} is reserved and cannot be sent by a client."
    return None


class Conn:
    """What the guard knows of one Engine.IO session of this process."""

    __slots__ = ("eio_sid", "address", "deadline", "namespaces", "refused", "closing", "in_flight", "hits",
                 "refusals", "frames")

    def __init__(self, eio_sid: str, address: str, deadline: float):
        self.eio_sid, self.address = eio_sid, address
        self.deadline: float | None = deadline  # close then if still no namespace is connected
        self.namespaces: set[str] = set()
        self.refused = False  # a CONNECT was refused: the session is on its way out
        self.closing = False
        self.in_flight = 0
        self.hits: deque = deque()  # times of events let through, within the window
        self.refusals: deque = deque()  # times of events refused for a limit, within the window
        self.frames = 0


class Guarded(socketio.Server):
    """socketio.Server with the protections above (see `guard`)."""

    def _setup_guard(self, limits: dict) -> None:
        self._limits_per, self._limits_window = int(limits["events"][0]), float(limits["events"][1])
        self._in_flight_max = int(limits["in_flight"])
        self._refusals_max = int(limits["refusals"])
        self._unauth_max = int(limits["unauthenticated_per_address"])
        self._connect_seconds = float(limits["connect_seconds"])
        self._grace = float(limits["close_after_refusal_seconds"])
        self._conns: dict[str, Conn] = {}
        self._unauth: dict[str, dict[str, Conn]] = {}  # address -> {eio_sid: conn} without a namespace
        self._guard_lock = threading.Lock()
        self._sweeper = None
        self.eio.on("connect", self._handle_eio_connect)
        self.eio.on("message", self._handle_eio_message)
        self.eio.on("disconnect", self._handle_eio_disconnect)

    # -- HTTP: oversized long-polling POSTs, and the per-address cap on new sessions ------------------
    def handle_request(self, environ, start_response):
        early = self._refuse_request(environ)
        if early is None:
            return super().handle_request(environ, start_response)
        status, body, headers = early
        headers = [("Content-Type", "application/json"), *headers, *self.eio._cors_headers(environ)]
        start_response(status, headers)
        return [json.dumps(body).encode()]

    def _refuse_request(self, environ) -> tuple[str, dict, list] | None:
        method = environ.get("REQUEST_METHOD")
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        sid = query.get("sid", [None])[0]
        if method == "POST" and sid is not None:
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > self.eio.max_http_buffer_size:
                # Engine.IO would close the session and then wait for its queue to drain, which only a
                # GET does: the POST never got an answer. Close without waiting, and say why.
                sock = self.eio.sockets.get(sid)
                if sock is not None and not sock.closed:
                    sock.close(wait=False, abort=False, reason=self.reason.TRANSPORT_ERROR)
                log.info("closed a long-polling session: a POST of %d bytes (limit %d)", length,
                         self.eio.max_http_buffer_size)
                return ("413 Payload Too Large",
                        _error("too_large", f"A request may carry at most {self.eio.max_http_buffer_size} bytes; "
                                            "this connection was closed."), [("Connection", "close")])
        if method == "GET" and sid is None:
            address = _address(environ)
            with self._guard_lock:
                waiting = len(self._unauth.get(address, ()))
            if waiting >= self._unauth_max:
                wait = max(1, int(self._connect_seconds + 0.999))
                return ("429 Too Many Requests",
                        _error("rate_limited", "Too many connections from your network are still signing in. "
                                               "Please try again in a moment.", {"retry_after": wait}),
                        [("Retry-After", str(wait))])
        return None

    # -- Engine.IO sessions ------------------------------------------------------------------------
    def _handle_eio_connect(self, eio_sid, environ):
        super()._handle_eio_connect(eio_sid, environ)
        if eio_sid not in self.eio.sockets:  # Flask-SocketIO's test client calls this without a transport
            return
        conn = Conn(eio_sid, _address(environ), time.monotonic() + self._connect_seconds)
        with self._guard_lock:
            self._conns[eio_sid] = conn
            self._unauth.setdefault(conn.address, {})[eio_sid] = conn
            start = self._sweeper is None
            if start:
                self._sweeper = True
        if start:
            self._sweeper = self.start_background_task(self._sweep_forever)

    def _handle_eio_disconnect(self, eio_sid, reason):
        try:
            super()._handle_eio_disconnect(eio_sid, reason)
        finally:
            with self._guard_lock:
                conn = self._conns.pop(eio_sid, None)
                if conn is not None:
                    conn.closing = True
                    self._set_waiting(conn, None)

    def _set_waiting(self, conn: Conn, deadline: float | None) -> None:
        """Mark `conn` as without a namespace until `deadline` (None: it has one, or is gone). Locked."""
        conn.deadline = deadline
        waiting = self._unauth.setdefault(conn.address, {})
        if deadline is None or conn.closing:
            waiting.pop(conn.eio_sid, None)
        else:
            waiting[conn.eio_sid] = conn
        if not waiting:
            del self._unauth[conn.address]

    def _close(self, conn: Conn, reason) -> None:
        """Close the Engine.IO session now, without waiting for its queue (a GET may never come)."""
        conn.closing = True
        sock = self.eio.sockets.get(conn.eio_sid)
        if sock is not None and not sock.closed:
            sock.close(wait=False, abort=False, reason=reason)

    def _sweep_forever(self) -> None:
        while True:
            self.sleep(1.0)
            try:
                now = time.monotonic()
                with self._guard_lock:
                    due = [c for waiting in self._unauth.values() for c in waiting.values()
                           if c.deadline is not None and c.deadline <= now and not c.namespaces]
                for conn in due:
                    log.info("closed an Engine.IO session from %s that had no accepted connection", conn.address)
                    self._close(conn, self.reason.SERVER_DISCONNECT)
                    with self._guard_lock:
                        self._set_waiting(conn, None)
            except Exception:  # the sweeper must outlive any one bad session
                log.exception("transport sweeper")

    # -- Socket.IO packets -------------------------------------------------------------------------
    def _handle_eio_message(self, eio_sid, data):
        conn = self._conns.get(eio_sid)
        if conn is None:  # not this transport's session (Flask-SocketIO's test client)
            return super()._handle_eio_message(eio_sid, data)
        if conn.closing:
            return
        conn.frames += 1
        try:
            super()._handle_eio_message(eio_sid, data)
        except Exception as exc:  # an undecodable or unexpected packet: one line, no traceback
            log.info("refused a malformed packet from %s: %s", conn.address, type(exc).__name__)
            self._count_refusal(conn, time.monotonic())
        if conn.frames % FAIR_TURN == 0:
            self.sleep(0)  # let the others run: a socket kept full would otherwise be read without a pause

    def _handle_connect(self, eio_sid, namespace, data):
        conn = self._conns.get(eio_sid)
        if conn is None:
            return super()._handle_connect(eio_sid, namespace, data)
        if conn.refused:
            return  # refused once: the session is closing, and no other credential is tried on it
        namespace = namespace or "/"
        super()._handle_connect(eio_sid, namespace, data)
        sid = self.manager.sid_from_eio_sid(eio_sid, namespace)
        accepted = sid is not None and self.manager.is_connected(sid, namespace)
        with self._guard_lock:
            if accepted:
                conn.namespaces.add(namespace)
                self._set_waiting(conn, None)
            elif not conn.namespaces:
                conn.refused = True
                self._set_waiting(conn, time.monotonic() + self._grace)

    def _handle_disconnect(self, eio_sid, namespace, reason=None):
        super()._handle_disconnect(eio_sid, namespace, reason)
        self._left(eio_sid, namespace or "/")

    def disconnect(self, sid, namespace=None, ignore_queue=False):
        namespace = namespace or "/"
        eio_sid = self.manager.eio_sid_from_sid(sid, namespace)
        super().disconnect(sid, namespace=namespace, ignore_queue=ignore_queue)
        if eio_sid is not None and not self.manager.is_connected(sid, namespace):
            self._left(eio_sid, namespace)

    def _left(self, eio_sid, namespace: str) -> None:
        """A namespace was left (by the client or the server): with none left, the transport goes too."""
        conn = self._conns.get(eio_sid)
        if conn is None:
            return
        with self._guard_lock:
            conn.namespaces.discard(namespace)
            if not conn.namespaces and not conn.closing:
                conn.refused = True
                self._set_waiting(conn, time.monotonic() + self._grace)

    def _handle_event(self, eio_sid, namespace, id, data):
        namespace = namespace or "/"
        sid = self.manager.sid_from_eio_sid(eio_sid, namespace)
        if not self.manager.is_connected(sid, namespace):
            return  # as python-socketio: nothing for a connection that is not (or no longer) accepted
        conn = self._conns.get(eio_sid)
        if conn is not None:
            refusal = self._admit(conn)
            if refusal is not None:
                if not conn.closing:
                    self._ack(eio_sid, namespace, id, refusal)
                return
        problem = bad_event_name(data)
        if problem is not None:
            self._ack(eio_sid, namespace, id, _error("unknown_event", problem))
            return
        if conn is not None:
            with self._guard_lock:
                conn.in_flight += 1
        if self.async_handlers:
            self.start_background_task(self._run_event, conn, sid, eio_sid, data, namespace, id)
        else:
            self._run_event(conn, sid, eio_sid, data, namespace, id)

    def _run_event(self, conn: Conn | None, sid, eio_sid, data, namespace, id) -> None:
        try:
            self._handle_event_internal(self, sid, eio_sid, data, namespace, id)
        finally:
            if conn is not None:
                with self._guard_lock:
                    conn.in_flight -= 1

    def _ack(self, eio_sid, namespace, id, payload: dict) -> None:
        if id is not None:
            self._send_packet(eio_sid, self.packet_class(packet.ACK, namespace=namespace, id=id, data=[payload]))

    # -- limits --------------------------------------------------------------------------------------
    def _admit(self, conn: Conn) -> dict | None:
        """None to let the event run (counted), else the refusal to send (and the connection may close)."""
        now = time.monotonic()
        with self._guard_lock:
            hits = conn.hits
            while hits and hits[0] <= now - self._limits_window:
                hits.popleft()
            if conn.in_flight >= self._in_flight_max:
                wait, message = 0.5, ("This connection has too many requests waiting for an answer. "
                                      "Please wait for them before sending more.")
            elif len(hits) >= self._limits_per:
                wait = max(0.01, round(hits[0] + self._limits_window - now, 2))
                message = "That is a lot of requests at once. Please wait a moment."
            else:
                hits.append(now)
                return None
        self._count_refusal(conn, now)
        return _error("rate_limited", message, {"retry_after": wait})

    def _count_refusal(self, conn: Conn, now: float) -> None:
        with self._guard_lock:
            refusals = conn.refusals
            refusals.append(now)
            while refusals and refusals[0] <= now - self._limits_window:
                refusals.popleft()
            over = len(refusals) > self._refusals_max and not conn.closing
        if over:
            log.warning("closed a connection from %s: more than %d requests refused in %g s", conn.address,
                        self._refusals_max, self._limits_window)
            self._close(conn, self.reason.SERVER_DISCONNECT)


def _address(environ) -> str:
    """The client's address as the app sees it: REMOTE_ADDR, which ProxyFix (outermost, with
    `PROXY_HOPS` > 0) has already set from X-Forwarded-For; `limits.client_address` reads the same."""
    return environ.get("REMOTE_ADDR") or "unknown"


def limits_of(app) -> dict:
    return {**DEFAULTS["TRANSPORT_LIMITS"], **(app.config.get("TRANSPORT_LIMITS") or {})}


def guard(socketio_ext, app) -> None:
    """Make the Socket.IO server Flask-SocketIO just built for `app` a `Guarded` one."""
    server = socketio_ext.server
    if not isinstance(server, Guarded):
        if type(server) is not socketio.Server:
            raise TypeError(f"cannot guard a {type(server).__name__}")
        server.__class__ = Guarded
    server._setup_guard(limits_of(app))
