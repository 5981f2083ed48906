"""Deleted text does not stay on disk (issue 17, finding 7).

After delete-now, or the retention job's purge, every row of the meeting is gone; its text must be
gone from the bytes of the SQLite files as well. In WAL mode each committed change is first
appended to the `-wal` file, which kept the deleted meeting's text several times over until a
checkpoint, and a deleted row's bytes stay in its page's free space unless `secure_delete` is
on. Each test writes distinctive text (a phone number in a contact plan, a chat message, names),
checks that it is on disk, deletes the meeting, then reads the raw bytes of the database file,
its `-wal` and its `-shm`.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import event

from facilitator.actions import retention
from facilitator.extensions import db
from tests.system.content import delete_now, fill_meeting, make_owner, purge

PHONE = "+44 7700 900417 ask for Wren"
CHAT = "marmalade otter quokka 7731"
TAG = "Zyxwvq"  # in the meeting's title and its people's names


def database_files(app) -> list[Path]:
    main = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    return [p for p in (main, Path(f"{main}-wal"), Path(f"{main}-shm")) if p.exists()]


def occurrences(app) -> dict[str, dict[str, int]]:
    """How many times each distinctive string appears in each file, byte for byte."""
    out = {}
    for path in database_files(app):
        data = path.read_bytes()
        out[path.name] = {s: data.count(s.encode()) for s in (PHONE, CHAT, TAG)}
    return out


def found(app) -> dict[str, dict[str, int]]:
    return {name: {s: n for s, n in counts.items() if n} for name, counts in occurrences(app).items()
            if any(counts.values())}


def make_meetings(app) -> tuple[int, int]:
    with app.app_context():
        owner = make_owner()
        fill_meeting(owner, "Kept")
        mid = fill_meeting(owner, TAG, plan=PHONE, chat_text=CHAT)
    on_disk = found(app)
    # The text is on disk before the delete (else the assertions after it prove nothing).
    assert {s for counts in on_disk.values() for s in counts} == {PHONE, CHAT, TAG}, on_disk
    return owner, mid


def test_delete_now_leaves_none_of_the_meetings_text_in_the_database_files(app):
    owner, mid = make_meetings(app)
    with app.app_context():
        delete_now(owner, mid)
        assert "Kept group" in db.session.execute(db.text("SELECT title FROM meetings")).scalars().all()
    assert found(app) == {}


def test_a_retention_purge_leaves_none_of_the_meetings_text_in_the_database_files(app):
    owner, mid = make_meetings(app)
    with app.app_context():
        purge(owner, mid)
    assert found(app) == {}


def test_deleted_rows_are_overwritten_even_where_sqlite_does_not_do_it_by_default(app):
    """Some SQLite builds (Debian's among them) overwrite deleted content by default, most do not.
    Every connection of the app asks for it: here each new connection first switches it off, as
    such a build would have it, and the deleted text must still not be found."""
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect", insert=True)
    def _build_default_off(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA secure_delete=OFF")

    with app.app_context():
        engine.dispose()
    owner, mid = make_meetings(app)
    with app.app_context():
        delete_now(owner, mid)
    assert found(app) == {}
    with app.app_context():
        assert db.session.execute(db.text("PRAGMA secure_delete")).scalar() == 1


def test_a_checkpoint_kept_busy_by_a_reader_is_owed_and_done_by_the_next_purge_pass(app, monkeypatch):
    """Another connection reading the database as it was before the delete keeps the log from
    being emptied: delete-now still succeeds, without waiting on SQLite's lock (busy timeout 0
    for the checkpoint, put back afterwards), the checkpoint is owed, and the next purge pass of
    the timed jobs does it once the reader has finished."""
    monkeypatch.setattr(retention, "_checkpoint_owed", False, raising=False)
    owner, mid = make_meetings(app)
    with app.app_context():
        engine = db.engine
    timeouts = []

    @event.listens_for(engine, "checkin")
    def _timeout_when_returned(dbapi_conn, _record):
        timeouts.append(dbapi_conn.execute("PRAGMA busy_timeout").fetchone()[0])

    reader = sqlite3.connect(database_files(app)[0], isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM meetings").fetchone() == (2,)  # holds its snapshot
        with app.app_context():
            delete_now(owner, mid)
        assert retention._checkpoint_owed is True
        assert CHAT in found(app).get("test.sqlite3-wal", {})  # still there while the reader reads
        assert reader.execute("SELECT count(*) FROM meetings").fetchone() == (2,)
    finally:
        reader.close()
    assert timeouts and set(timeouts) == {5000}

    with app.app_context():
        assert retention.purge_expired() == []
    assert retention._checkpoint_owed is False
    assert found(app) == {}


EVENTLET_PROBE = r'''
import eventlet
eventlet.monkey_patch()
import json, sqlite3, sys
from facilitator import create_app
from facilitator.actions import retention
from facilitator.extensions import db, socketio
from tests.system.content import delete_now, fill_meeting, make_owner

path = sys.argv[1]
app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": "sqlite:///" + path,
                  "SOCKETIO_ASYNC_MODE": "eventlet", "SOCKETIO_MESSAGE_QUEUE": None, "SERVER_NAME": "localhost"})
with app.app_context():
    db.create_all()
    owner = make_owner()
    fill_meeting(owner, "Kept")
    mid = fill_meeting(owner, sys.argv[2], plan=sys.argv[3], chat_text=sys.argv[4])

pauses = []
sleep = socketio.sleep
def recorded_sleep(seconds):
    pauses.append(seconds)
    sleep(seconds)
socketio.sleep = recorded_sleep

held = eventlet.event.Event()
def reader():
    """Reads the database as it was before the delete until the checkpoint has paused once."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM meetings").fetchone()
    held.send()
    while not pauses:
        eventlet.sleep(0)
    conn.execute("COMMIT")
    conn.close()
eventlet.spawn(reader)
held.wait()
with app.app_context():
    delete_now(owner, mid)
    db.session.remove()
    # Read while the app's connections are open: the last one to close would checkpoint anyway.
    assert db.engine.pool.checkedin() >= 1
    files = {}
    for name in (path, path + "-wal", path + "-shm"):
        try:
            data = open(name, "rb").read()
        except FileNotFoundError:
            continue
        files[name.rsplit(".", 1)[1]] = [s for s in sys.argv[2:5] if s.encode() in data]
print(json.dumps({"pauses": len(pauses), "owed": getattr(retention, "_checkpoint_owed", None), "found": files}))
'''


def test_under_eventlet_the_checkpoint_lets_a_busy_reader_finish_then_completes(tmp_path):
    """Under eventlet a wait inside SQLite blocks every green thread, the reader that holds the
    lock included, so a checkpoint that waited there would stay busy. The reader here lets go only
    once the checkpoint has paused (`socketio.sleep`, which yields to it); the checkpoint then
    completes, and the deleted text is gone from every file."""
    import json
    import subprocess
    import sys

    path = tmp_path / "green.sqlite3"
    out = subprocess.run([sys.executable, "-c", EVENTLET_PROBE, str(path), TAG, PHONE, CHAT],
                         capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"pauses": 1, "owed": False,
                      "found": {"sqlite3": [], "sqlite3-wal": [], "sqlite3-shm": []}}, result
