"""Recorded reducer cases: real actions run through `verify_action`, for every declared outbound event.

`record(app, factory)` runs one session through the real check/do actions (no hand-made envelopes):
a facilitator, participants in the main room and in a breakout room, an observer, and someone
still reading the ground rules. Each step goes through `verify_action`, which checks that the
events each of them receives turn their old snapshot into a fresh one (`state.apply_event`), and
records, per actor, the old snapshot, those events, the state after each event and the fresh
snapshot. Gate notices (no seq) are recorded as events the client must answer with a resync.

The cases are replayed through the browser's reducer (static/js/live.js `applyEvent`) in
tests/e2e/test_reducer_parity.py, and `missing_kinds` says which declared events
(`events.OUTBOUND`: type, op and kind of stream) no case carries: a new event without a case
fails both tests/unit/test_reducer_cases.py and the browser test.

The cases are generated at test time, never committed: they follow the code that makes them, so a
changed view or reducer cannot be checked against a stale recording. `write` keeps a copy in
test-results/reducer-cases.json for a person to look at.
"""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from facilitator.actions import agenda, chat, meetings, minutes, participants, polls, reactions, rules, safety, signals
from facilitator.actions import breakouts as bo
from facilitator.actions import floor
from facilitator.events import OUTBOUND
from facilitator.extensions import db
from facilitator.models import BreakoutRound, Meeting, Participant
from facilitator.schemas.polls import PollIn

from .support import facilitator, participant, stream_kind, verify_action

ROOT = Path(__file__).resolve().parents[2]
CASES_PATH = ROOT / "test-results" / "reducer-cases.json"


def kind_of(env: dict) -> tuple[str, str, str]:
    """An envelope's declared kind: (type, op, kind of stream)."""
    return env["type"], env["op"], stream_kind(env["stream"])


def covered(cases: list[dict]) -> set[tuple[str, str, str]]:
    return {kind_of(e) for c in cases for e in c["events"] + c["resync"]}


def missing_kinds(cases: list[dict]) -> list[tuple[str, str, str]]:
    """Declared outbound events that no case carries."""
    return sorted(set(OUTBOUND) - covered(cases))


def write(cases: list[dict], path: Path = CASES_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cases, ensure_ascii=False, indent=None), encoding="utf-8")
    return path


class Session:
    """The session the cases are recorded in, and one method per step."""

    def __init__(self, app, factory):
        self.app, self.cases = app, []
        self.uid = factory.user()
        self.mid, _ = factory.meeting(self.uid, state="live")
        self.pids = {n: factory.join(self.mid, name=n)[1] for n in ("Ann", "Ben", "Cat")}
        self.olly = factory.join(self.mid, name="Olly", role="observer")[1]
        self.gil = factory.join(self.mid, name="Gil", ack=False)[1]
        self.fac = facilitator(self.mid, self.uid)
        self.ann, self.ben, self.cat = (participant(self.mid, self.pids[n]) for n in ("Ann", "Ben", "Cat"))
        self.obs = participant(self.mid, self.olly, "observer")
        self.reader = participant(self.mid, self.gil)
        self.names = {self.fac: "facilitator", self.ann: "participant", self.ben: "participant in a room",
                      self.obs: "observer", self.reader: "reading the rules"}
        self.do(lambda m: [participants.do_connect(m, f"sid-{pid}", "cases", participant=db.session.get(Participant, pid))
                           for pid in self.pids.values()])

    def do(self, fn):
        """Set the scene (not recorded)."""
        with self.app.app_context():
            db.session.remove()
            out = fn(db.session.get(Meeting, self.mid))
            db.session.commit()
            db.session.remove()
            return out

    def step(self, name: str, action, *, reader: bool = False) -> list[dict]:
        """One real action, verified and recorded for everyone inside (and, with `reader`, for
        the person still reading the rules: only gate notices reach them, and a snapshot of theirs
        is only made new by the sync a notice asks for); its return value is kept."""
        out = {}

        def act(m):
            out["value"] = action(m)
        actors = [a for a in self.names if reader or a is not self.reader]
        verify_action(self.app, self.mid, actors, act, record=self.cases, names=self.names, step=name)
        return out.get("value")


def record(app, factory) -> list[dict]:
    """Run the session and return its cases (see the module's docstring)."""
    s = Session(app, factory)
    fac, ann, ben, cat = s.fac, s.ann, s.ben, s.cat

    # The meeting, people and the rules.
    s.step("meeting.update", lambda m: meetings.update_meeting(fac, m, {"title": "Thursday group, renamed"}))
    s.step("me.status", lambda m: participants.set_status(ann, {"mic": "on", "camera": "on"}))
    dee = s.step("someone joins", lambda m: participants.do_join(m, {"display_name": "Dee"})[0].id)
    s.step("they accept the rules", lambda m: rules.accept_rules(participant(s.mid, dee), 1))

    # The floor.
    s.step("hand.raise", lambda m: floor.raise_hand(ann, "new"))
    s.step("hand.raise (reply)", lambda m: floor.raise_hand(cat, "new"))
    s.step("floor.next", lambda m: floor.give_floor(fac, None))
    s.step("queue.move", lambda m: floor.move_hand(fac, s.pids["Cat"], 1))
    s.step("floor.end", lambda m: floor.end_turn(fac))
    s.step("goround.start", lambda m: floor.start_goround(fac, [s.pids["Ben"], s.pids["Ann"]], 60, False))
    s.step("goround.next", lambda m: floor.next_in_goround(fac, 0))
    s.step("goround.stop", lambda m: floor.stop_goround(fac))

    # Polls: launched with live results, a vote, closed, deleted; a draft deleted.
    definition = PollIn().load({"kind": "multiple", "question": "Which days?", "options": ["Mon", "Tue", "Wed"],
                                "visibility": "live"})
    poll_id = s.step("poll.create", lambda m: polls.do_create(m, dict(definition), launch=True).id)
    days = s.do(lambda m: [o.id for o in db.session.get(polls.Poll, poll_id).options])
    s.step("poll.vote", lambda m: polls.cast_vote(ann, poll_id, {"choices": days[:2]}))
    s.step("poll.close", lambda m: polls.close_poll(fac, poll_id))
    s.step("poll.delete", lambda m: polls.delete_poll(fac, poll_id))
    draft = s.step("poll.create (draft)", lambda m: polls.do_create(m, dict(definition)).id)
    s.step("poll.delete (draft)", lambda m: polls.delete_poll(fac, draft))

    # Reactions (a burst, as the flush after the window publishes it), signals, support.
    def burst(m):
        for kind in ("clap", "clap", "heart"):
            reactions.reactions_state().add(m.id, kind)
        reactions.do_flush(m.id)
    s.step("reactions.burst", burst)
    s.step("signal.raise", lambda m: signals.raise_signal(ann, "slow_down"))
    s.step("signal.clear", lambda m: signals.clear_signal(fac, s.pids["Ann"], "slow_down"))
    request = s.step("support.ask", lambda m: signals.ask_for_support(ann))
    s.step("support.ack", lambda m: signals.ack_support(fac, request["request"]["id"]))
    s.step("signal.raise (another)", lambda m: signals.raise_signal(ann, "need_break"))
    s.step("signal.lower", lambda m: signals.lower_signal(ann, "need_break"))
    s.step("support.ask (again)", lambda m: signals.ask_for_support(ann))
    s.step("support.withdraw", lambda m: signals.withdraw_support(ann))

    # Safety: settings, contact details and plans, a dropped connection and its alert.
    s.step("safety.settings", lambda m: safety.set_require_contact(fac, True))
    s.step("contact.give", lambda m: safety.give_contact(ann, "Phone 0000 000000"))
    s.step("contact_plan.set", lambda m: safety.set_contact_plan(fac, s.pids["Ann"], "Call, then text."))
    s.step("contact.give (cleared)", lambda m: safety.give_contact(ann, None))
    s.step("contact_plan.set (cleared)", lambda m: safety.set_contact_plan(fac, s.pids["Ann"], None))
    s.step("a connection drops", lambda m: participants.do_disconnect(f"sid-{s.pids['Cat']}", "ping timeout"))
    alert = s.do(lambda m: safety._unresolved(s.pids["Cat"]).id)
    s.step("drop_alert.ack", lambda m: safety.ack_drop_alert(fac, alert))
    s.step("they are back", lambda m: participants.do_connect(m, "sid-cat-2", "cases",
                                                               participant=db.session.get(Participant, s.pids["Cat"])))

    # Chat: main, direct both ways, back-channel, muting, deleting, switched off and on.
    main = s.step("chat.send (main)", lambda m: chat.send_message(ann, {"channel": "main", "text": "Hello all"}))
    direct = s.step("chat.send (direct)", lambda m: chat.send_message(ann, {"channel": "direct", "text": "A word?"}))
    s.step("chat.send (reply)", lambda m: chat.send_message(fac, {"channel": "direct", "text": "Of course",
                                                                   "participant_id": s.pids["Ann"]}))
    s.step("chat.send (back-channel)", lambda m: chat.send_message(fac, {"channel": "backchannel", "text": "Break?"}))
    s.step("chat.mute", lambda m: chat.mute(fac, s.pids["Ann"], True))
    s.step("chat.unmute", lambda m: chat.mute(fac, s.pids["Ann"], False))
    s.step("chat.delete (main)", lambda m: chat.delete_message(fac, main["message"]["id"]))
    s.step("chat.delete (direct)", lambda m: chat.delete_message(fac, direct["message"]["id"]))
    s.step("chat.settings (off)", lambda m: chat.set_chat(fac, False))
    s.step("chat.settings (on)", lambda m: chat.set_chat(fac, True))

    # Breakouts: a round prepared, Ben and Cat placed, opened, room chat, help, time changed, a
    # warning, closed; then a draft round discarded.
    rnd = s.step("breakout.create", lambda m: bo.create_round(fac, {"rooms": 2, "duration_seconds": 600,
                                                                    "warn_seconds": 120}))["round"]
    rid, (r1, r2) = rnd["id"], [r["id"] for r in rnd["rooms"]]
    s.step("breakout.assign", lambda m: bo.assign_person(fac, rid, s.pids["Ben"], r1))
    s.do(lambda m: bo.assign_person(fac, rid, s.pids["Cat"], r1))
    s.step("breakout.open", lambda m: bo.open_round(fac, rid))
    said = s.step("chat.send (room)", lambda m: chat.send_message(ben, {"channel": "room", "text": "Hi room"}))
    s.step("chat.delete (room)", lambda m: chat.delete_message(fac, said["message"]["id"]))
    s.step("breakout.help", lambda m: bo.ask_for_help(ben, True))
    s.step("breakout.help_clear", lambda m: bo.clear_help(fac, r1))
    s.step("breakout.broadcast", lambda m: bo.broadcast_message(fac, rid, "Five minutes left"))
    s.step("breakout.extend", lambda m: bo.extend_round(fac, rid, 60))
    s.step("breakout.assign (move)", lambda m: bo.assign_person(fac, rid, s.pids["Cat"], r2))
    warn_at = s.do(lambda m: db.session.get(BreakoutRound, rid).warn_at)
    s.step("the warning", lambda m: bo.warn_if_due(rid, warn_at + timedelta(seconds=1)))
    s.step("breakout.close", lambda m: bo.close_round(fac, rid))
    draft_round = s.step("breakout.create (draft)", lambda m: bo.create_round(fac, {"rooms": 2,
                                                                                   "duration_seconds": 300,
                                                                                   "warn_seconds": 60}))
    s.step("breakout.discard", lambda m: bo.discard_round(fac, draft_round["round"]["id"]))

    # The agenda, minutes and "what I heard".
    item = s.step("agenda.add", lambda m: agenda.add_item(fac, {"title": "Check-in", "kind": "checkin",
                                                               "planned_seconds": 300}))
    s.step("agenda.add (break)", lambda m: agenda.add_item(fac, {"title": "Break", "kind": "break",
                                                                 "planned_seconds": 600}))
    item_id = item["item_id"]
    s.step("agenda.next", lambda m: agenda.move_next(fac, None))
    s.step("minutes.decision", lambda m: minutes.add_decision(fac, item_id, "Meet weekly"))
    s.step("heard.post", lambda m: minutes.post_heard(fac, "You would like a longer break."))
    s.step("agenda.settings", lambda m: agenda.set_break_prompt(fac, 40))

    # Someone removed; the rules changed (everyone inside is asked again, the reader is told to resync).
    s.step("participant.remove", lambda m: participants.remove_participant(fac, dee))
    s.step("rules.set", lambda m: rules.set_meeting_rules(fac, [{"title": "Be kind", "text": "Always."}]), reader=True)
    s.step("rules.ack", lambda m: rules.accept_rules(ann, 2))
    return s.cases
