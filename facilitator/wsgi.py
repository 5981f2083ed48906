"""The WSGI entry point for gunicorn: `gunicorn -c python:facilitator.gunicorn_conf facilitator.wsgi:app`.

gunicorn's eventlet or gevent worker has monkey-patched the process before this module is
imported (the config module never preloads the app), so this only builds the app and starts
what every server process runs.
"""
import os

from facilitator import create_app
from facilitator.startup import green_psycopg, max_connections, prepare, raise_open_files, tune_gc

if os.environ.get("FACILITATOR_ASYNC", "eventlet") == "gevent":
    green_psycopg()
raise_open_files(max_connections())
app = create_app()
prepare(app)
tune_gc()  # last: what start-up built is frozen out of the collector's reach
