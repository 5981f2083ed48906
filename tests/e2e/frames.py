"""Reading raw Engine.IO frames from a websocket in tests, answering the server's pings as a client must."""
from __future__ import annotations

import time

import websocket


def until(ws, done, seconds: float = 15.0) -> list[str]:
    """Frames up to and including the first for which `done(frame)` holds (pings answered)."""
    got, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        ws.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            frame = ws.recv()
        except websocket.WebSocketTimeoutException:
            break
        if frame == "2":
            ws.send("3")
            continue
        got.append(frame)
        if done(frame):
            break
    return got
