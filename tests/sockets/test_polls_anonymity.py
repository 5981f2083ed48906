"""Anonymous means unlinkable: run anonymous polls with several voters, then look at every table,
every log record (at DEBUG, SQL included) and every event and ack every client received, and find
nothing that puts a voter together with their answer."""
from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError

from facilitator.extensions import db
from tests.unit.support import dump_db

from .conftest import received

VOTERS = {  # name -> (text answer, choice label): words that appear nowhere else
    "Annwyn": ("marigold", "Amber"),
    "Bodhi": ("lighthouse", "Birch"),
    "Catriona": ("zeppelin", "Cedar"),
    "Dellwyn": ("quartzite", "Birch"),
}
ANSWER_TABLES = {"poll_voters", "poll_options", "poll_text_answers"}


def _keys(obj) -> set[str]:
    if isinstance(obj, dict):
        return set(obj) | set().union(*(_keys(v) for v in obj.values())) if obj else set()
    if isinstance(obj, list):
        return set().union(*(_keys(v) for v in obj)) if obj else set()
    return set()


def test_an_anonymous_poll_leaves_nothing_that_links_a_voter_to_an_answer(app, live, caplog):
    # The most talkative logs an operator could switch on: everything at DEBUG, and SQL statements,
    # parameters and rows too (SQLAlchemy keeps its own loggers at WARNING unless told).
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    acks: list[tuple[str, dict]] = []

    def call(client, owner, *args):
        ack = live.call(client, *args)
        acks.append((owner, ack))
        return ack

    f = live.facilitator()
    co = live.cofacilitator()
    voters = {name: live.participant(name=name) for name in VOTERS}
    quiet = live.participant(name="Quinn")  # inside, does not vote
    obs = live.participant(name="Oswin", role="observer")
    clients = {"facilitator": f, "cofacilitator": co, **voters, "Quinn": quiet, "Oswin": obs}
    for c in clients.values():
        received(c)

    text_poll = call(f, "facilitator", "poll.checkin", {"template": "arriving", "visibility": "live"})["poll"]
    labels = ["Amber", "Birch", "Cedar", "Dune"]
    choice_poll = call(f, "facilitator", "poll.create", {"kind": "single", "question": "Which tree?", "options": labels,
                                                         "launch": True, "visibility": "live"})["poll"]
    option = {o["label"]: o["id"] for o in choice_poll["options"]}
    inbox: dict[str, list[dict]] = {n: received(c) for n, c in clients.items()}

    during_votes: list[logging.LogRecord] = []
    for name, (word, label) in VOTERS.items():
        c = voters[name]
        for poll_id, answer in ((text_poll["id"], {"text": f"Arriving {word}"}),
                                (choice_poll["id"], {"choices": [option[label]]})):
            first = len(caplog.records)
            ack = call(c, name, "poll.vote", {"poll_id": poll_id, **answer})
            assert ack == {"ok": True, "changed": False}
            during_votes += caplog.records[first:]
            # what the facilitators hear from a vote: aggregates, nothing about who
            got = {n: received(cl) for n, cl in clients.items()}
            for n, envs in got.items():
                inbox[n] += envs
            for e in got["facilitator"] + got["cofacilitator"]:
                assert e["type"] == "poll" and e["data"].get("ballots") is None, e
            own = [e for e in got[name] if e["stream"].startswith("p")]
            assert [e["data"] for e in own] == [{"poll_id": poll_id, "voted": True, "choices": None, "text": None}]
    call(f, "facilitator", "poll.close", {"poll_id": choice_poll["id"]})
    for name, c in clients.items():
        acks.append((name, live.call(c, "sync")))
        inbox[name] += received(c)

    # the polls worked
    fac = live.call(f, "sync")["snapshot"]["private"]["polls"]
    assert sorted(fac[0]["results"]["answers"]) == sorted(f"Arriving {w}" for w, _ in VOTERS.values())
    assert {c["option_id"]: c["count"] for c in fac[1]["results"]["counts"]} == {
        option["Amber"]: 1, option["Birch"]: 2, option["Cedar"]: 1, option["Dune"]: 0}

    pids = {name: c.pid for name, c in voters.items()}

    # 1. The database: the tables that hold answers name nobody and keep no time; the one table
    #    that names voters holds nothing else; no hidden rowid keeps the order of writing.
    meta = db.metadata
    for name in ANSWER_TABLES:
        table = meta.tables[name]
        cols = {c.name for c in table.columns}
        if name == "poll_voters":
            assert cols == {"poll_id", "participant_id"}, cols
        else:
            assert not any(fk.column.table.name == "participants" for fk in table.foreign_keys), name
            assert not any("date" in str(c.type).lower() or "time" in str(c.type).lower() for c in table.columns)
    with app.app_context():
        for name in ("poll_voters", "poll_text_answers"):
            with pytest.raises(OperationalError):
                db.session.execute(text(f"SELECT rowid FROM {name}"))
            db.session.rollback()
        columns = {t: [c["name"] for c in inspect(db.engine).get_columns(t)] for t in meta.tables}
    dump = dump_db(app)
    for table, rows in dump.items():
        part_cols = [i for i, c in enumerate(columns[table])
                     if any(fk.column.table.name == "participants" for fk in meta.tables[table].c[c].foreign_keys)
                     or (table == "participants" and c == "id")]
        for row in rows:
            cells = " ".join(str(v) for v in row)
            for voter, (word, label) in VOTERS.items():
                names_voter = voter in cells or any(row[i] == pids[voter] for i in part_cols)
                has_answer = word in cells or (label in cells and table != "poll_options")
                assert not (names_voter and has_answer), (table, row)
    # and the answers are there, unattributed
    assert len(dump["poll_text_answers"]) == 4 and len(dump["poll_voters"]) == 8

    # 2. The logs: SQL was being logged, but not while a vote was handled, and no record names
    #    a voter together with an answer.
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records), "SQL logging was on"
    sql_while_voting = {r.getMessage() for r in during_votes if r.name.startswith("sqlalchemy")}
    assert sql_while_voting <= {"COMMIT"}, "no statement, parameter or row logged while a vote is handled"
    for r in caplog.records:
        msg = r.getMessage()
        for voter, (word, label) in VOTERS.items():
            assert not ((voter in msg or f"p{pids[voter]}'" in msg) and (word in msg or label in msg)), msg

    # 3. Every event and ack anyone received (snapshots included): answers travel only inside poll
    #    views, and a poll view names nobody; anyone's own vote record holds no answer.
    payloads = [(n, e) for n, envs in inbox.items() for e in envs] + [(n, a) for n, a in acks]
    assert len(payloads) > 40
    seen_answers = 0
    for owner, payload in payloads:
        for view in _polls_in(payload):
            blob = json.dumps(view)
            seen_answers += any(word in blob for word, _ in VOTERS.values())
            assert not _keys(view) & {"participant_id", "name", "display_name"}, (owner, blob[:300])
            assert view.get("ballots") is None and not any(v in blob for v in VOTERS), (owner, blob[:300])
        rest = json.dumps(_without_polls(payload))
        for word, label in VOTERS.values():
            assert word not in rest and label not in rest, (owner, word, rest[:300])
        for mine in _find(payload, "poll_id"):
            if "voted" in mine:
                assert mine["choices"] is None and mine["text"] is None, (owner, mine)
    assert seen_answers > 0, "the check looked at real answers"


def _find(payload, key) -> list[dict]:
    if isinstance(payload, dict):
        return ([payload] if key in payload else []) + [d for v in payload.values() for d in _find(v, key)]
    if isinstance(payload, list):
        return [d for v in payload for d in _find(v, key)]
    return []


def _without_polls(payload):
    if isinstance(payload, dict):
        if {"kind", "question", "results"} <= set(payload):
            return "<poll>"
        return {k: _without_polls(v) for k, v in payload.items()}
    if isinstance(payload, list):
        return [_without_polls(v) for v in payload]
    return payload


def _polls_in(payload) -> list[dict]:
    """Poll views inside an event or an ack (a snapshot holds several)."""
    if isinstance(payload, dict):
        found = [payload] if {"kind", "question", "results"} <= set(payload) else []
        for v in payload.values():
            found += _polls_in(v)
        return found
    if isinstance(payload, list):
        return [p for v in payload for p in _polls_in(v)]
    return []
