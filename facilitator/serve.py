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
    from facilitator.startup import green_psycopg

    green_psycopg()


def main() -> None:
    from facilitator import create_app
    from facilitator.extensions import socketio
    from facilitator.startup import max_connections, prepare, raise_open_files, tune_gc

    raise_open_files(max_connections())
    app = create_app()
    prepare(app)
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f"\n  Facilitator is running: http://{host}:{port}/", flush=True)
    from facilitator.web.firstrun import ensure_setup_code

    with app.app_context():
        code = ensure_setup_code(app)
    if code is not None:
        print(f"  No account yet: open http://{host}:{port}/setup and enter the set-up code {code}", flush=True)
        print("  (or: .venv/bin/flask --app facilitator create-facilitator EMAIL NAME)\n", flush=True)
    kwargs = {"host": host, "port": port, "log_output": os.environ.get("ACCESS_LOG", "0") == "1"}
    if ASYNC == "eventlet":
        import sys

        from facilitator.logsafe import RedactingStream

        kwargs["log"] = RedactingStream(sys.stderr)  # no join codes or link keys in the access log
        # eventlet's server accepts at most 1024 connections at a time unless told otherwise.
        kwargs["max_size"] = max_connections()
    elif ASYNC == "gevent":
        from facilitator.logsafe import redact_gevent_access_log

        redact_gevent_access_log()  # gevent's server writes its own access lines, unredacted
    tune_gc()  # last before serving: what start-up built is frozen out of the collector's reach
    socketio.run(app, **kwargs)


if __name__ == "__main__":
    main()
