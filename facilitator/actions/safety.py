"""Safeguarding: contact plans and drop alerts. Everything here reaches facilitators only.

A drop alert is raised when a participant's last connection is lost (ping timeout, transport
close or error) while they were in the meeting and had not left on purpose; a deliberate leave or
a removal sets presence to `left` first, so it raises none. It resolves itself when the person
connects again, and a facilitator can acknowledge it. Contact plans say how to reach someone
whose connection dropped: the participant may give their own details (and sees only those), the
facilitators keep their plan beside it. Nothing of either goes to the meeting stream.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..access import (Actor, load_participant, meeting_of, owned, require_facilitating, require_not_ended,
                      same_meeting)
from ..errors import Conflict
from ..events import declare, participant_stream, publish
from ..extensions import db
from ..models import Attendance, Connection, ContactPlan, DropAlert, Meeting, Participant, SafetySettings, utcnow
from ..models.safety import UNEXPECTED_REASONS
from ..schemas.safety import ContactPlanOut, DropAlertOut, MyContactOut, SafetySettingsOut
from ..views.safety import alert_view, my_contact, plan_of, plan_view, settings_view
from . import attendance

declare("drop_alert", "upsert", ("facilitators",), DropAlertOut,
        "A participant's connection dropped unexpectedly (alert!), they came back (resolved), or a facilitator "
        "acknowledged it. Open alerts are those with `open` true.")
declare("contact_plan", "upsert", ("facilitators",), ContactPlanOut,
        "A participant's contact plan changed (an entry with neither `given` nor `plan` is gone).")
declare("contact_plan", "mine", ("participant",), MyContactOut, "The contact details you gave changed.")
declare("safety", "settings", ("facilitators",), SafetySettingsOut,
        "The meeting's safeguarding settings changed (whether joining asks for contact details).")

ALERT_ON = ("open", "live", "paused")
# Losses that wait for the grace period before alerting (see `connection_lost`).
DEFERRED = ("transport close", "transport error")


# ---- drop alerts ---------------------------------------------------------------------------

def _unresolved(participant_id: int) -> DropAlert | None:
    return db.session.execute(
        select(DropAlert).where(DropAlert.participant_id == participant_id, DropAlert.resolved_at.is_(None))
    ).scalar_one_or_none()


def connection_lost(p: Participant, reason: str | None) -> None:
    """`p`'s last connection closed without a deliberate leave. A ping timeout alerts at once (the
    person has been silent for seconds already); a closed transport alerts only if they are not
    back within the grace period, because a page reload closes it too and reconnects at once:
    the timed jobs raise it then (`due_drops`, `alert_if_due`)."""
    if reason == "ping timeout" or attendance.grace().total_seconds() <= 0:
        raise_drop_alert(p, reason)


def due_drops(now) -> list[tuple[int, datetime]]:
    """(participant, when their connection closed) for people whose connection closed more than the
    grace period ago (within the last hour) and who are still away: they may need a drop alert."""
    cutoff = now - attendance.grace()
    return [tuple(r) for r in db.session.execute(
        select(Attendance.participant_id, Attendance.left_at)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(Attendance.how.in_(DEFERRED), Attendance.left_at <= cutoff,
               Attendance.left_at > cutoff - timedelta(hours=1), Participant.presence == "reconnecting")
    ).all()]


def alert_if_due(participant_id: int, left_at: datetime) -> DropAlert | None:
    """Raise the alert for a connection that closed at `left_at` if the person is still away (that
    stretch was not resumed, no connection of theirs is open) and not alerted for already. Two
    processes at once alert once: the unique index on open alerts refuses the second."""
    p = db.session.get(Participant, participant_id)
    if p is None or p.presence != "reconnecting":
        return None
    if db.session.execute(select(Connection.sid).where(Connection.participant_id == p.id)).first() is not None:
        return None
    last = attendance.last_stretch(p.id)
    if last is None or last.left_at != left_at or last.how not in DEFERRED:
        return None
    return raise_drop_alert(p, last.how, dropped_at=left_at)


def raise_drop_alert(p: Participant, reason: str | None, dropped_at=None) -> DropAlert | None:
    """Alert facilitators that `p` dropped. Only for an unexpected loss of a participant (not an
    observer) who was inside a running meeting."""
    if reason not in UNEXPECTED_REASONS or p.role != "participant" or p.removed_at is not None:
        return None
    if p.rules_version_acked is None:  # still reading the ground rules: never in the room
        return None
    meeting = db.session.get(Meeting, p.meeting_id)
    if meeting is None or meeting.state not in ALERT_ON or _unresolved(p.id) is not None:
        return None
    alert = DropAlert(meeting_id=p.meeting_id, participant_id=p.id, reason=reason, dropped_at=dropped_at or utcnow())
    db.session.add(alert)
    db.session.flush()
    publish(p.meeting_id, "facilitators", "drop_alert", "upsert", alert_view(alert))
    return alert


def resolve_drop_alerts(p: Participant) -> None:
    """`p` is back (or was removed): their unresolved alert closes by itself."""
    alert = _unresolved(p.id)
    if alert is None:
        return
    alert.resolved_at = utcnow()
    db.session.flush()
    publish(p.meeting_id, "facilitators", "drop_alert", "upsert", alert_view(alert))


def check_ack_drop_alert(actor: Actor, alert_id: int) -> DropAlert:
    require_facilitating(actor)
    alert = owned(actor, DropAlert, alert_id, "alert")
    if alert.acknowledged_at is not None:
        raise Conflict("A facilitator has already acknowledged this.", code="already_acknowledged")
    if alert.resolved_at is not None:
        raise Conflict("They are back already.", code="already_resolved")
    return alert


def do_ack_drop_alert(actor: Actor, alert: DropAlert) -> None:
    alert.acknowledged_at = utcnow()
    alert.acknowledged_by = actor.user_id
    db.session.flush()
    publish(alert.meeting_id, "facilitators", "drop_alert", "upsert", alert_view(alert))


def ack_drop_alert(actor: Actor, alert_id: int) -> None:
    """drop_alert.ack, whole: check, then mark the alert acknowledged by this facilitator."""
    do_ack_drop_alert(actor, check_ack_drop_alert(actor, alert_id))


# ---- contact plans -------------------------------------------------------------------------

def _publish_plan(c: ContactPlan, *, mine: bool) -> None:
    view = plan_view(c)
    mid, pid = c.meeting_id, c.participant_id
    if c.given is None and c.plan is None:  # nothing left to keep
        db.session.delete(c)
        db.session.flush()
    publish(mid, "facilitators", "contact_plan", "upsert", view)
    if mine:
        publish(mid, participant_stream(pid), "contact_plan", "mine", my_contact(pid))


def _plan_for(p: Participant) -> ContactPlan:
    c = plan_of(p.id)
    if c is None:
        c = ContactPlan(meeting_id=p.meeting_id, participant_id=p.id)
        db.session.add(c)
    return c


def check_set_plan(actor: Actor, participant_id: int) -> Participant:
    require_facilitating(actor)
    p = same_meeting(actor, participant_id)
    if p.removed_at is not None:
        raise Conflict("That person was removed.", code="removed")
    return p


def do_set_plan(actor: Actor, p: Participant, plan: str | None) -> None:
    plan = plan or None
    c = plan_of(p.id)
    if c is None and plan is None:
        return
    c = c or _plan_for(p)
    if c.plan == plan:
        return
    c.plan, c.plan_updated_at, c.plan_updated_by = plan, utcnow(), actor.user_id
    db.session.flush()
    _publish_plan(c, mine=False)


def set_contact_plan(actor: Actor, participant_id: int, plan: str | None) -> None:
    """contact_plan.set, whole: check, then write (or clear) the plan for that person."""
    p = check_set_plan(actor, participant_id)
    do_set_plan(actor, p, plan)


def check_give_contact(actor: Actor) -> Participant:
    if actor.facilitating:
        raise Conflict("Contact details are for participants; use contact_plan.set.", code="not_participant")
    p = load_participant(actor)
    require_not_ended(actor)  # nobody needs reaching after the end; keep no new personal data
    return p


def do_give_contact(p: Participant, given: str | None) -> None:
    """The participant's own details (at joining or later). Only facilitators and they see them."""
    given = given or None
    c = plan_of(p.id)
    if c is None and given is None:
        return
    c = c or _plan_for(p)
    if c.given == given:
        return
    c.given, c.given_at = given, (utcnow() if given else None)
    db.session.flush()
    _publish_plan(c, mine=True)


def give_contact(actor: Actor, given: str | None) -> dict:
    """contact.give, whole: check, store (or clear) the participant's own details, and their view of them."""
    p = check_give_contact(actor)
    do_give_contact(p, given)
    return {"contact": my_contact(p.id)}


# ---- settings ------------------------------------------------------------------------------


def check_settings(actor: Actor) -> None:
    require_facilitating(actor)


def do_settings(meeting: Meeting, require_contact: bool) -> None:
    row = db.session.get(SafetySettings, meeting.id)
    if (row.require_contact if row else False) == require_contact:
        return
    if row is None:
        row = SafetySettings(meeting_id=meeting.id)
        db.session.add(row)
    row.require_contact = require_contact
    db.session.flush()
    publish(meeting.id, "facilitators", "safety", "settings", settings_view(meeting.id))


def set_require_contact(actor: Actor, require_contact: bool) -> None:
    """safety.settings, whole: check, then ask (or stop asking) for contact details at joining."""
    check_settings(actor)
    do_settings(meeting_of(actor), require_contact)
