"""Meeting templates: save a meeting's setup (ground rules, agenda, settings) under a name, and
start a new meeting from it in one step, so a weekly group or a monthly MDT starts in one click.

A template belongs to the facilitator who saved it (like a rule set) and outlives the meeting it
came from. It keeps no people: a presenter who was a participant is not kept (participants are
per meeting); a presenter given as a free name is.
"""
from __future__ import annotations

from ..errors import NotFound
from ..extensions import db
from ..models import AgendaItem, AgendaSettings, Meeting, MeetingTemplate, SafetySettings, User, utcnow
from ..views.agenda import break_after, items_of
from .meetings import do_create_meeting
from ..views.safety import contact_required


def setup_of(meeting: Meeting) -> dict:
    """What a template keeps of a meeting."""
    return {
        "rules": [{"title": r.title, "text": r.text} for r in meeting.rules],
        "agenda": [{"title": i.title, "kind": i.kind, "planned_seconds": i.planned_seconds,
                    "presenter_name": i.presenter_name} for i in items_of(meeting.id)],
        "settings": {"kind": meeting.kind, "group_tags": list(meeting.group_tags or []),
                     "retention_days": meeting.retention_days, "queue_mode": meeting.queue_mode,
                     "break_after_minutes": break_after(meeting.id),
                     "require_contact": contact_required(meeting.id)},
    }


def do_save_template(user: User, meeting: Meeting, name: str) -> MeetingTemplate:
    tpl = MeetingTemplate(owner_id=user.id, name=name, created_at=utcnow(), **setup_of(meeting))
    db.session.add(tpl)
    db.session.flush()
    return tpl


def templates_of(user: User) -> list[MeetingTemplate]:
    return list(db.session.execute(
        db.select(MeetingTemplate).where(MeetingTemplate.owner_id == user.id)
        .order_by(MeetingTemplate.name, MeetingTemplate.id)).scalars())


def template_of(user: User, template_id: int) -> MeetingTemplate:
    """One of the user's own templates; anyone else's does not exist for them."""
    tpl = db.session.get(MeetingTemplate, template_id)
    if tpl is None or tpl.owner_id != user.id:
        raise NotFound("No such template.")
    return tpl


def do_create_from_template(user: User, tpl: MeetingTemplate, title: str | None = None,
                            scheduled_at=None) -> Meeting:
    """A new draft meeting with the template's rules, agenda and settings (title: the template's name)."""
    s = tpl.settings
    meeting = do_create_meeting(user, {"title": title or tpl.name, "kind": s["kind"], "scheduled_at": scheduled_at,
                                       "group_tags": s["group_tags"], "retention_days": s["retention_days"]},
                                tpl.rules)
    meeting.queue_mode = s["queue_mode"]
    for pos, item in enumerate(tpl.agenda, start=1):
        db.session.add(AgendaItem(meeting_id=meeting.id, position=pos, title=item["title"], kind=item["kind"],
                                  planned_seconds=item["planned_seconds"], presenter_name=item["presenter_name"],
                                  extended_seconds=0, actual_seconds=0.0, notes=""))
    db.session.add(AgendaSettings(meeting_id=meeting.id, break_after_minutes=s["break_after_minutes"]))
    if s["require_contact"]:
        db.session.add(SafetySettings(meeting_id=meeting.id, require_contact=True))
    db.session.flush()
    return meeting


def do_delete_template(tpl: MeetingTemplate) -> None:
    db.session.delete(tpl)
    db.session.flush()
