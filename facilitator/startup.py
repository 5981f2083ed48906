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


# File descriptors a process needs besides its clients' sockets: database and Redis connections,
# log files, the listening socket, the interpreter's own.
SPARE_FILES = 200


def max_connections() -> int:
    """MAX_CONNECTIONS: simultaneous connections one process holds (see gunicorn_conf)."""
    return int(os.environ.get("MAX_CONNECTIONS", "5000"))


def raise_open_files(connections: int) -> tuple[int, int]:
    """Raise this process's soft limit on open files so that it can hold `connections` sockets.

    A connection is a file descriptor, and the usual soft limit is 1024: a process told to hold
    5,000 connections would start refusing them (EMFILE, "Too many open files") at about a
    thousand. The soft limit may be raised up to the hard one without privileges, so it is, to
    what is needed or the hard limit, whichever is lower; when even the hard limit is short,
    the log says so at start rather than under load. Returns the (soft, hard) limits now in force."""
    import logging
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + SPARE_FILES
    if soft != resource.RLIM_INFINITY and soft < wanted:
        soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if soft != resource.RLIM_INFINITY and soft < wanted:
        logging.getLogger(__name__).warning(
            "open-files limit %d is below the %d this process needs for MAX_CONNECTIONS=%d: raise it "
            "(ulimit -n, or LimitNOFILE in a systemd unit) or lower MAX_CONNECTIONS", soft, wanted, connections)
    return soft, hard


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


DEFAULT_GC_THRESHOLD = (5_000, 5, 1_000)


def tune_gc() -> None:
    """Make the garbage collector's pauses rare in a long-running server process.

    With Python's default thresholds (700, 10, 10), a worker holding 3,000 connections ran a full
    collection every few seconds under `make bench`, each pausing every connection for up to
    0.75 s and together taking about a sixth of the worker's CPU. So: everything built at start-up
    (modules, mappers, the app) is moved out of the collector's reach (`gc.freeze`), and the
    thresholds are raised (`GC_THRESHOLD`, three integers, or `default`). Cyclic garbage is still
    collected, less often; peak RSS in the benchmark stayed the same.

    What a collection of the young or middle generation costs grows with its threshold, and the
    total does not: under `make bench`, every setting from (5000, 5, 1000) to (20000, 10, 100)
    spent about 5.7 s of a run collecting, but the middle generation's longest pause was 126 ms at
    (5000, 5, 1000), 340 ms at (5000, 10, 100), 449 ms at (10000, 10, 100) and 279 ms at
    (20000, 10, 100), and those pauses are what the realistic rate's p99 is made of. Smaller
    still, (700, 10, 1000), spent twice the CPU: requests still in flight at each collection
    survive it and are scanned again. No full collection ran in a benchmark run.

    `GC_STATS=1` logs, when the process exits, how many collections of each generation ran and
    their longest pause (how the figures above were measured).
    """
    import gc

    setting = os.environ.get("GC_THRESHOLD", "").strip()
    if setting != "default":
        threshold = DEFAULT_GC_THRESHOLD
        if setting:
            try:
                threshold = tuple(int(x) for x in setting.split(","))
                if len(threshold) != 3 or min(threshold) < 1:
                    raise ValueError
            except ValueError:
                raise SystemExit(f"GC_THRESHOLD must be three positive integers (e.g. 20000,10,100) or "
                                 f"'default', not {setting!r}") from None
        gc.collect()
        gc.freeze()
        gc.set_threshold(*threshold)
    if os.environ.get("GC_STATS") == "1":
        _log_gc_pauses()


def _log_gc_pauses() -> None:
    import atexit
    import gc
    import logging
    import time

    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started = [0.0]

    def timing(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses[info["generation"]].append(time.perf_counter() - started[0])

    def report() -> None:
        for generation, seconds in pauses.items():
            if seconds:
                logging.getLogger("facilitator.gc").warning(
                    "gc generation %d: %d collections, %.2f s in all, longest %.0f ms", generation, len(seconds),
                    sum(seconds), 1000 * max(seconds))

    gc.callbacks.append(timing)
    atexit.register(report)
