"""Ground rules: set (version bumps only on a real change), acknowledge (current version only)."""
from __future__ import annotations

import pytest

from facilitator.access import require_entered
from facilitator.actions.meetings import do_set_state
from facilitator.actions.rules import (
    check_ack,
    check_set_rules,
    do_ack,
    do_save_ruleset,
    do_set_rules,
    ruleset_of,
)
from facilitator.errors import Conflict, NotAllowed, NotFound
from facilitator.extensions import db
from facilitator.models import Meeting, Participant, RuleAck, User
from facilitator.rule_templates import default_rules

from .support import dump_db, of, participant, verify_action

NEW_RULES = [{"title": "Cameras", "text": "Cameras on if you can."}, {"title": "Chat", "text": "Chat kindly."}]


def test_set_rules_with_new_content_bumps_version_and_tells_everyone(app, world, factory):
    _, gated = factory.join(world.mid, name="Reading", ack=False)

    def act(m):
        check_set_rules(world.fac, m)
        assert do_set_rules(world.fac, m, NEW_RULES) is True

    envs = verify_action(app, world.mid, [world.fac, world.part], act)
    changed = of(envs, "meeting", "rules", "changed")
    assert len(changed) == 1
    assert changed[0]["data"]["version"] == 2
    assert changed[0]["data"]["items"] == NEW_RULES
    gate = of(envs, "gate")
    assert [(g["type"], g["op"], g["seq"], g["data"]) for g in gate] == [("rules", "changed", None, {})], \
        "people still at the gate get a bare notice (no seq) and resync"
    assert of(envs, f"p{gated}") == []
    with app.app_context():
        m = db.session.get(Meeting, world.mid)
        assert m.rules_version == 2
        assert [(r.title, r.text) for r in m.rules] == [(r["title"], r["text"]) for r in NEW_RULES]
        p = db.session.get(Participant, world.pid)
        assert p.rules_version_acked == 1 and not p.has_acked(m.rules_version), "the old ack is stale"


def test_set_rules_with_same_content_changes_nothing(app, world):
    before = dump_db(app)
    envs = verify_action(app, world.mid, [world.fac, world.part],
                         lambda m: pytest.fail("changed") if do_set_rules(world.fac, m, default_rules()) else None)
    assert envs == []
    assert dump_db(app) == before, "same content: same version, same rows"


def test_set_rules_reordering_is_a_change(app, world):
    envs = verify_action(app, world.mid, [world.fac, world.part],
                         lambda m: do_set_rules(world.fac, m, list(reversed(default_rules()))))
    assert of(envs, "meeting", "rules")[0]["data"]["version"] == 2


def test_set_rules_to_empty_is_a_change(app, world):
    envs = verify_action(app, world.mid, [world.fac, world.part], lambda m: do_set_rules(world.fac, m, []))
    data = of(envs, "meeting", "rules")[0]["data"]
    assert (data["items"], data["version"]) == ([], 2)


def test_set_rules_refusals(app, world, ctx):
    m = db.session.get(Meeting, world.mid)
    with pytest.raises(NotAllowed):
        check_set_rules(world.part, m)
    do_set_state(world.fac, m, "ended")
    db.session.commit()
    with pytest.raises(Conflict) as err:
        check_set_rules(world.fac, m)
    assert err.value.code == "meeting_ended"


def test_ack_current_version_records_time_and_enters_the_roster(app, world, factory):
    _, pid = factory.join(world.mid, name="Newcomer", ack=False)
    newcomer = participant(world.mid, pid)

    def act(m):
        p = check_ack(newcomer, m, 1)
        do_ack(p, m)

    envs = verify_action(app, world.mid, [world.fac, world.part], act)
    with app.app_context():
        p = db.session.get(Participant, pid)
        assert p.rules_version_acked == 1 and p.rules_acked_at is not None
        acks = db.session.execute(db.select(RuleAck).where(RuleAck.participant_id == pid)).scalars().all()
        assert [(a.version, a.acked_at) for a in acks] == [(1, p.rules_acked_at)]
    assert [e["data"]["id"] for e in of(envs, "meeting", "roster", "upsert")] == [pid], "now everyone sees them"
    fac = of(envs, "facilitators", "people")
    assert fac[0]["data"]["rules_version_acked"] == 1 and fac[0]["data"]["rules_acked_at"]


def test_re_ack_after_a_change_is_not_announced_to_others(app, world, factory):
    _, other = factory.join(world.mid, name="Bo")
    with app.app_context():
        m = db.session.get(Meeting, world.mid)
        do_set_rules(world.fac, m, NEW_RULES)
        db.session.commit()

    def act(m):
        do_ack(check_ack(world.part, m, 2), m)

    envs = verify_action(app, world.mid, [world.fac, world.part, participant(world.mid, other)], act)
    assert of(envs, "meeting") == [], "whether someone re-accepted is for facilitators only"
    assert of(envs, "facilitators", "people")[0]["data"]["rules_version_acked"] == 2


def test_ack_of_stale_version_is_refused_with_rules_changed(app, world, ctx):
    m = db.session.get(Meeting, world.mid)
    do_set_rules(world.fac, m, NEW_RULES)
    db.session.commit()
    before = dump_db(app)
    for version in (1, 0, 3):
        with pytest.raises(Conflict) as err:
            check_ack(world.part, m, version)
        assert err.value.code == "rules_changed"
    db.session.rollback()
    assert dump_db(app) == before
    # and with the stale ack, the participant is not inside until they accept again
    with pytest.raises(Conflict) as err:
        require_entered(world.part, m)
    assert err.value.code == "rules_not_acknowledged"
    do_ack(check_ack(world.part, m, 2), m)
    db.session.commit()
    assert require_entered(world.part, m).id == world.pid


def test_ack_refusals(app, world, factory, ctx):
    m = db.session.get(Meeting, world.mid)
    with pytest.raises(Conflict) as err:
        check_ack(world.fac, m, 1)
    assert err.value.code == "not_participant"
    do_set_state(world.fac, m, "ended")
    db.session.commit()
    with pytest.raises(Conflict) as err:
        check_ack(world.part, m, 1)
    assert err.value.code == "meeting_ended"


def test_ack_by_removed_participant_is_refused(app, world, ctx):
    from facilitator.actions.participants import check_remove, do_remove

    m = db.session.get(Meeting, world.mid)
    do_remove(world.fac, check_remove(world.fac, world.pid))
    db.session.commit()
    with pytest.raises(NotAllowed) as err:
        check_ack(world.part, m, 1)
    assert err.value.code == "removed"


def test_rulesets_are_private_to_their_owner(app, world, factory, ctx):
    owner = db.session.get(User, world.uid)
    m = db.session.get(Meeting, world.mid)
    rs = do_save_ruleset(owner, "My usual", m.rules)
    db.session.commit()
    assert rs.items == [{"title": r["title"], "text": r["text"]} for r in default_rules()]
    assert ruleset_of(owner, rs.id).id == rs.id
    stranger = db.session.get(User, factory.user())
    with pytest.raises(NotFound):
        ruleset_of(stranger, rs.id)
