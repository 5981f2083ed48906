"""The floor: the raise-hand queue, speaking turns and go-rounds.

Queue order is kept in `Hand.order_key`: keys only need to be in order, not 1..n, so lowering a
hand or appending one writes no other row (a facilitator's move or a change of mode renumbers).
A raised hand is placed by the rules: process points first, then direct replies, then new
points; within a kind, first come first served, or least talk time first when the meeting orders
by "quieter voices".
After that, only a facilitator's move (or a change of mode) changes the order, so nobody's
position jumps while they wait.
"""
from __future__ import annotations

import random
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Row, and_, bindparam
from sqlalchemy.orm import aliased

from ..access import Actor, load_participant, meeting_of, require_entered, require_facilitating, same_meeting
from ..errors import Conflict, NotAllowed
from ..events import declare, participant_stream, publish
from ..extensions import db
from ..models import GoRound, Hand, Meeting, Participant, Turn, utcnow
from ..schemas.floor import BalanceOut, FloorOut, MyHandOut, QueueOut
from ..views.floor import (Name, Names, active_round, balance_view, floor_view, hands, latest_round, my_hand_view,
                           names_of, open_turn, queue_view, round_away, talk_totals)

declare("floor", "updated", ("meeting",), FloorOut, "Who has the floor, the queue's length and mode, the go-round.")
declare("hand", "updated", ("participant",), MyHandOut, "Your own hand: raised or not, kind, position.")
declare("queue", "updated", ("facilitators",), QueueOut, "The queue in order, with names and kinds.")
declare("balance", "updated", ("facilitators",), BalanceOut, "Talk time and turns per person (closed turns).")

KIND_RANK = {"process": 0, "reply": 1, "new": 2}
FLOOR_STATES = ("open", "live")


@dataclass
class Snapshot:
    """The floor as read under the meeting's row lock: the queue, the open turn, the running
    go-round, and the names those need (everyone's, when a round runs)."""

    order: list[Hand]
    turn: Turn | None
    rnd: GoRound | None
    people: dict[int, Row | Name]  # `Names`, or every name in the meeting
    presence: dict[int, str] = field(default_factory=dict)  # of each person waiting in the queue


_SNAPSHOT = "facilitator_floor_snapshot"
_SPEAKER = aliased(Participant)
# The snapshot's two statements, built once (see sockets/registry.py `_PRELOAD`).
_LOCK_AND_TURN = (
    db.select(Meeting.id, Turn, GoRound, _SPEAKER.display_name, _SPEAKER.group_tag)
    .outerjoin(Turn, and_(Turn.meeting_id == Meeting.id, Turn.ended_at.is_(None)))
    .outerjoin(_SPEAKER, _SPEAKER.id == Turn.participant_id)
    .outerjoin(GoRound, and_(GoRound.meeting_id == Meeting.id, GoRound.ended_at.is_(None)))
    .where(Meeting.id == bindparam("meeting_id")).with_for_update(of=Meeting))
_QUEUE_WITH_NAMES = (
    db.select(Hand, Participant.display_name, Participant.group_tag, Participant.presence)
    .join(Participant, Participant.id == Hand.participant_id)
    .where(Hand.meeting_id == bindparam("meeting_id")).order_by(Hand.order_key, Hand.id))


def snapshot(meeting: Meeting) -> Snapshot:
    """Lock the meeting's row (SELECT ... FOR UPDATE on PostgreSQL) and read the floor: two
    statements, the lock with the open turn, the go-round and the speaker's name, then the queue
    with its names.

    A check that reads it leaves it for the `floor_change` of the same transaction, which takes it
    instead of reading again: a hand raised was eleven statements when the check and the change
    each read the queue and the turn, and every name in the meeting was loaded for one view."""
    session = db.session()
    held, current = session.info.get(_SNAPSHOT), session.get_transaction()
    if held is not None and current is not None and held[0]() is current and held[1] == meeting.id:
        return held[2]
    params = {"meeting_id": meeting.id}
    _mid, turn, rnd, speaker_name, speaker_tag = db.session.execute(_LOCK_AND_TURN, params).one()
    order, people, presence = [], Names(), {}
    for hand, name, tag, here in db.session.execute(_QUEUE_WITH_NAMES, params):
        order.append(hand)
        people[hand.participant_id] = Name(hand.participant_id, name, tag)
        presence[hand.participant_id] = here
    if turn is not None:
        people[turn.participant_id] = Name(turn.participant_id, speaker_name, speaker_tag)
    if rnd is not None:  # the round's order names people who are neither speaking nor waiting
        people = names_of(meeting.id)
    snap = Snapshot(order, turn, rnd, people, presence)
    # The transaction is named by a weak reference: a strong one from the session's own `info`
    # made a reference cycle (session, info, transaction, session) that kept the session, its
    # connection and everything loaded for the action alive until a garbage collection.
    session.info[_SNAPSHOT] = (weakref.ref(session.get_transaction()), meeting.id, snap)
    return snap


def _take_snapshot(meeting: Meeting) -> Snapshot:
    """The snapshot for a change: the one a check left in this transaction, or a new one. Taken
    once: after the change it is out of date."""
    snap = snapshot(meeting)
    db.session.info.pop(_SNAPSHOT, None)
    return snap


# ---- publishing ----------------------------------------------------------------------------

class QueueChange:
    """What a block inside `floor_change` sees: the queue as it was (`before`, a copy it may
    reorder), the open turn and the round, and, if it knows them, the queue as the block left it
    (`after`) and who speaks after (`speaking_after`), which saves reading them back."""

    def __init__(self, snap: Snapshot):
        self.before = list(snap.order)
        self.after: list[Hand] | None = None
        self.turn, self.rnd = snap.turn, snap.rnd  # as they were
        # (open turn, running round) as the block left them, if it knows: saves reading them back
        self.speaking_after: tuple | None = None


@contextmanager
def floor_change(meeting: Meeting, *, turns: bool = False, queue: bool = False):
    """Publish, after the change inside the block, every view of the floor that changed (and the
    facilitators' queue view even if it looks the same, with `queue`: for a change made before
    the block, such as someone's removal, which takes them off the go-round's lists).

    The meeting row is locked first (`snapshot`), so that two workers changing the same queue at
    once take turns instead of both renumbering a stale order.
    """
    snap = _take_snapshot(meeting)
    # A change of turns may give the floor to someone not yet named (called without a hand).
    people = names_of(meeting.id) if turns and snap.rnd is None else snap.people
    before_order = snap.order
    speaking = (snap.turn, snap.rnd)
    before_floor = floor_view(meeting, people, before_order, speaking)
    before_pos = {h.participant_id: (i, h.kind) for i, h in enumerate(before_order)}
    # The queue view also says who the latest go-round passed over: read again after a change of
    # turns (a round moving on, ending or starting) or a removal (`queue`), kept otherwise.
    before_away = round_away(snap.rnd if snap.rnd is not None else latest_round(meeting.id), people)
    before_queue = queue_view(meeting, before_order, people, before_away)
    change = QueueChange(snap)
    yield change
    db.session.flush()
    order = hands(meeting.id) if change.after is None else change.after
    after_pos = {h.participant_id: (i, h.kind) for i, h in enumerate(order)}
    # Without `turns`, only the queue changed: the open turn and the go-round are as they were.
    if not turns:
        after_speaking = speaking
    elif change.speaking_after is not None:
        after_speaking = change.speaking_after
    else:
        after_speaking = (open_turn(meeting.id), active_round(meeting.id))
    after_floor = floor_view(meeting, people, order, after_speaking)
    if after_floor != before_floor:
        publish(meeting.id, "meeting", "floor", "updated", after_floor)
    after_away = before_away
    if turns or queue:
        rnd = after_speaking[1]
        after_away = round_away(rnd if rnd is not None else latest_round(meeting.id), people)
    after_queue = queue_view(meeting, order, people, after_away)
    if queue or after_queue != before_queue:
        publish(meeting.id, "facilitators", "queue", "updated", after_queue)
    for pid in sorted(set(before_pos) | set(after_pos)):
        if before_pos.get(pid) != after_pos.get(pid):
            publish(meeting.id, participant_stream(pid), "hand", "updated", my_hand_view(meeting.id, pid, order))
    if turns:
        publish(meeting.id, "facilitators", "balance", "updated", balance_view(meeting.id))


def _rank(h: Hand, mode: str, talk: dict[int, dict]) -> tuple:
    quiet = talk.get(h.participant_id, {}).get("talk_seconds", 0.0) if (mode == "quiet" and h.kind == "new") else 0
    return (KIND_RANK[h.kind], quiet, h.raised_at, h.id or 0)


def _store_order(order: list[Hand]) -> None:
    for pos, h in enumerate(order, start=1):
        if h.order_key != float(pos):
            h.order_key = float(pos)


def _place(order: list[Hand], hand: Hand, at: int) -> None:
    """Put `hand` at index `at` of `order`, keying it between its neighbours; only when no key
    fits between them (floats halved too often) is the whole queue renumbered."""
    before = order[at - 1].order_key if at > 0 else None
    after = order[at].order_key if at < len(order) else None
    if after is None:
        key = 1.0 if before is None else before + 1.0
    elif before is None:
        key = after - 1.0
    else:
        key = (before + after) / 2
    order.insert(at, hand)
    if before is not None and after is not None and not before < key < after:
        _store_order(order)
    else:
        hand.order_key = key


# ---- the queue -----------------------------------------------------------------------------

def _require_floor_state(meeting: Meeting) -> None:
    if meeting.state not in FLOOR_STATES:
        raise Conflict("The queue is open while the session is in the lobby or live.", code="not_live")


def check_raise(actor: Actor, meeting: Meeting, kind: str) -> Participant:
    if actor.facilitating:
        raise Conflict("Facilitators take the floor directly.", code="not_participant")
    p = require_entered(actor, meeting)
    if p.role == "observer":
        raise NotAllowed("Observers watch without speaking, so they cannot raise a hand.", code="observer")
    _require_floor_state(meeting)
    snap = snapshot(meeting)
    if any(h.participant_id == p.id for h in snap.order):
        raise Conflict("Your hand is already raised.", code="already_raised")
    if snap.turn is not None and snap.turn.participant_id == p.id:
        raise Conflict("You have the floor now.", code="speaking")
    if kind == "reply" and snap.turn is None:
        raise Conflict("Nobody is speaking, so there is nothing to reply to: raise a new point.", code="no_speaker")
    return p


def do_raise(meeting: Meeting, p: Participant, kind: str) -> list[Hand]:
    """Raise `p`'s hand, placed by the rules; returns the queue as it now stands."""
    with floor_change(meeting) as change:
        order = change.before
        hand = Hand(meeting_id=meeting.id, participant_id=p.id, kind=kind, raised_at=utcnow())
        talk = talk_totals(meeting.id) if meeting.queue_mode == "quiet" else {}
        # The new hand is the latest raised, so it goes after every hand that ranks the same.
        mine = _rank(hand, meeting.queue_mode, talk)[:3]
        at = next((i for i, h in enumerate(order) if _rank(h, meeting.queue_mode, talk)[:3] > mine), len(order))
        _place(order, hand, at)
        db.session.add(hand)
        change.after = order
    return order


def _hand_of(participant_id: int) -> Hand | None:
    return db.session.execute(db.select(Hand).where(Hand.participant_id == participant_id)).scalar_one_or_none()


def check_lower_own(actor: Actor, meeting: Meeting) -> Hand:
    if actor.facilitating:
        raise Conflict("Facilitators lower someone's hand with queue.lower.", code="not_participant")
    p = load_participant(actor)
    if p.role == "observer":
        raise NotAllowed("Observers watch without speaking, so they have no hand to lower.", code="observer")
    hand = next((h for h in snapshot(meeting).order if h.participant_id == p.id), None)
    if hand is None:
        raise Conflict("Your hand is not raised.", code="not_raised")
    return hand


def check_lower(actor: Actor, participant_id: int) -> Hand:
    require_facilitating(actor)
    p = same_meeting(actor, participant_id)
    hand = _hand_of(p.id)
    if hand is None:
        raise Conflict(f"{p.display_name}'s hand is not raised.", code="not_raised")
    return hand


def do_lower(meeting: Meeting, hand: Hand) -> None:
    with floor_change(meeting) as change:
        db.session.delete(hand)
        change.after = [h for h in change.before if h.id != hand.id]  # the others keep their keys


def check_clear(actor: Actor) -> None:
    require_facilitating(actor)


def do_clear(meeting: Meeting) -> int:
    with floor_change(meeting):
        order = hands(meeting.id)
        for h in order:
            db.session.delete(h)
    return len(order)


def check_move(actor: Actor, participant_id: int) -> Hand:
    return check_lower(actor, participant_id)


def do_move(meeting: Meeting, hand: Hand, position: int) -> int:
    """Move a hand to `position` (1 = front; past the end means last). Returns where it went."""
    with floor_change(meeting):
        order = [h for h in hands(meeting.id) if h.id != hand.id]
        at = min(max(position, 1), len(order) + 1) - 1
        order.insert(at, hand)
        _store_order(order)
    return at + 1


def check_mode(actor: Actor) -> None:
    require_facilitating(actor)


def do_mode(meeting: Meeting, mode: str) -> None:
    """Change how new points are ordered, and re-sort the queue by the rules."""
    with floor_change(meeting):
        meeting.queue_mode = mode
        talk = talk_totals(meeting.id) if mode == "quiet" else {}
        _store_order(sorted(hands(meeting.id), key=lambda h: _rank(h, mode, talk)))


# ---- the floor -----------------------------------------------------------------------------

def _close_turn(turn: Turn | None, *, passed: bool = False) -> None:
    if turn is not None and turn.ended_at is None:
        turn.ended_at = utcnow()
        turn.passed = passed
        db.session.flush()


def _start_turn(meeting: Meeting, participant_id: int, source: str, *, hand_kind: str | None = None,
                goround: GoRound | None = None) -> Turn:
    now = utcnow()
    turn = Turn(meeting_id=meeting.id, participant_id=participant_id, source=source, hand_kind=hand_kind,
                goround_id=goround.id if goround else None, started_at=now,
                ends_at=now + timedelta(seconds=goround.seconds) if goround else None)
    db.session.add(turn)
    db.session.flush()
    return turn


@dataclass
class Called:
    """Who a call gives the floor to, and who was waiting ahead of them but is not connected
    (passed over: their hands stay up, for when they are back)."""

    participant: Participant
    skipped: list[Name]


def listing(names: list[str]) -> str:
    """"Jo", "Jo and Sam", "Jo, Sam and Pat"; "" for nobody."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def away_message(names: list[str], then: str) -> str | None:
    """What the facilitator is told when people were passed over for not being connected."""
    if not names:
        return None
    verb = "is" if len(names) == 1 else "are"
    return f"{listing(names)} {verb} not connected; {then}"


def check_call(actor: Actor, meeting: Meeting, participant_id: int | None) -> Called:
    """Call the next hand (`participant_id` None), anyone in the queue, or anyone who speaks up.

    The next hand is the first one of someone connected: a person whose connection has dropped
    (presence `reconnecting`, or `left`) is passed over and keeps their place, so they are next
    when they are back; with nobody waiting connected the call is refused. Calling someone by name
    who is not connected is refused: they would get a turn, and talk time, while away."""
    require_facilitating(actor)
    _require_floor_state(meeting)
    snap = snapshot(meeting)
    if snap.rnd is not None:
        raise Conflict("A go-round is running: move it on or stop it first.", code="goround_running")
    skipped: list[Name] = []
    if participant_id is None:
        order = snap.order
        if not order:
            raise Conflict("Nobody is waiting to speak.", code="queue_empty")
        waiting = [h.participant_id for h in order]
        here = [pid for pid in waiting if snap.presence.get(pid) == "connected"]
        if not here:
            names = [snap.people[pid].display_name for pid in waiting]
            raise Conflict(f"Nobody waiting to speak is connected just now ({listing(names)}): their hands stay up "
                           "for when they are back. Call someone who is here, or wait.", code="nobody_connected")
        participant_id = here[0]
        skipped = [snap.people[pid] for pid in waiting[:waiting.index(participant_id)]]
    p = same_meeting(actor, participant_id)
    if p.removed_at is not None:
        raise Conflict(f"{p.display_name} is no longer in the session.", code="removed")
    if p.role == "observer":
        raise Conflict("Observers do not take the floor.", code="observer")
    if p.rules_version_acked is None:
        raise Conflict(f"{p.display_name} is still reading the ground rules.", code="not_entered")
    if p.presence != "connected":
        raise Conflict(f"{p.display_name} is not connected just now, so they cannot take the floor (they would get "
                       "a turn and talk time while away). Call them again once they are back.", code="not_connected")
    return Called(p, skipped)


def do_call(meeting: Meeting, p: Participant) -> Turn:
    """`p` has the floor now: the previous turn ends and their hand, if raised, is lowered."""
    with floor_change(meeting, turns=True) as change:
        _close_turn(change.turn)
        hand = next((h for h in change.before if h.participant_id == p.id), None)
        kind = hand.kind if hand else None
        if hand is not None:
            db.session.delete(hand)
            db.session.flush()
        change.after = [h for h in change.before if h.participant_id != p.id]  # the others keep their keys
        turn = _start_turn(meeting, p.id, "queue" if hand else "direct", hand_kind=kind)
        change.speaking_after = (turn, None)  # a call is refused while a round runs
    return turn


def check_end_turn(actor: Actor, meeting: Meeting) -> Turn:
    require_facilitating(actor)
    if active_round(meeting.id) is not None:
        raise Conflict("A go-round is running: move it on or stop it.", code="goround_running")
    turn = open_turn(meeting.id)
    if turn is None:
        raise Conflict("Nobody has the floor.", code="no_speaker")
    return turn


def do_end_turn(meeting: Meeting, turn: Turn) -> None:
    with floor_change(meeting, turns=True):
        _close_turn(turn)


# ---- go-rounds -----------------------------------------------------------------------------

def check_goround_start(actor: Actor, meeting: Meeting, participant_ids: list[int]) -> list[int]:
    require_facilitating(actor)
    _require_floor_state(meeting)
    if active_round(meeting.id) is not None:
        raise Conflict("A go-round is already running.", code="goround_running")
    people = []
    for pid in participant_ids:
        p = same_meeting(actor, pid)
        if p.removed_at is not None or p.role == "observer" or p.rules_version_acked is None:
            raise Conflict(f"{p.display_name} cannot take part in a round.", code="not_eligible")
        people.append(p)
    if not any(p.presence == "connected" for p in people):
        raise Conflict("Nobody in this round is connected just now, so nobody could take the first turn.",
                       code="nobody_connected")
    return participant_ids


@dataclass
class PassedOver:
    """Who a move of the round passed over for not being connected: `deferred`, their turn moved
    to the end of the round's order (once); `skipped`, passed over for the rest of the round."""

    deferred: list[Participant] = field(default_factory=list)
    skipped: list[Participant] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.deferred or self.skipped)


def do_goround_start(meeting: Meeting, participant_ids: list[int], seconds: int,
                     shuffle: bool) -> tuple[GoRound, PassedOver]:
    """Start the round with the first person in its (shuffled, then stored) order who is
    connected; returns the round and who was moved to the end or passed over before them."""
    order = list(participant_ids)
    if shuffle:
        random.SystemRandom().shuffle(order)
    with floor_change(meeting, turns=True):
        _close_turn(open_turn(meeting.id))
        rnd = GoRound(meeting_id=meeting.id, order=order, seconds=seconds, index=0, started_at=utcnow())
        db.session.add(rnd)
        db.session.flush()
        away = _to_someone_here(meeting, rnd)
    return rnd, away


def _to_someone_here(meeting: Meeting, rnd: GoRound) -> PassedOver:
    """From the round's index on, give the floor to the first person here, or end the round when
    nobody is left. On the way, anyone removed is passed over silently, and anyone not connected
    (a turn with talk time while away would be wrong) is not lost for the round: their id is
    appended to the round's stored order, once, so their turn comes again at the end and they
    get it if they are back by then. Someone not connected at that second turn, or with nobody
    connected after them (their moved turn would come while they are still away), is passed
    over for the rest of the round. Both are returned, to be told to the facilitators (and
    `views.floor.round_away` reads them back from the order and the turns)."""
    order = list(rnd.order)
    members = {p.id: p for p in db.session.execute(
        db.select(Participant).where(Participant.id.in_(set(order)))).scalars()}

    def here(pid: int) -> bool:
        p = members.get(pid)
        return p is not None and p.removed_at is None and p.presence == "connected"

    out = PassedOver()
    while rnd.index < len(order):
        pid = order[rnd.index]
        p = members.get(pid)
        if p is not None and p.removed_at is None:
            if p.presence == "connected":
                break
            moved_already = pid in order[:rnd.index]
            if not moved_already and any(here(q) for q in order[rnd.index + 1:]):
                order.append(pid)
                out.deferred.append(p)
            else:
                out.skipped.append(p)
        rnd.index += 1
    if order != rnd.order:
        rnd.order = order  # a new list: the JSON column is stored when it is assigned
    if rnd.index >= len(order):
        rnd.ended_at = utcnow()
    else:
        _start_turn(meeting, order[rnd.index], "goround", goround=rnd)
    return out


def _advance(meeting: Meeting, rnd: GoRound, *, passed: bool) -> PassedOver:
    """The current turn ends; the next person here has the floor. Returns who was moved to the
    end or passed over for not being connected."""
    _close_turn(open_turn(meeting.id), passed=passed)
    rnd.index += 1
    return _to_someone_here(meeting, rnd)


def _locked_round(meeting: Meeting) -> GoRound | None:
    """The running round, read after taking the meeting's row lock: two facilitators pressing Next
    on different workers see the index the other one left, not the one before it."""
    db.session.execute(db.select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    return db.session.execute(
        db.select(GoRound).where(GoRound.meeting_id == meeting.id, GoRound.ended_at.is_(None))
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def check_goround_next(actor: Actor, meeting: Meeting, index: int) -> GoRound:
    require_facilitating(actor)
    rnd = _locked_round(meeting)
    if rnd is None:
        raise Conflict("No go-round is running.", code="no_goround")
    if index != rnd.index:
        raise Conflict("The round has already moved on.", code="stale_index")
    return rnd


def do_goround_next(meeting: Meeting, rnd: GoRound) -> PassedOver:
    """Move the round on; returns who was moved to the end or passed over for not being connected."""
    with floor_change(meeting, turns=True):
        return _advance(meeting, rnd, passed=False)


def check_goround_pass(actor: Actor, meeting: Meeting) -> GoRound:
    if actor.facilitating:
        raise Conflict("Only the person whose turn it is can pass.", code="not_participant")
    p = require_entered(actor, meeting)
    if p.role == "observer":
        raise NotAllowed("Observers watch without speaking, so they are never in a go-round.", code="observer")
    rnd = _locked_round(meeting)
    if rnd is None:
        raise Conflict("No go-round is running.", code="no_goround")
    if rnd.order[rnd.index] != p.id:
        raise Conflict("It is not your turn in the round.", code="not_your_turn")
    return rnd


def do_goround_pass(meeting: Meeting, rnd: GoRound) -> PassedOver:
    """The speaker passes; returns who was moved to the end or passed over for not being
    connected (the facilitators see them in their queue view's `goround`)."""
    with floor_change(meeting, turns=True):
        return _advance(meeting, rnd, passed=True)


def check_goround_stop(actor: Actor, meeting: Meeting) -> GoRound:
    require_facilitating(actor)
    rnd = active_round(meeting.id)
    if rnd is None:
        raise Conflict("No go-round is running.", code="no_goround")
    return rnd


def do_goround_stop(meeting: Meeting, rnd: GoRound) -> None:
    with floor_change(meeting, turns=True):
        _close_turn(open_turn(meeting.id))
        rnd.ended_at = utcnow()


# ---- people leaving ------------------------------------------------------------------------

def release_floor(meeting: Meeting, p: Participant) -> PassedOver:
    """Someone left or was removed: lower their hand, end their turn, skip them in a round.
    Returns who the round, moving on from them, moved to the end or passed over for not being
    connected (the facilitators see them in their queue view's `goround`)."""
    # the round is read under the meeting's row lock, as goround.next and a pass read it
    db.session.execute(db.select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    rnd = db.session.execute(
        db.select(GoRound).where(GoRound.meeting_id == meeting.id).order_by(GoRound.id.desc()).limit(1)
        .execution_options(populate_existing=True)).scalar_one_or_none()
    hand = _hand_of(p.id)
    turn = open_turn(meeting.id)
    speaking = turn is not None and turn.participant_id == p.id
    # Someone removed leaves the queue view's `goround` lists (the latest round's, ended or not):
    # their removal is already made, so the view is published without comparing.
    in_round = p.removed_at is not None and rnd is not None and p.id in rnd.order
    out = PassedOver()
    if hand is None and not speaking and not in_round:
        return out
    with floor_change(meeting, turns=speaking, queue=in_round):
        if hand is not None:
            db.session.delete(hand)
            db.session.flush()
        if speaking:
            if rnd is not None and rnd.ended_at is None:
                out = _advance(meeting, rnd, passed=False)
            else:
                _close_turn(turn)
    return out


# ---- whole actions: check, change, reply (what a socket handler calls) -----------------------

def raise_hand(actor: Actor, kind: str) -> dict:
    meeting = meeting_of(actor)
    p = check_raise(actor, meeting, kind)
    order = do_raise(meeting, p, kind)
    return {"hand": my_hand_view(meeting.id, p.id, order)}


def lower_own_hand(actor: Actor) -> None:
    meeting = meeting_of(actor)
    do_lower(meeting, check_lower_own(actor, meeting))


def lower_hand(actor: Actor, participant_id: int) -> None:
    do_lower(meeting_of(actor), check_lower(actor, participant_id))


def clear_queue(actor: Actor) -> dict:
    check_clear(actor)
    return {"lowered": do_clear(meeting_of(actor))}


def move_hand(actor: Actor, participant_id: int, position: int) -> dict:
    hand = check_move(actor, participant_id)
    return {"position": do_move(meeting_of(actor), hand, position)}


def set_mode(actor: Actor, mode: str) -> None:
    check_mode(actor)
    do_mode(meeting_of(actor), mode)


def _people(skipped) -> list[dict]:
    return [{"participant_id": s.id, "name": s.display_name} for s in skipped]


def give_floor(actor: Actor, participant_id: int | None) -> dict:
    """To `participant_id`, or (None) to the first person in the queue who is connected. The reply
    names who has the floor, and who was passed over for not being connected (with a sentence
    for the facilitator; None when nobody was)."""
    meeting = meeting_of(actor)
    called = check_call(actor, meeting, participant_id)
    p = called.participant
    do_call(meeting, p)
    names = [s.display_name for s in called.skipped]
    hands = "their hand stays" if len(names) == 1 else "their hands stay"
    return {"participant_id": p.id, "name": p.display_name, "skipped": _people(called.skipped),
            "message": away_message(names, f"called {p.display_name} instead ({hands} in the queue).")}


def end_turn(actor: Actor) -> None:
    meeting = meeting_of(actor)
    do_end_turn(meeting, check_end_turn(actor, meeting))


def start_goround(actor: Actor, participant_ids: list[int], seconds: int, shuffle: bool) -> dict:
    meeting = meeting_of(actor)
    ids = check_goround_start(actor, meeting, participant_ids)
    rnd, away = do_goround_start(meeting, ids, seconds, shuffle)
    return {"order": rnd.order, **round_reply(rnd, away)}


def round_message(rnd: GoRound, away: PassedOver) -> str | None:
    """A sentence for the facilitator when the round moved someone to the end or passed over
    someone for not being connected; None when it did not."""
    if not away:
        return None

    def said(people: list[Participant], one: str, several: str) -> str:
        names = [p.display_name for p in people]
        return f"{listing(names)} is not connected: {one}." if len(names) == 1 else \
            f"{listing(names)} are not connected: {several}."

    parts = []
    if away.deferred:
        parts.append(said(away.deferred, "their turn moves to the end of the round",
                          "their turns move to the end of the round"))
    if away.skipped:
        parts.append(said(away.skipped, "passed over for the rest of the round",
                          "passed over for the rest of the round"))
    if rnd.ended_at is not None:
        parts.append("The round is over.")
    else:
        parts.append(f"It is {db.session.get(Participant, rnd.order[rnd.index]).display_name}'s turn.")
    return " ".join(parts)


def round_reply(rnd: GoRound, away: PassedOver) -> dict:
    """Who the round moved to the end or passed over for not being connected, and a sentence."""
    return {"deferred": _people(away.deferred), "skipped": _people(away.skipped),
            "message": round_message(rnd, away)}


def next_in_goround(actor: Actor, index: int) -> dict:
    """Move the round on: the reply says who was moved to the end or passed over."""
    meeting = meeting_of(actor)
    rnd = check_goround_next(actor, meeting, index)
    away = do_goround_next(meeting, rnd)
    return round_reply(rnd, away)


def pass_in_goround(actor: Actor) -> None:
    meeting = meeting_of(actor)
    do_goround_pass(meeting, check_goround_pass(actor, meeting))


def stop_goround(actor: Actor) -> None:
    meeting = meeting_of(actor)
    do_goround_stop(meeting, check_goround_stop(actor, meeting))
