"""The session report as plain data: attendance, turn-taking balance, polls, agenda minutes, the
audit trail, and the chat transcript only when the meeting's `report_chat` switch is on.

Facilitator-only (callers check access). Formats (Markdown, CSV, JSON, SVG chart) are in
report_export.py; this module only gathers.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from .actions import attendance, audit
from .balance import balance_index, shares
from .extensions import db
from .models import BreakoutRoom, ChatMessage, Meeting, Participant, Turn, utcnow
from .views.agenda import minutes_for
from .views.floor import talk_totals
from .views.polls import polls_of, results

INDEX_NAME = "1 − Gini of talk time (1 = everyone equal)"
# Group conversation only: private messages to the facilitators and their back-channel stay out.
TRANSCRIPT_CHANNELS = ("main", "room")


def build(meeting: Meeting, now: datetime | None = None) -> dict:
    now = now or utcnow()
    people = {p.id: p for p in db.session.execute(
        select(Participant).where(Participant.meeting_id == meeting.id).order_by(Participant.id)).scalars()}
    return {
        "meeting": _meeting(meeting),
        "generated_at": now,
        "attendance": _attendance(meeting, people, now),
        "turns": _turns(meeting, people),
        "polls": _polls(meeting),
        "minutes": minutes_for(meeting, now),
        "audit": audit.trail(meeting.id),
        "chat_included": meeting.report_chat,
        "chat": _chat(meeting) if meeting.report_chat else None,
    }


def _meeting(m: Meeting) -> dict:
    purge = m.ended_at + timedelta(days=m.retention_days) if m.ended_at else None
    return {"id": m.id, "title": m.title, "kind": m.kind, "state": m.state, "scheduled_at": m.scheduled_at,
            "started_at": m.started_at, "ended_at": m.ended_at, "retention_days": m.retention_days,
            "purge_after": purge,
            "facilitators": [m.owner.display_name] + [c.user.display_name for c in m.cofacilitators]}


def _attendance(meeting: Meeting, people: dict[int, Participant], now: datetime) -> list[dict]:
    """One row per person who was ever inside, with each stretch and their time present."""
    by_person: dict[int, list] = {}
    for s in attendance.stretches(meeting.id):
        by_person.setdefault(s.participant_id, []).append(s)
    rows = []
    for pid, spans in by_person.items():
        p = people[pid]
        until = meeting.ended_at or now
        present = sum(((s.left_at or until) - s.joined_at).total_seconds() for s in spans)
        rows.append({"participant_id": pid, "name": p.display_name, "role": p.role, "group_tag": p.group_tag,
                     "first_joined_at": spans[0].joined_at, "last_left_at": spans[-1].left_at,
                     "present_seconds": round(max(0.0, present)), "removed": p.removed_at is not None,
                     "stretches": [{"joined_at": s.joined_at, "left_at": s.left_at, "how": s.how} for s in spans]})
    return sorted(rows, key=lambda r: (r["first_joined_at"], r["participant_id"]))


def _turns(meeting: Meeting, people: dict[int, Participant]) -> dict:
    """Talk time and turns per participant (observers never speak), the balance index, who has not
    spoken, the same by group tag, and every turn in order."""
    totals = talk_totals(meeting.id)
    attended = {s.participant_id for s in attendance.stretches(meeting.id)}
    counted = [p for p in people.values() if p.role == "participant" and (p.id in attended or p.id in totals)]
    seconds = {p.id: round(totals.get(p.id, {}).get("talk_seconds", 0.0), 1) for p in counted}
    share = shares(seconds)
    rows = [{"participant_id": p.id, "name": p.display_name, "group_tag": p.group_tag,
             "talk_seconds": seconds[p.id], "turns": totals.get(p.id, {}).get("turns", 0),
             "passes": totals.get(p.id, {}).get("passes", 0), "share": round(share[p.id], 4)} for p in counted]
    rows.sort(key=lambda r: (-r["talk_seconds"], r["name"].casefold(), r["participant_id"]))
    index = balance_index(list(seconds.values()))
    groups: dict[str, dict] = {}
    for r in rows:
        g = groups.setdefault(r["group_tag"] or "", {"group_tag": r["group_tag"], "people": 0, "talk_seconds": 0.0,
                                                      "turns": 0})
        g["people"] += 1
        g["talk_seconds"] = round(g["talk_seconds"] + r["talk_seconds"], 1)
        g["turns"] += r["turns"]
    total = sum(seconds.values())
    for g in groups.values():
        g["share"] = round(g["talk_seconds"] / total, 4) if total > 0 else 0.0
    log = [{"participant_id": t.participant_id, "name": people[t.participant_id].display_name,
            "started_at": t.started_at, "ended_at": t.ended_at, "passed": t.passed, "source": t.source,
            "seconds": round((t.ended_at - t.started_at).total_seconds(), 1) if t.ended_at and not t.passed else None}
           for t in db.session.execute(select(Turn).where(Turn.meeting_id == meeting.id)
                                       .order_by(Turn.started_at, Turn.id)).scalars()]
    return {"people": rows, "total_seconds": round(total, 1), "total_turns": sum(r["turns"] for r in rows),
            "balance_index": round(index, 3) if index is not None else None, "index_name": INDEX_NAME,
            "not_spoken": [r["name"] for r in sorted(rows, key=lambda r: r["participant_id"]) if r["turns"] == 0],
            "groups": sorted(groups.values(), key=lambda g: (g["group_tag"] is None, g["group_tag"] or "")),
            "log": log}


def _polls(meeting: Meeting) -> list[dict]:
    """Aggregates only, as facilitators see them (anonymous polls hold nothing more)."""
    out = []
    for poll in polls_of(meeting.id):
        if poll.state == "draft":
            continue
        res = results(poll)
        labels = {o.id: o.label for o in poll.options}
        out.append({"id": poll.id, "question": poll.question, "kind": poll.kind, "anonymous": poll.anonymous,
                    "state": poll.state, "voters": res["voters"], "mean": res["mean"],
                    "options": [{"label": labels[c["option_id"]], "count": c["count"]} for c in res["counts"]],
                    "answers": res["answers"], "words": res["words"]})
    return out


def _chat(meeting: Meeting) -> list[dict]:
    rooms = {r.id: r.name for r in db.session.execute(
        select(BreakoutRoom).where(BreakoutRoom.meeting_id == meeting.id)).scalars()}
    rows = db.session.execute(
        select(ChatMessage).where(ChatMessage.meeting_id == meeting.id, ChatMessage.channel.in_(TRANSCRIPT_CHANNELS))
        .order_by(ChatMessage.created_at, ChatMessage.id)).scalars()
    return [{"at": c.created_at, "channel": c.channel, "room": rooms.get(c.room_id) if c.room_id else None,
             "author": c.author_name, "kind": c.kind, "text": c.text} for c in rows]
