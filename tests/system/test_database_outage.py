"""PostgreSQL briefly unreachable from a server process (a proxy between them is cut, since the
shared server cannot be stopped): actions are refused with the code `unavailable` and no trace,
nothing is half-written, and once the database is reachable again the very next action works."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from .cluster import Cluster
from .tcp_proxy import CuttableProxy
from .test_restart import call

pytestmark = pytest.mark.system


def through(url: str, port: int) -> str:
    return url.replace("@127.0.0.1:5432/", f"@127.0.0.1:{port}/")


def test_actions_fail_clearly_while_postgresql_is_away_and_work_again_after(pg_database, tmp_path):
    proxy = CuttableProxy("127.0.0.1", 5432)
    cluster = Cluster(pg_database, tmp_path, n=1, worker_database_url=through(pg_database, proxy.port))
    direct = sa.create_engine(pg_database)
    try:
        meeting = cluster.open_meeting("Database outage")
        ann, ann_received, _ = cluster.participant(cluster.join("Ann", 0), 0, enter=True)
        bo, _, _ = cluster.participant(cluster.join("Bo", 0), 0, enter=True)
        fac, fac_received = cluster.facilitator(0)
        assert call(ann, "chat.send", {"channel": "main", "text": "before"})["ok"]

        def rows():
            with direct.connect() as conn:
                return (conn.execute(sa.text("SELECT text FROM chat_messages ORDER BY id")).scalars().all(),
                        conn.execute(sa.text("SELECT count(*) FROM hands")).scalar_one(),
                        dict(conn.execute(sa.text("SELECT stream, seq FROM event_streams WHERE meeting_id = :m"),
                                          {"m": meeting["id"]}).all()))

        before = rows()
        proxy.cut()
        unavailable = {"code": "unavailable", "fields": {},
                       "message": "The server cannot reach its database just now. Nothing was changed; "
                                  "please try again in a moment."}
        for client, name, data in ((ann, "chat.send", {"channel": "main", "text": "during"}),
                                   (bo, "hand.raise", {"kind": "new"}),
                                   (fac, "floor.next", {}),
                                   (ann, "sync", {})):
            assert call(client, name, data) == {"ok": False, "error": unavailable}, name
        r = cluster.api("GET", f"/api/v1/meetings/{meeting['id']}")
        assert r.status_code == 503 and r.json()["error"]["code"] == "unavailable"
        # Nothing was half-written: no message, no hand, no sequence number taken.
        assert rows() == before
        assert ann.connected and fac.connected  # the live connections themselves never depended on it

        proxy.restore()
        # The very next action works: dead pooled connections are noticed and replaced.
        assert call(ann, "chat.send", {"channel": "main", "text": "after"})["ok"]
        assert call(bo, "hand.raise", {"kind": "new"})["ok"]
        texts, hands, seqs = rows()
        assert texts == ["before", "after"] and hands == 1
        assert seqs["meeting"] == before[2]["meeting"] + 2
        assert cluster.api("GET", f"/api/v1/meetings/{meeting['id']}").status_code == 200
        # Clients saw consecutive numbers across the outage: no number was used by a refused action.
        chats = [e for e in ann_received if e["type"] == "chat"]
        assert [e["data"]["text"] for e in chats] == ["before", "after"]
        seqs_seen = [e["seq"] for e in ann_received if e["stream"] == "meeting"]
        assert seqs_seen == list(range(seqs_seen[0], seqs_seen[0] + len(seqs_seen)))
        # The server logged the outage as such, and no socket event failed as an internal error.
        log = cluster.workers[0].err.read_text()
        assert "socket event chat.send: database unavailable (OperationalError)" in log
        assert "socket event chat.send failed" not in log and "socket event hand.raise failed" not in log
    finally:
        cluster.close()
        direct.dispose()
        proxy.close()
