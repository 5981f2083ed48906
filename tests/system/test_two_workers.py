"""Two real server processes behind the Redis message queue, sharing one PostgreSQL database.

Both run the timed-jobs loop, so both try to end an expired breakout round: it must end exactly
once, and every client, whichever process it is connected to, hears "returned" exactly once.
Events that one process emits reach clients of the other through Redis.
"""
from __future__ import annotations

import os
import threading
import time
import uuid

import pytest
import requests

from ..e2e.conftest import SCRUBBED, free_port, run_flask, stop
from ..helpers import needs_service
from .cluster import Cluster, wait_for
from .test_restart import Server, call, connect, csrf_session

pytestmark = pytest.mark.system


def returned(received: list) -> list:
    return [e for e in received if (e["type"], e["op"]) == ("breakout", "returned")]


def test_an_expired_round_ends_once_across_two_workers(pg_database, tmp_path):
    needs_service("redis")
    channel = f"facilitator-test-{uuid.uuid4().hex[:8]}"
    base = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    base.update({"HOST": "127.0.0.1", "FACILITATOR_INSTANCE": str(tmp_path), "DATABASE_URL": pg_database,
                 "SECRET_KEY": "two-workers-secret", "PYTHONUNBUFFERED": "1", "FACILITATOR_WORKERS": "2",
                 "SOCKETIO_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0", "SOCKETIO_CHANNEL": channel})
    run_flask(base, "db", "upgrade")
    run_flask(base, "create-facilitator", "fac@example.org", "Fran", "--password", "correct horse battery")
    token = run_flask(base, "create-api-token", "fac@example.org", "two workers").stdout.strip()
    workers = []
    for _ in range(2):
        env = dict(base, PORT=str(free_port()))
        server = Server(env, tmp_path / f"w{env['PORT']}")
        server.tmp_path.mkdir()
        server.start()
        workers.append(server)
    a, b = workers
    clients = []
    try:
        headers = {"Authorization": f"Bearer {token}"}
        meeting = requests.post(a.url + "/api/v1/meetings", json={"title": "Two workers"}, headers=headers,
                                timeout=10).json()
        assert requests.post(b.url + f"/api/v1/meetings/{meeting['id']}/state", json={"state": "live"},
                             headers=headers, timeout=10).status_code == 200

        # Four participants, two on each worker; the facilitator on worker A.
        people = {}
        for i, name in enumerate(("Ann", "Bo", "Cat", "Dev")):
            server = workers[i % 2]
            s, csrf = csrf_session(server.url + f"/j/{meeting['join_code']}")
            r = s.post(server.url + f"/j/{meeting['join_code']}", json={"display_name": name},
                       headers={"X-CSRFToken": csrf}, timeout=10)
            client, received = connect(server.url, {"token": r.json()["token"]})
            clients.append(client)
            snap = call(client, "sync")["snapshot"]
            assert call(client, "rules.ack", {"version": snap["rules"]["version"]})["ok"]
            call(client, "sync")  # now inside: the connection joins the meeting's rooms
            people[name] = (client, received, r.json()["participant_id"])
        fac_http, csrf = csrf_session(a.url + "/login")
        fac_http.post(a.url + "/login", data={"email": "fac@example.org", "password": "correct horse battery",
                                              "csrf_token": csrf}, timeout=10)
        fac, fac_received = connect(a.url, {"meeting_id": meeting["id"]}, http_session=fac_http)
        clients.append(fac)

        # A mid-session event from worker B reaches a client of worker A through Redis.
        assert call(people["Bo"][0], "me.status", {"mic": "on"})["ok"]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(
                e["type"] == "people" and e["data"]["name"] == "Bo" and e["data"]["mic"] == "on" for e in fac_received):
            time.sleep(0.1)
        assert any(e["type"] == "people" and e["data"]["mic"] == "on" for e in fac_received)

        created = call(fac, "breakout.create", {"rooms": 2, "duration_seconds": 10, "warn_seconds": 4})
        assert created["ok"], created
        round_id = created["round"]["id"]
        assert call(fac, "breakout.auto", {"round_id": round_id, "mode": "random"})["ok"]
        assert call(fac, "breakout.open", {"round_id": round_id})["ok"]
        for client, _, _ in people.values():
            call(client, "sync")  # the browser does this on "assigned": into the room's stream

        # Both workers' job loops race for the end; wait for everyone to be told.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not all(returned(r) for _, r, _ in people.values()):
            time.sleep(0.2)
        time.sleep(3)  # a second (wrong) end would arrive within the next job ticks

        for name, (_, received, pid) in people.items():
            got = returned(received)
            assert len(got) == 1, (name, got)
            assert got[0]["data"]["reason"] == "ended" and got[0]["stream"] == f"p{pid}"
            warnings = [e for e in received if (e["type"], e["op"]) == ("room", "warning")]
            assert len(warnings) == 1, (name, warnings)
        closed = [e for e in fac_received if (e["type"], e["op"]) == ("breakouts", "round")
                  and e["data"]["state"] == "closed"]
        assert len(closed) == 1 and closed[0]["data"]["close_reason"] == "ended"
        # Sequence numbers on the facilitators' stream have no gaps and no repeats across workers.
        seqs = [e["seq"] for e in fac_received if e["stream"] == "facilitators"]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    finally:
        for client in clients:
            try:
                client.disconnect()
            except Exception:
                pass
        for server in workers:
            stop(server.proc)


def test_clients_on_two_workers_get_the_same_events_numbered_alike(pg_database, tmp_path):
    """Three people on each worker and the facilitator on one act at the same time (hands,
    chat, turns called): every client, on either worker, receives the same meeting events after
    the start, identical and numbered without gaps or repeats.

    Arrival order is not the numbering: events are numbered when their transaction commits and
    sent after it, so two close commits (here, on different workers, through Redis) may arrive
    the other way round. Clients apply them by number (static/js/live.js, tested in
    tests/e2e/test_live_order.py), so every client ends in the same state."""
    needs_service("redis")
    cluster = Cluster(pg_database, tmp_path, n=2)
    try:
        cluster.open_meeting("Same events")
        fac, fac_received = cluster.facilitator(1)
        names = ("Ann", "Bo", "Cat", "Dev", "Eli", "Fay")
        people = {name: cluster.participant(cluster.join(name, i % 2), i % 2, enter=True)
                  for i, name in enumerate(names)}
        start = call(fac, "sync")["snapshot"]["seq"]["meeting"]

        acks: list[tuple[str, str, dict]] = []
        lock = threading.Lock()

        def act(name: str) -> None:
            client = people[name][0]
            steps = [("hand.raise", {"kind": "new"}), ("chat.send", {"channel": "main", "text": f"{name} one"}),
                     ("hand.lower", {}), ("chat.send", {"channel": "main", "text": f"{name} two"}),
                     ("hand.raise", {"kind": "new"}), ("chat.send", {"channel": "main", "text": f"{name} three"})]
            for event, data in steps:
                ack = call(client, event, data)
                with lock:
                    acks.append((name, event, ack))

        def call_turns() -> None:
            for _ in range(4):
                ack = call(fac, "floor.next")
                with lock:
                    acks.append(("facilitator", "floor.next", ack))
                time.sleep(0.05)

        threads = [threading.Thread(target=act, args=(n,)) for n in names] + [threading.Thread(target=call_turns)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not any(t.is_alive() for t in threads)
        # Everything that could succeed did; a hand may already be down (called to speak), and
        # the queue may be empty when a turn is called.
        for who, event, ack in acks:
            assert ack["ok"] or ack["error"]["code"] in {"not_raised", "speaking", "queue_empty"}, (who, event, ack)
        sent = {f"{n} {w}" for n in names for w in ("one", "two", "three")}
        assert sum(1 for _, e, a in acks if e == "chat.send" and a["ok"]) == len(sent)
        assert any(e == "floor.next" and a["ok"] for _, e, a in acks)

        # A last message, written after all the rest, is the end of the stream for everyone.
        assert call(people["Ann"][0], "chat.send", {"channel": "main", "text": "the end"})["ok"]
        everyone = {**{n: p[1] for n, p in people.items()}, "facilitator": fac_received}

        def has_end(received):
            return any(e["type"] == "chat" and e["stream"] == "meeting" and e["data"].get("text") == "the end"
                       for e in received)

        assert wait_for(lambda: all(has_end(r) for r in everyone.values()), timeout=20), \
            [n for n, r in everyone.items() if not has_end(r)]

        def by_number(received):
            """The meeting's events after the start, as a client applies them: by seq."""
            return sorted(((e["seq"], e["type"], e["op"], e["data"]) for e in received
                           if e["stream"] == "meeting" and e["seq"] > start), key=lambda t: t[0])

        reference = by_number(fac_received)
        seqs = [s for s, *_ in reference]
        assert seqs == list(range(start + 1, start + 1 + len(seqs)))  # no gap, no repeat
        assert {d["text"] for _, t, _, d in reference if t == "chat"} == sent | {"the end"}
        assert any(t == "floor" for _, t, _, _ in reference)
        for name, received in everyone.items():
            assert by_number(received) == reference, name
    finally:
        cluster.close()
