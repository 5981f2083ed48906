"""A demo session: a live meeting filled with sample people, so a newcomer sees every panel working.

Everything goes through the same check_* -> do_* actions a real session uses (so the rows are the
rows the app itself would write), except the past turns, which are back-dated: a demo that has
been running for twenty minutes needs a history nobody sat through.
"""
from __future__ import annotations

from datetime import timedelta

from ..access import Actor, actor_for_participant
from ..extensions import db
from ..models import Meeting, Turn, User
from ..models.base import utcnow
from ..rule_templates import default_rules
from . import agenda, attendance, chat, floor, minutes, polls, rules, safety, signals
from .meetings import do_create_meeting, do_set_state
from .participants import do_join

# (display name, group tag, mic, camera, [(minutes ago the turn started, seconds spoken)])
PEOPLE = (
    ("Robin", "Morning", "unmuted", "on", [(19, 150), (9, 95)]),
    ("Sam", "Morning", "muted", "on", [(16, 240), (4, 120)]),
    ("Alex", "Evening", "muted", "off", [(12, 45)]),
    ("Jo", "Evening", "muted", "on", []),
    ("Kit", "Morning", "muted", "off", []),
    ("Pat", "Evening", "muted", "on", [(7, 60)]),
)
DEMO_TITLE = "Demo: Thursday support group"


def do_create_demo(owner: User) -> Meeting:
    """A live demo meeting owned by `owner`: people, history, a queue, a poll, signals, chat and an agenda."""
    meeting = do_create_meeting(owner, {"title": DEMO_TITLE, "kind": "group", "group_tags": ["Morning", "Evening"],
                                        "retention_days": 1}, rules=default_rules())
    host = Actor(role="facilitator", meeting_id=meeting.id, user_id=owner.id)
    do_set_state(host, meeting, "live")
    meeting.opened_at = meeting.started_at = utcnow() - timedelta(minutes=22)

    people = []
    for i, (name, tag, mic, camera, _) in enumerate(PEOPLE):
        p, _token = do_join(meeting, {"display_name": name, "group_tag": tag})
        p.mic, p.camera, p.presence = mic, camera, "connected"
        ack = rules.do_ack(p, meeting)
        # Arrived a little before the start, one after another.
        p.joined_at = meeting.started_at - timedelta(seconds=150 - 20 * i)
        p.rules_acked_at = ack.acked_at = p.joined_at + timedelta(seconds=15)
        attendance.arrive(p, p.joined_at)
        people.append(p)
    people[4].presence = "reconnecting"
    db.session.flush()

    now = utcnow()
    for p, (*_, turns) in zip(people, PEOPLE, strict=True):
        for started_ago, seconds in turns:
            start = now - timedelta(minutes=started_ago)
            db.session.add(Turn(meeting_id=meeting.id, participant_id=p.id, source="queue", hand_kind="new",
                                started_at=start, ended_at=start + timedelta(seconds=seconds)))
    db.session.flush()

    robin, sam, alex, jo, kit, pat = people
    as_ = actor_for_participant
    floor.do_call(meeting, floor.check_call(host, meeting, robin.id).participant)
    for p, kind in ((alex, "reply"), (jo, "new"), (pat, "process")):
        floor.do_raise(meeting, floor.check_raise(as_(p), meeting, kind), kind)

    poll = polls.do_checkin(meeting, "call")
    first = poll.options[0].id
    for p, option in ((robin, first), (sam, first), (alex, poll.options[1].id), (pat, first)):
        _, pl, answer = polls.check_vote(as_(p), meeting, poll.id, {"choices": [option]})
        polls.do_vote(meeting, pl, p, answer)

    signals.do_raise_signal(signals.check_raise_signal(as_(sam), meeting, "slow_down"), "slow_down")
    signals.do_raise_signal(signals.check_raise_signal(as_(pat), meeting, "need_break"), "need_break")
    signals.do_support(signals.check_support(as_(jo), meeting))

    for p, text in ((sam, "Thanks for the reminder about the break, Robin."),
                    (alex, "Could we come back to the point about sleep later?")):
        chat.do_send(meeting, chat.check_send(as_(p), meeting, {"channel": "main"}), text)
    chat.do_send(meeting, chat.check_send(as_(jo), meeting, {"channel": "direct"}),
                 "I might need to step out for a minute.")

    safety.do_set_plan(host, safety.check_set_plan(host, kit.id),
                       "Sample plan: phone 0000 000000 within 5 minutes; if no answer, text.")
    _agenda(meeting, host, robin)
    db.session.flush()
    return meeting


def _agenda(meeting: Meeting, host: Actor, presenter) -> None:
    """A four-item agenda: the check-in done (a little over), the discussion running, a break to come."""
    plan = (("Arriving: check-in round", "checkin", 8 * 60, None),
            ("Sleep and evenings", "discussion", 25 * 60, presenter.id),
            ("Screen break", "break", 10 * 60, None),
            ("What we take away", "decision", 15 * 60, None))
    items = []
    for title, kind, seconds, presenter_id in plan:
        data = {"title": title, "kind": kind, "planned_seconds": seconds, "presenter_id": presenter_id}
        agenda.check_add(host, meeting, data)
        items.append(agenda.do_add(meeting, data))
    checkin, discussion = items[0], items[1]
    agenda.do_start(meeting, checkin, now=meeting.started_at)
    agenda.do_move(meeting, discussion, now=meeting.started_at + timedelta(minutes=9, seconds=40))
    minutes.do_notes(meeting, checkin, "Most arrived tired; two had a hard week.")
    minutes.do_add_decision(meeting, checkin, "Keep the check-in to one word each next time.")
    minutes.do_add_action(meeting, checkin, {"what": "Share the sleep-diary sheet", "owner": "Facilitator", "due": None})
    minutes.check_heard(host, meeting)
    minutes.do_post_heard(host, meeting, "What I heard: evenings are the hardest part, and screens make sleep worse.")
