"""What every server process does before it serves, whichever way it is started
(`python -m facilitator.serve`, or gunicorn through `facilitator.wsgi`)."""
from __future__ import annotations

import os


def green_psycopg() -> None:
    """Under gevent, let psycopg2 yield to other greenlets while it waits on PostgreSQL."""
    try:
        from psycogreen.gevent import patch_psycopg
    except ImportError:  # psycopg2 then blocks the whole process while it waits
        return
    patch_psycopg()


def prepare(app) -> None:
    """Clear stale presence (only when this is the only process) and start the timed jobs."""
    if os.environ.get("FACILITATOR_WORKERS", "1") == "1":
        # The only process: any connection rows in the database were left by a previous run.
        from .actions.participants import do_reset_presence
        from .extensions import db

        with app.app_context():
            do_reset_presence()
            db.session.commit()
    from .jobs import start_jobs

    start_jobs(app)  # breakout warnings and ends; every process runs it, each step is claimed once
