"""Safeguarding as facilitators see it (drop alerts, contact plans, settings), and a participant's own
contact details as they gave them."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import ContactPlan, DropAlert, Participant, SafetySettings, User
from ..schemas.common import shared
from ..schemas.safety import ContactPlanOut, DropAlertOut, MyContactOut, SafetySettingsOut


def _name(user_id: int | None) -> str | None:
    user = db.session.get(User, user_id) if user_id else None
    return user.display_name if user else None


def alert_view(a: DropAlert) -> dict:
    p = db.session.get(Participant, a.participant_id)
    return shared(DropAlertOut).dump({
        "id": a.id, "participant_id": a.participant_id, "name": p.display_name, "reason": a.reason,
        "dropped_at": a.dropped_at, "resolved_at": a.resolved_at, "acknowledged_at": a.acknowledged_at,
        "acknowledged_by": _name(a.acknowledged_by),
        "open": a.resolved_at is None and a.acknowledged_at is None})


def open_alerts(meeting_id: int) -> list[dict]:
    rows = db.session.execute(
        select(DropAlert).where(DropAlert.meeting_id == meeting_id, DropAlert.resolved_at.is_(None),
                                DropAlert.acknowledged_at.is_(None)).order_by(DropAlert.id)).scalars()
    return [alert_view(a) for a in rows]


def plan_view(c: ContactPlan) -> dict:
    p = db.session.get(Participant, c.participant_id)
    return shared(ContactPlanOut).dump({
        "participant_id": c.participant_id, "name": p.display_name, "given": c.given, "given_at": c.given_at,
        "plan": c.plan, "plan_updated_at": c.plan_updated_at, "plan_updated_by": _name(c.plan_updated_by)})


def contact_plans(meeting_id: int) -> list[dict]:
    rows = db.session.execute(
        select(ContactPlan).where(ContactPlan.meeting_id == meeting_id).order_by(ContactPlan.participant_id))
    return [plan_view(c) for c in rows.scalars()]


def plan_of(participant_id: int) -> ContactPlan | None:
    return db.session.execute(
        select(ContactPlan).where(ContactPlan.participant_id == participant_id)).scalar_one_or_none()


def my_contact(participant_id: int) -> dict:
    """A participant's own details as they gave them: never the facilitators' plan."""
    c = plan_of(participant_id)
    return shared(MyContactOut).dump({"given": c.given if c else None, "given_at": c.given_at if c else None})


def contact_required(meeting_id: int) -> bool:
    row = db.session.get(SafetySettings, meeting_id)
    return bool(row and row.require_contact)


def settings_view(meeting_id: int) -> dict:
    return shared(SafetySettingsOut).dump({"require_contact": contact_required(meeting_id)})


def add_to_snapshot(snap: dict, meeting, where) -> None:
    """A participant's own contact details; open drop alerts, contact plans and settings for facilitators."""
    if not where.facilitating:
        snap["my_contact"] = my_contact(where.participant_id)
    else:
        snap["private"].update(drop_alerts=open_alerts(meeting.id), contact_plans=contact_plans(meeting.id),
                               safety=settings_view(meeting.id))
