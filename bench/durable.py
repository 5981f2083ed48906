"""The durable relay: the bare relay (bench/bare.py) plus the least an action can do to be kept,
one row inserted and committed on PostgreSQL before it is relayed and acknowledged.

It answers a question the bare relay cannot: how much of the gap between the app and the bare
stack is the price of writing each action down at all (a connection from the same pool, a
round trip for the statement and one for the commit, through SQLAlchemy Core on the green
psycopg2 driver), and how much is the app's own work. The app does more per action (reads the
state it checks, locks, numbers its events), so this is a ceiling for it, not a target.

Served like the bare relay, with DATABASE_URL naming a PostgreSQL database:
`gunicorn -c python:facilitator.gunicorn_conf bench.durable:app`.
"""
import os

import sqlalchemy as sa
from flask_socketio import SocketIO, emit, join_room

from facilitator.app import App
from facilitator.config import engine_options

# The app's Flask class: socket events' request contexts skip the failed route match (and the
# reference cycle it left for the garbage collector), as the app's do; see facilitator/app.py.
app = App(__name__)
socketio = SocketIO(app, async_mode=os.environ.get("FACILITATOR_ASYNC", "eventlet"), ping_interval=5,
                    ping_timeout=5, max_http_buffer_size=64 * 1024)

_URL = os.environ["DATABASE_URL"]
# The app's own engine settings (pool size, timeouts), so the two pay the same per connection.
engine = sa.create_engine(_URL, **engine_options(_URL, os.environ))
meta = sa.MetaData()
relayed = sa.Table("bench_relayed", meta,
                   sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
                   sa.Column("room", sa.String(40), nullable=False),
                   sa.Column("k", sa.Integer, nullable=False),
                   sa.Column("sent", sa.Float))
meta.create_all(engine)
_INSERT = relayed.insert()


@socketio.on("connect")
def _connect(auth=None):
    join_room((auth or {}).get("room", "lobby"))


@socketio.on("act")
def _act(data):
    with engine.begin() as conn:
        conn.execute(_INSERT, {"room": data["room"], "k": data.get("k", 0), "sent": data.get("t")})
    emit("event", {"type": "relay", "op": "act", "t": data.get("t"), "k": data.get("k")}, to=data["room"])
    return {"ok": True}


from facilitator.startup import tune_gc  # noqa: E402

tune_gc()
