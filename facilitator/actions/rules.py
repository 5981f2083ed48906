"""Ground rules: set them, acknowledge them, save and reuse sets."""
from __future__ import annotations

from ..access import Actor, load_participant, meeting_of, require_facilitating
from ..errors import Conflict, NotFound
from ..events import declare, publish
from ..extensions import db
from ..models import GroundRule, Meeting, RuleAck, RuleSet, User, utcnow
from ..schemas.common import EmptyIn
from ..schemas.rules import RulesOut
from ..views.people import public_view, rules_view
from .people import publish_person

declare("rules", "changed", ("meeting",), RulesOut, "The ground rules changed; everyone must acknowledge the new version.")
declare("rules", "changed", ("gate",), EmptyIn, "Sent without data or seq to people still reading the rules: resync.")


def _items(rules) -> list[tuple[str, str]]:
    return [(r["title"], r["text"]) if isinstance(r, dict) else (r.title, r.text) for r in rules]


def replace_rules(meeting: Meeting, items: list[dict]) -> bool:
    """Replace the rule rows; bump the version only if the content really changed."""
    if _items(meeting.rules) == _items(items):
        return False
    meeting.rules.clear()
    db.session.flush()
    for pos, item in enumerate(items):
        meeting.rules.append(GroundRule(position=pos, title=item["title"], text=item["text"]))
    meeting.rules_version += 1
    meeting.rules_changed_at = utcnow()
    db.session.flush()
    return True


def check_set_rules(actor: Actor, meeting: Meeting) -> None:
    require_facilitating(actor)
    if meeting.state == "ended":
        raise Conflict("The session has ended.", code="meeting_ended")


def set_rules(actor: Actor, meeting: Meeting, items: list[dict]) -> bool:
    """The whole action: check, then set (for callers that do both at once)."""
    check_set_rules(actor, meeting)
    return do_set_rules(actor, meeting, items)


def do_set_rules(actor: Actor | None, meeting: Meeting, items: list[dict]) -> bool:
    """Set the rules; if they changed, everyone inside sees them and is asked to accept again."""
    if not replace_rules(meeting, items):
        return False
    publish(meeting.id, "meeting", "rules", "changed", rules_view(meeting))
    publish(meeting.id, "gate", "rules", "changed", {})
    return True


def set_meeting_rules(actor: Actor, items: list[dict]) -> dict:
    """rules.set, whole: `set_rules` on the actor's own meeting, and whether they changed with the
    version now in force."""
    meeting = meeting_of(actor)
    changed = set_rules(actor, meeting, items)
    return {"changed": changed, "version": meeting.rules_version}


def check_ack(actor: Actor, meeting: Meeting, version: int):
    if actor.facilitating:
        raise Conflict("Facilitators set the rules; there is nothing to acknowledge.", code="not_participant")
    p = load_participant(actor)
    if meeting.state == "ended":
        raise Conflict("This session has ended.", code="meeting_ended")
    if version != meeting.rules_version:
        raise Conflict("The rules have just changed: please read them again.", code="rules_changed")
    return p


def do_ack(p, meeting: Meeting) -> RuleAck:
    """Record that `p` accepted the current rules, with the time."""
    before = public_view(p)
    now = utcnow()
    ack = RuleAck(meeting_id=meeting.id, participant_id=p.id, version=meeting.rules_version, acked_at=now)
    db.session.add(ack)
    p.rules_version_acked = meeting.rules_version
    p.rules_acked_at = now
    db.session.flush()
    publish_person(p, before=before)
    return ack


def accept_rules(actor: Actor, version: int) -> dict:
    """rules.ack, whole: check that `version` is the one in force, record the acceptance, and what was
    accepted when."""
    meeting = meeting_of(actor)
    p = check_ack(actor, meeting, version)
    ack = do_ack(p, meeting)
    return {"version": ack.version, "acked_at": ack.acked_at.isoformat()}


def do_save_ruleset(user: User, name: str, items: list[dict]) -> RuleSet:
    rs = RuleSet(owner_id=user.id, name=name, items=[{"title": t, "text": x} for t, x in _items(items)])
    db.session.add(rs)
    db.session.flush()
    return rs


def ruleset_of(user: User, ruleset_id: int) -> RuleSet:
    rs = db.session.get(RuleSet, ruleset_id)
    if rs is None or rs.owner_id != user.id:
        raise NotFound("No such rule set.")
    return rs
