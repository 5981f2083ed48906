"""Entry point for `make run`: monkey-patch first, then build the app and serve it."""
import os
import warnings

ASYNC = os.environ.get("FACILITATOR_ASYNC", "eventlet")
if ASYNC == "eventlet":
    # eventlet announces at import that it is in maintenance mode (see DESIGN.md); known, and
    # not something the person starting the server can act on.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
elif ASYNC == "gevent":
    from gevent import monkey

    monkey.patch_all()
    try:
        from psycogreen.gevent import patch_psycopg

        patch_psycopg()
    except ImportError:  # psycopg2 then blocks the hub while it waits on PostgreSQL
        pass


def main() -> None:
    from facilitator import create_app
    from facilitator.extensions import socketio

    app = create_app()
    if os.environ.get("FACILITATOR_WORKERS", "1") == "1":
        # The only process: any connection rows in the database were left by a previous run.
        from facilitator.actions.participants import do_reset_presence
        from facilitator.extensions import db

        with app.app_context():
            do_reset_presence()
            db.session.commit()
    from facilitator.jobs import start_jobs

    start_jobs(app)  # breakout warnings and ends; every process runs it, each step is claimed once
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f"\n  Facilitator is running: http://{host}:{port}/", flush=True)
    print("  First facilitator account:  .venv/bin/flask --app facilitator create-facilitator EMAIL NAME", flush=True)
    print("  (or set SIGNUP_ENABLED=true to allow sign-up on the web)\n", flush=True)
    kwargs = {"host": host, "port": port, "log_output": os.environ.get("ACCESS_LOG", "0") == "1"}
    if ASYNC == "eventlet":
        # eventlet's server accepts at most 1024 connections at a time unless told otherwise.
        kwargs["max_size"] = int(os.environ.get("MAX_CONNECTIONS", "5000"))
    socketio.run(app, **kwargs)


if __name__ == "__main__":
    main()
