"""gunicorn settings for Facilitator: `gunicorn -c python:facilitator.gunicorn_conf facilitator.wsgi:app`.

One worker per gunicorn process, always: a Socket.IO connection lives in the process that
accepted it, so to use more cores run more gunicorn processes on different ports, with the
same DATABASE_URL, SECRET_KEY and SOCKETIO_MESSAGE_QUEUE, behind a proxy with sticky sessions
(docs/deploy.md). Read from the environment: FACILITATOR_ASYNC (eventlet | gevent),
HOST, PORT, MAX_CONNECTIONS (connections one process holds; eventlet's default is 1024),
ACCESS_LOG=1.
"""
import os
import warnings

from facilitator.startup import max_connections  # the package loads nothing else at import

# eventlet and gunicorn's eventlet worker both announce their maintenance status at import: known
# (see DESIGN.md), and not something the person starting the server can act on. The worker is
# forked from the process that reads this file, so the filters apply there too.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
warnings.filterwarnings("ignore", message=r"The eventlet worker is deprecated")

_ASYNC = os.environ.get("FACILITATOR_ASYNC", "eventlet")
if _ASYNC not in ("eventlet", "gevent"):
    raise SystemExit(f"FACILITATOR_ASYNC must be eventlet or gevent under gunicorn, not {_ASYNC!r}")

worker_class = _ASYNC
workers = 1
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
# The cap on simultaneous connections of the one worker (eventlet's and gevent's pool size); the
# worker raises its open-files limit to match (facilitator.startup.raise_open_files).
worker_connections = max_connections()
# Never load the app in the master: the worker must monkey-patch before anything imports sockets.
preload_app = False
# An async worker notifies the master from its hub; a worker blocked longer than this is restarted.
timeout = int(os.environ.get("WORKER_TIMEOUT", "30"))
graceful_timeout = 10
keepalive = 5
accesslog = "-" if os.environ.get("ACCESS_LOG", "0") == "1" else None
logger_class = "facilitator.logsafe.GunicornLogger"  # access lines without join codes or link keys
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = f"facilitator:{os.environ.get('PORT', '5000')}"
# gunicorn 25 opens a control socket at one fixed path per user; two processes on one machine would
# fight over it, and nothing here uses it.
control_socket_disable = True
