"""The bare stack: Flask-SocketIO on the same async server and settings as the app, doing
nothing but join a room on connect and relay each action to the room with an ack. The
benchmark runs the same fan-out against it to show the stack's own ceiling.

Served by gunicorn with the app's own config: `gunicorn -c python:facilitator.gunicorn_conf bench.bare:app`.
"""
import os

from flask_socketio import SocketIO, emit, join_room

from facilitator.app import App

# The app's Flask class: socket events' request contexts skip the failed route match (and the
# reference cycle it left for the garbage collector), as the app's do; see facilitator/app.py.
app = App(__name__)
socketio = SocketIO(app, async_mode=os.environ.get("FACILITATOR_ASYNC", "eventlet"), ping_interval=5,
                    ping_timeout=5, max_http_buffer_size=64 * 1024)


@socketio.on("connect")
def _connect(auth=None):
    join_room((auth or {}).get("room", "lobby"))


@socketio.on("act")
def _act(data):
    emit("event", {"type": "relay", "op": "act", "t": data.get("t"), "k": data.get("k")}, to=data["room"])
    return {"ok": True}

# The same process settings as the app's server processes (facilitator.startup.tune_gc), so the
# comparison is of the work done per action, not of garbage-collector settings.
from facilitator.startup import tune_gc  # noqa: E402

tune_gc()
