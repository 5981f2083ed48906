"""Closing sockets across two workers (issue 17, finding 1): signing out everywhere, removing a
participant and deleting a meeting close sockets held by the *other* worker, found by the rooms the
server put them in, even after their `Connection` rows are gone (as a forged `disconnect` event made
them go). Real gunicorn workers, Redis as the message queue, PostgreSQL.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text

from ..helpers import needs_service
from .cluster import Cluster, wait_for
from .test_restart import call

pytestmark = pytest.mark.system


def forget_rows(database_url: str, where: str, **params) -> int:
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            return conn.execute(text(f"DELETE FROM connections WHERE {where}"), params).rowcount
    finally:
        engine.dispose()


def test_sockets_on_the_other_worker_close_without_their_rows(pg_database, tmp_path):
    needs_service("redis")
    cluster = Cluster(pg_database, tmp_path, n=2)
    try:
        meeting = cluster.open_meeting("Closing group")
        mid = meeting["id"]
        on_a, _ = cluster.facilitator(0)
        on_b, heard_on_b = cluster.facilitator(1)  # the same account's console on the other worker
        sam, sam_heard, _ = cluster.participant(cluster.join("Sam", 1), 1, enter=True)
        bea, bea_heard, _ = cluster.participant(cluster.join("Bea", 1), 1, enter=True)
        ids = cluster.participant_ids()

        # Sign out everywhere, from worker A, with the account's rows gone: B's console closes too.
        assert forget_rows(pg_database, "user_id IS NOT NULL") == 2
        page = cluster.fac_http.get(cluster.workers[0].url + "/meetings/", timeout=10).text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        r = cluster.fac_http.post(cluster.workers[0].url + "/logout", data={"csrf_token": csrf}, timeout=10,
                                  allow_redirects=False)
        assert r.status_code == 302
        assert wait_for(lambda: not on_a.connected and not on_b.connected), "a console outlived sign-out"
        heard_on_b.clear()
        assert call(bea, "support.send")["ok"] is True
        assert wait_for(lambda: any(e["type"] == "support" for e in bea_heard), timeout=5)
        assert heard_on_b == []

        # Removal over the REST-less path: a new console on A removes Sam, held by B, with no row.
        cluster.fac_http = None
        console, _ = cluster.facilitator(0)
        assert forget_rows(pg_database, "participant_id = :pid", pid=ids["Sam"]) == 1
        assert call(console, "participant.remove", {"participant_id": ids["Sam"]})["ok"] is True
        assert wait_for(lambda: not sam.connected), "a removed participant's socket on the other worker stayed"
        sam_heard.clear()
        assert call(bea, "chat.send", {"channel": "main", "text": "after Sam left"})["ok"] is True
        assert wait_for(lambda: any(e["type"] == "chat" for e in bea_heard), timeout=5)
        assert not any(e["type"] == "chat" for e in sam_heard)

        # Delete-now through the API on worker A, with the meeting's rows gone: Bea (on B) is closed.
        assert forget_rows(pg_database, "meeting_id = :mid", mid=mid) >= 2
        assert cluster.api("DELETE", f"/api/v1/meetings/{mid}").status_code == 204
        assert wait_for(lambda: not bea.connected and not console.connected), "a socket outlived its meeting"
    finally:
        cluster.close()
