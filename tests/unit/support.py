"""Shared by the unit, socket and web layers: a full database dump, and the Zulip-style verify_action."""
from __future__ import annotations

from collections import defaultdict

from facilitator.access import Actor
from facilitator.events import OUTBOUND, pending
from facilitator.extensions import db
from facilitator.models import EventStream, Meeting
from facilitator.state import apply_event, snapshot


def dump_db(app) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: compare before and after to prove nothing changed."""
    with app.app_context():
        db.session.remove()
        out = {}
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = db.session.execute(db.select(table).order_by(*order)).all()
            out[table.name] = [tuple(r) for r in rows]
        db.session.remove()
        return out


def stream_seqs(meeting_id: int) -> dict[str, int]:
    rows = db.session.execute(
        db.select(EventStream.stream, EventStream.seq).where(EventStream.meeting_id == meeting_id)
    ).all()
    return dict(rows)


def facilitator(meeting_id: int, user_id: int) -> Actor:
    return Actor("facilitator", meeting_id, user_id=user_id)


def participant(meeting_id: int, participant_id: int, role: str = "participant") -> Actor:
    return Actor(role, meeting_id, participant_id=participant_id)


def stream_kind(stream: str) -> str:
    if stream[:1] in ("p", "b") and stream[1:].isdigit():
        return "participant" if stream[0] == "p" else "breakout"
    return stream


def declared_spec(type_: str, op: str, kind: str):
    """The declaration of an outbound event for one kind of stream (keyed by stream or not)."""
    spec = OUTBOUND.get((type_, op, kind)) or OUTBOUND.get((type_, op))
    return spec if spec is not None and kind in spec.streams else None


def assert_envelope_matches_declaration(env: dict) -> None:
    """The event's data has exactly the fields its declared dump schema produces (what AsyncAPI documents)."""
    kind = stream_kind(env["stream"])
    spec = OUTBOUND.get((env["type"], env["op"], kind))
    assert spec is not None, env
    declared = {f.data_key or name for name, f in spec.schema().dump_fields.items()}
    assert set(env["data"]) == declared, (env["type"], env["op"], set(env["data"]) ^ declared)


def verify_action(app, meeting_id: int, actors: list[Actor], action, *, record: list | None = None,
                  names: dict | None = None, step: str = "") -> list[dict]:
    """Run `action(meeting)` inside one transaction and check, Zulip-style, that for each actor
    the events addressed to their streams turn their old snapshot into a fresh one.

    Also checks that every stream's seq grew by exactly one per event, with no gaps, and that
    nothing was emitted before the commit. Returns the envelopes published.

    With `record` (a list), each actor's case is appended to it for the browser's reducer to
    replay (tests/unit/reducer_cases.py): their old snapshot, the events they receive, the state
    after each as `state.apply_event` makes it, and the fresh snapshot; `names` labels actors.
    """
    with app.app_context():
        db.session.remove()
        meeting = db.session.get(Meeting, meeting_id)
        before = {a: snapshot(meeting, a) for a in actors}
        seqs_before = stream_seqs(meeting_id)
        db.session.commit()  # snapshots read only; start the action in a fresh transaction
        assert pending() == []

        meeting = db.session.get(Meeting, meeting_id)
        action(meeting)
        queued = pending()
        envelopes = [env for _room, env in queued]
        db.session.commit()
        assert pending() == [], "events must leave the queue at commit"

        # seq: exactly +1 per event on each stream, starting right after the stored value
        by_stream: dict[str, list[int]] = defaultdict(list)
        for env in envelopes:
            assert_envelope_matches_declaration(env)
            if env["stream"] == "gate":
                assert env["seq"] is None and env["data"] == {}
                continue
            by_stream[env["stream"]].append(env["seq"])
        seqs_after = stream_seqs(meeting_id)
        for stream, got in by_stream.items():
            start = seqs_before.get(stream, 0)
            assert got == list(range(start + 1, start + 1 + len(got))), (stream, start, got)
            assert seqs_after[stream] == start + len(got)
        for stream, value in seqs_before.items():
            if stream not in by_stream:
                assert seqs_after[stream] == value, f"{stream} moved without an event"

        # every room an envelope goes to matches its stream
        for room, env in queued:
            s = env["stream"]
            expect = {"meeting": f"meeting:{meeting_id}", "facilitators": f"meeting:{meeting_id}:facilitators",
                      "gate": f"meeting:{meeting_id}:gate"}.get(s, f"{stream_kind(s)}:{s[1:]}")
            assert room == expect

        db.session.remove()
        meeting = db.session.get(Meeting, meeting_id)
        for actor in actors:
            old = before[actor]
            mine = [e for e in envelopes if e["stream"] in old["seq"]]
            state, states = old, []
            for env in mine:
                state = apply_event(state, env)
                states.append(state)
            fresh = snapshot(meeting, actor)
            # Gate notices carry no seq and are never applied: a client still reading the rules
            # answers one with a sync (static/js/live.js `onEvent`), which brings the fresh snapshot.
            gate = [e for e in envelopes if e["stream"] == "gate"] if old.get("gate") else []
            if not gate:
                assert state == fresh, f"events for {actor.role} {actor} do not reproduce the fresh snapshot"
            if record is not None and (mine or gate):
                record.append({"step": step, "actor": (names or {}).get(actor, actor.role), "role": actor.role,
                               "snapshot": old, "events": mine, "expected": states, "fresh": fresh,
                               "resync": gate})
        db.session.remove()
        return envelopes


def of(envelopes: list[dict], stream: str | None = None, type_: str | None = None, op: str | None = None):
    return [e for e in envelopes if (stream is None or e["stream"] == stream)
            and (type_ is None or e["type"] == type_) and (op is None or e["op"] == op)]


def cheap_hasher():
    """Argon2id still, with the smallest cost: these layers make hundreds of accounts and logins.
    (Production keeps argon2-cffi's defaults; tests/web checks the hash format.)"""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def small_room(factory):
    """A live meeting: Ann and Bo inside, Olive observing, Gil still reading the rules; actors for each."""
    class Room:
        pass

    r = Room()
    r.uid = factory.user()
    r.mid, _ = factory.meeting(r.uid, state="live")
    r.ann = factory.join(r.mid, name="Ann")[1]
    r.bo = factory.join(r.mid, name="Bo")[1]
    r.obs = factory.join(r.mid, name="Olive", role="observer")[1]
    r.gil = factory.join(r.mid, name="Gil", ack=False)[1]
    r.fac = facilitator(r.mid, r.uid)
    r.actors = [r.fac, participant(r.mid, r.ann), participant(r.mid, r.bo), participant(r.mid, r.obs, "observer"),
                participant(r.mid, r.gil)]
    return r


def live_pg_meeting(app, title: str):
    """A live meeting with the default rules and its facilitator, committed: (meeting id, facilitator actor)."""
    from facilitator.actions.meetings import do_create_meeting, do_set_state
    from facilitator.models import User
    from facilitator.rule_templates import default_rules

    with app.app_context():
        user = User(email="f@example.org", display_name="Fran", password_hash="x")
        db.session.add(user)
        db.session.commit()
        m = do_create_meeting(user, {"title": title}, default_rules())
        db.session.commit()
        fac = facilitator(m.id, user.id)
        do_set_state(fac, m, "live")
        db.session.commit()
        return m.id, fac


def at_once(app, workers: int, fn) -> tuple[list, list[Exception]]:
    """Run `fn()` on `workers` threads released together, each in its own app context (its own
    session and connection, as on several workers): (their results, any exceptions)."""
    import threading

    barrier = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                barrier.wait()
                results.append(fn())
        except Exception as exc:  # the caller asserts there were none
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def press_at_once(app, meeting_id: int, presses: int, press) -> tuple[list[str], list[Exception]]:
    """`press(meeting)` from `presses` facilitators at once; each outcome is "moved", or the Conflict's code."""
    from facilitator.errors import Conflict

    def one():
        meeting = db.session.get(Meeting, meeting_id)
        try:
            press(meeting)
            db.session.commit()
            return "moved"
        except Conflict as exc:
            db.session.rollback()
            return exc.code

    return at_once(app, presses, one)


def connect(app, *participant_ids: int) -> None:
    """Their page connects (`do_connect`, as the socket layer does): presence `connected`.

    Joining leaves someone `left` until a socket connects; the floor gives turns only to people
    who are connected (a dropped connection is passed over), so tests of the floor connect them."""
    from facilitator.actions.participants import do_connect
    from facilitator.models import Participant

    with app.app_context():
        db.session.remove()
        for pid in participant_ids:
            p = db.session.get(Participant, pid)
            do_connect(db.session.get(Meeting, p.meeting_id), f"test-sid-{pid}", "test", participant=p)
        db.session.commit()
        db.session.remove()


def drop(app, *participant_ids: int) -> None:
    """Their connection drops (`do_disconnect` of the socket `connect` made): presence `reconnecting`."""
    from facilitator.actions.participants import do_disconnect

    with app.app_context():
        db.session.remove()
        for pid in participant_ids:
            do_disconnect(f"test-sid-{pid}", "transport close")
        db.session.commit()
        db.session.remove()
