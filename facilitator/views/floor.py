"""The floor as each role sees it: who is speaking and the go-round, the queue's length for everyone and a
participant's own hand, the queue in order and the turn-taking balance for facilitators only."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Row

from ..extensions import db
from ..models import GoRound, Hand, Meeting, Participant, Turn
from ..schemas.common import shared
from ..schemas.floor import BalanceOut, FloorOut, MyHandOut, QueueOut

INDEX_NAME = "1 − Gini of talk time, normalised: 1 = everyone equal, 0 = one person did all the talking"


def hands(meeting_id: int) -> list[Hand]:
    return list(db.session.execute(
        db.select(Hand).where(Hand.meeting_id == meeting_id).order_by(Hand.order_key, Hand.id)
    ).scalars())


def open_turn(meeting_id: int) -> Turn | None:
    return db.session.execute(
        db.select(Turn).where(Turn.meeting_id == meeting_id, Turn.ended_at.is_(None))
    ).scalar_one_or_none()


def active_round(meeting_id: int) -> GoRound | None:
    return db.session.execute(
        db.select(GoRound).where(GoRound.meeting_id == meeting_id, GoRound.ended_at.is_(None))
    ).scalar_one_or_none()


def talk_totals(meeting_id: int) -> dict[int, dict]:
    """Per participant: seconds of closed turns, turns taken (a pass is not a turn), passes."""
    totals: dict[int, dict] = {}
    for t in db.session.execute(db.select(Turn).where(Turn.meeting_id == meeting_id)).scalars():
        row = totals.setdefault(t.participant_id, {"participant_id": t.participant_id, "talk_seconds": 0.0,
                                                   "turns": 0, "passes": 0})
        if t.passed:
            row["passes"] += 1
            continue
        row["turns"] += 1
        if t.ended_at is not None:
            row["talk_seconds"] += max(0.0, (t.ended_at - t.started_at).total_seconds())
    return totals


def names_of(meeting_id: int) -> dict[int, Row]:
    """Everyone's name and group tag (plain rows: the floor views need nothing more)."""
    return {r.id: r for r in db.session.execute(
        db.select(Participant.id, Participant.display_name, Participant.group_tag)
        .where(Participant.meeting_id == meeting_id))}


class Name(NamedTuple):
    id: int
    display_name: str
    group_tag: str | None


class Names(dict):
    """Names by participant id, looking up anyone not yet named (a hand just raised: its owner is
    usually in the session already, so that costs no query)."""

    def __missing__(self, participant_id: int) -> Name:
        p = db.session.get(Participant, participant_id)
        if p is None:
            raise KeyError(participant_id)
        self[participant_id] = found = Name(p.id, p.display_name, p.group_tag)
        return found


def floor_view(meeting: Meeting, people: dict[int, Row | Name] | None = None,
               order: list[Hand] | None = None, speaking: tuple | None = None) -> dict:
    """What everyone sees of the floor. `people`, `order` and `speaking` (the open turn and the
    running go-round) may be passed when already loaded."""
    people = names_of(meeting.id) if people is None else people
    turn, rnd = (open_turn(meeting.id), active_round(meeting.id)) if speaking is None else speaking
    speaker = None
    if turn is not None:
        speaker = {"participant_id": turn.participant_id, "name": people[turn.participant_id].display_name,
                   "source": turn.source, "hand_kind": turn.hand_kind, "started_at": turn.started_at,
                   "ends_at": turn.ends_at}
    goround = None
    if rnd is not None:
        passes = [t.participant_id for t in db.session.execute(
            db.select(Turn).where(Turn.goround_id == rnd.id, Turn.passed.is_(True))).scalars()]
        goround = {"id": rnd.id, "index": rnd.index, "seconds": rnd.seconds, "started_at": rnd.started_at,
                   "order": [{"participant_id": pid, "name": people[pid].display_name} for pid in rnd.order
                             if pid in people],
                   "passes": passes}
    queue_length = len(hands(meeting.id) if order is None else order)
    return shared(FloorOut).dump({"speaker": speaker, "queue_length": queue_length,
                                  "mode": meeting.queue_mode, "goround": goround})


def my_hand_view(meeting_id: int, participant_id: int, order: list[Hand] | None = None) -> dict:
    order = hands(meeting_id) if order is None else order
    for pos, h in enumerate(order, start=1):
        if h.participant_id == participant_id:
            return shared(MyHandOut).dump({"raised": True, "kind": h.kind, "position": pos, "raised_at": h.raised_at})
    return shared(MyHandOut).dump({"raised": False, "kind": None, "position": None, "raised_at": None})


LOOK_UP = object()  # queue_view's `goround` when the caller has not read it


def latest_round(meeting_id: int) -> GoRound | None:
    """The meeting's most recent go-round, running or not."""
    return db.session.execute(
        db.select(GoRound).where(GoRound.meeting_id == meeting_id).order_by(GoRound.id.desc()).limit(1)
    ).scalar_one_or_none()


def round_away(rnd: GoRound | None, people: dict[int, Row | Name]) -> dict | None:
    """Who a go-round (the running one, or the last one until the next starts) passed over for not
    being connected, read from what is stored (the round's order and index, its turns):
    `deferred`, someone whose turn was moved to the end and is still to come (a second entry in
    the order after the current one; see actions/floor.py `_to_someone_here`); `skipped`, someone
    whose last entry is behind the current turn and who had no turn in the round. People removed
    from the session are left out (they are passed over without a word)."""
    if rnd is None:
        return None
    order, running = rnd.order, rnd.ended_at is None
    index = rnd.index
    had_turn = db.select(Turn.id).where(Turn.goround_id == rnd.id, Turn.participant_id == Participant.id).exists()
    rows = db.session.execute(db.select(Participant.id, Participant.removed_at, had_turn)
                              .where(Participant.id.in_(set(order)))).all()
    removed = {pid for pid, removed_at, _ in rows if removed_at is not None}
    spoke = {pid for pid, _, turn in rows if turn}

    def named(ids):
        out = []
        for pid in ids:
            try:
                out.append({"participant_id": pid, "name": people[pid].display_name})
            except KeyError:  # no longer in the meeting at all
                pass
        return out

    deferred = [pid for k, pid in enumerate(order)
                if running and k > index and pid in order[:k] and pid not in removed]
    skipped = [pid for j, pid in enumerate(order[:index])
               if pid not in spoke and pid not in removed and pid not in order[j + 1:]]
    return {"id": rnd.id, "running": running, "deferred": named(deferred), "skipped": named(skipped)}


def queue_view(meeting: Meeting, order: list[Hand] | None = None,
               people: dict[int, Row | Name] | None = None, goround: dict | None | object = LOOK_UP) -> dict:
    """The facilitators' queue, and who the latest go-round passed over (`goround`, the
    `round_away` of it, may be passed when already read)."""
    people = names_of(meeting.id) if people is None else people
    order = hands(meeting.id) if order is None else order
    goround = round_away(latest_round(meeting.id), people) if goround is LOOK_UP else goround
    return shared(QueueOut).dump({"hands": [
        {"participant_id": h.participant_id, "name": people[h.participant_id].display_name,
         "group_tag": people[h.participant_id].group_tag, "kind": h.kind, "raised_at": h.raised_at}
        for h in order], "goround": goround})


def balance_view(meeting_id: int) -> dict:
    people = sorted(talk_totals(meeting_id).values(), key=lambda r: r["participant_id"])
    return shared(BalanceOut).dump({"people": people, "index_name": INDEX_NAME})


def add_to_snapshot(snap: dict, meeting: Meeting, where) -> None:
    """The floor for everyone inside, a participant's own hand, the queue and balance for facilitators."""
    if not where.gated:
        snap["floor"] = floor_view(meeting)
    if not where.facilitating:
        snap["hand"] = my_hand_view(meeting.id, where.participant_id)
    else:
        snap["private"].update(queue=queue_view(meeting), balance=balance_view(meeting.id))
