"""Socket handlers for drop alerts and contact plans: each one call of its action in
actions/safety.py, which checks, changes and returns the reply."""
from __future__ import annotations

from ..access import Actor
from ..actions import safety
from ..actions.audit import person_of
from ..models import DropAlert
from ..schemas.safety import ContactGiveIn, ContactPlanSetIn, DropAlertRefIn, SafetySettingsIn
from .registry import on

FACILITATORS = ("facilitator", "cofacilitator")
PEOPLE = ("participant", "observer")


@on("drop_alert.ack", DropAlertRefIn, "Acknowledge a drop alert (you are reaching out): it leaves the open list.",
    roles=FACILITATORS,
    target=person_of(DropAlert, "alert_id"))
def on_drop_alert_ack(actor: Actor, data: dict):
    return safety.ack_drop_alert(actor, data["alert_id"])


@on("contact_plan.set", ContactPlanSetIn, "Write the facilitators' contact plan for one person (how to reach "
    "them, what was agreed); facilitators only ever see it. Empty or null clears it.",
    roles=FACILITATORS)
def on_contact_plan_set(actor: Actor, data: dict):
    return safety.set_contact_plan(actor, data["participant_id"], data["plan"])


@on("contact.give", ContactGiveIn, "Give (or change, or clear) how the facilitators can reach you if your "
    "connection drops. Only the facilitators and you see it.", roles=PEOPLE)
def on_contact_give(actor: Actor, data: dict):
    return safety.give_contact(actor, data["given"])


@on("safety.settings", SafetySettingsIn, "Ask (or stop asking) participants for contact details when they join.",
    roles=FACILITATORS)
def on_safety_settings(actor: Actor, data: dict):
    return safety.set_require_contact(actor, data["require_contact"])
