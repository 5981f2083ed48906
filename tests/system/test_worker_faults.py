"""Faults survived by a cluster of gunicorn workers on Redis and PostgreSQL.

- A worker is SIGKILLed while people are writing: everyone reconnects (to the restarted worker
  or to the other one), resyncs, and every acknowledged message and hand is still there; whoever
  does not come back is shown as reconnecting once the dead process's silence is noticed.
- Redis is restarted (with the command it was started with, and left running): both workers
  resubscribe and events flow between them again.
"""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import redis

from ..helpers import in_ci, needs_service
from .cluster import Cluster, in_order, wait_for
from .test_restart import call

pytestmark = pytest.mark.system


def main_texts(snapshot: dict) -> list[str]:
    return [m["text"] for m in snapshot["chat"]["main"]]


def test_a_worker_killed_mid_session_loses_no_acknowledged_action(pg_database, tmp_path):
    needs_service("redis")
    # A process silent in Redis for 4 s is taken for dead (15 s in production).
    cluster = Cluster(pg_database, tmp_path, n=2, env={"WORKER_TTL_SECONDS": "4"})
    try:
        cluster.open_meeting("Killed worker")
        fac, fac_received = cluster.facilitator(1)
        # Four writers on worker 0 (the one to be killed), one reader on worker 1.
        writers = {name: cluster.join(name, 0) for name in ("Ann", "Bo", "Dee", "Eve")}
        cat_token = cluster.join("Cat", 1)
        clients = {name: cluster.participant(tok, 0, enter=True)[0] for name, tok in writers.items()}
        cat, cat_received, _ = cluster.participant(cat_token, 1, enter=True)
        assert call(clients["Bo"], "hand.raise", {"kind": "process"})["ok"]

        # Round-robin chat from worker 0 until it dies; keep what was acknowledged, in order.
        acked: list[str] = []
        refused: list[dict] = []
        eight_acked = threading.Event()

        def write():
            for i in itertools.count():
                name = ("Ann", "Bo", "Dee", "Eve")[i % 4]
                text = f"{name} {i}"
                try:
                    ack = call(clients[name], "chat.send", {"channel": "main", "text": text})
                except Exception:  # the worker died under this call: no ack, so no promise either
                    return
                if ack["ok"]:
                    acked.append(text)
                else:
                    refused.append(ack)
                if len(acked) >= 8:
                    eight_acked.set()
                if i >= 19:  # the chat rate limit allows 5 per person per 10 s
                    return

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        assert eight_acked.wait(20), (acked, refused)
        killed = cluster.workers[0].kill_worker()
        writer.join(15)
        assert not writer.is_alive()
        assert refused == [] and len(acked) >= 8
        for client in clients.values():
            client.disconnect()

        # gunicorn boots a fresh worker on the same port; Dee comes back there, Ann and Bo move to
        # worker 1, and Eve does not come back.
        cluster.workers[0].wait_serving()
        assert cluster.workers[0].worker_pid() != killed
        back = {}
        for name, worker in (("Ann", 1), ("Bo", 1), ("Dee", 0)):
            client, received, snap = cluster.participant(writers[name], worker)
            assert snap["me"]["name"] == name and snap["gate"] is False
            back[name] = (client, received, snap)
            texts = main_texts(snap)
            # Every acknowledged message is there, in the order acknowledged; at most the one message
            # that was in flight when the worker died (committed, its ack lost) comes on top.
            assert [t for t in texts if t in acked] == acked
            assert len(texts) - len(acked) in (0, 1), (texts, acked)
        assert back["Bo"][2]["hand"]["raised"] is True and back["Bo"][2]["hand"]["kind"] == "process"

        # The killed process recorded nothing of its connections closing; once it has been silent
        # in Redis for the expiry, a live process clears them: Eve shows as reconnecting, and the
        # people who came back stay connected.
        def presence():
            return {p["name"]: p["presence"] for p in call(fac, "sync")["snapshot"]["private"]["people"]}

        assert wait_for(lambda: presence()["Eve"] == "reconnecting", timeout=30, step=1), presence()
        assert presence() == {"Ann": "connected", "Bo": "connected", "Cat": "connected", "Dee": "connected",
                              "Eve": "reconnecting"}

        # The facilitator on the surviving worker resyncs to the same state.
        fac_snap = call(fac, "sync")["snapshot"]
        assert [h["name"] for h in fac_snap["private"]["queue"]["hands"]] == ["Bo"]
        assert main_texts(fac_snap) == main_texts(back["Ann"][2])

        # The session goes on across workers: Dee (restarted worker) writes, Ann (worker 1) reads it
        # through Redis, right after the state her snapshot showed.
        ann_client, ann_received, ann_snap = back["Ann"]
        assert call(back["Dee"][0], "chat.send", {"channel": "main", "text": "after the crash"})["ok"]
        assert wait_for(lambda: any(e["type"] == "chat" and e["data"]["text"] == "after the crash"
                                    for e in ann_received))
        got = next(e for e in ann_received if e["type"] == "chat" and e["data"]["text"] == "after the crash")
        assert got["seq"] > ann_snap["seq"]["meeting"]
        # Every client saw each stream's events in order, without repeats, on either worker.
        for received in (fac_received, cat_received, ann_received, back["Dee"][1]):
            in_order(received, "meeting")
        in_order(fac_received, "facilitators")
        assert wait_for(lambda: any(e["type"] == "chat" and e["data"]["text"] == "after the crash"
                                    for e in cat_received))
    finally:
        cluster.close()


# ---- Redis restart -----------------------------------------------------------------------------

REDIS_SETTINGS = ("port", "bind", "save", "appendonly", "dir", "logfile", "daemonize")


def redis_start_command(client: redis.Redis) -> list[str]:
    """The command that started the running redis-server. Redis rewrites its process title to
    `redis-server host:port`, so /proc only has the real arguments when it was not rewritten;
    otherwise the same settings are read back from the server itself."""
    info = client.info("server")
    pid = int(info["process_id"])
    args = [a for a in Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0") if a]
    exe = shutil.which("redis-server") or "redis-server"
    if len(args) > 1 and any(a.startswith("--") or a.endswith(".conf") for a in args[1:]):
        return [exe, *args[1:]]
    config = client.config_get("*")
    cmd = [exe] + ([info["config_file"]] if info.get("config_file") else [])
    for key in REDIS_SETTINGS:
        cmd += [f"--{key}", *(config[key].split() if key == "bind" else [config[key]])]
    if config["daemonize"] != "yes":  # it must outlive this test
        cmd[cmd.index("--daemonize") + 1] = "yes"
    return cmd


def restart_redis() -> None:
    """Stop Redis and start it again at once with its own command; other tests share it."""
    client = redis.Redis(host="127.0.0.1", port=6379, socket_timeout=5)
    owner = os.stat(f"/proc/{client.info('server')['process_id']}").st_uid
    if os.getuid() not in (0, owner):  # it could be stopped but not started again: leave it alone
        message = "Redis runs as another user; this test could not start it again"
        pytest.fail(message) if in_ci() else pytest.skip(message)
    cmd = redis_start_command(client)
    try:
        client.shutdown(nosave=True)
    except redis.exceptions.ConnectionError:
        pass  # the server closes the connection as it stops
    assert wait_for(lambda: not _answers(), timeout=10, step=0.02)
    subprocess.run(cmd, check=True, timeout=20, start_new_session=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert wait_for(_answers, timeout=20, step=0.02), "Redis did not come back"


def _answers() -> bool:
    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


def _speaker_id(floor: dict) -> int | None:
    speaker = floor.get("speaker")
    return speaker.get("participant_id", speaker.get("id")) if speaker else None


def test_redis_restart_resumes_delivery_between_workers(pg_database, tmp_path):
    needs_service("redis")
    cluster = Cluster(pg_database, tmp_path, n=2)
    try:
        cluster.open_meeting("Redis restart")
        fac, fac_received = cluster.facilitator(0)
        cat, cat_received, _ = cluster.participant(cluster.join("Cat", 1), 1, enter=True)

        def fac_sees_mic(state):
            return any(e["type"] == "people" and e["data"]["name"] == "Cat" and e["data"]["mic"] == state
                       for e in fac_received)

        assert call(cat, "me.status", {"mic": "on"})["ok"]
        assert wait_for(lambda: fac_sees_mic("on"))

        restart_redis()

        # Worker 1 publishes, worker 0 delivers (and back). A message emitted while a worker is still
        # reconnecting is lost on the wire (clients resync on the gap), so keep acting until one
        # arrives; both workers resubscribe within a few seconds.
        states = itertools.cycle(["muted", "on"])
        resumed = False
        for _ in range(30):
            state = next(states)
            assert call(cat, "me.status", {"mic": state})["ok"]  # the database is untouched: always acknowledged
            if wait_for(lambda: fac_sees_mic(state), timeout=1):
                resumed = True
                break
        assert resumed, "no event from worker 1 reached worker 0's client after Redis came back"

        # And the other way: the facilitator on worker 0 gives Cat the floor and takes it back.
        cat_id = cluster.participant_ids()["Cat"]
        resumed = False
        for _ in range(15):
            for name, data in (("floor.call", {"participant_id": cat_id}), ("floor.end", {})):
                assert call(fac, name, data)["ok"]
                speaker = cat_id if name == "floor.call" else None
                if wait_for(lambda: any(e["type"] == "floor" and _speaker_id(e["data"]) == speaker
                                        for e in cat_received[-3:]), timeout=1):
                    resumed = True
            if resumed:
                break
        assert resumed, "no event from worker 0 reached worker 1's client after Redis came back"
        in_order(cat_received, "meeting")
        in_order(fac_received, "facilitators")
        assert _answers()  # left running for everyone else
    finally:
        cluster.close()
