"""A running round and the meeting around it: removal and the end of the session."""
from __future__ import annotations

from facilitator.actions import breakouts as bo
from facilitator.views import breakouts as bov
from facilitator.actions.meetings import check_set_state, do_set_state
from facilitator.actions.participants import check_remove, do_remove
from facilitator.extensions import db
from facilitator.models import Meeting

from .support import verify_action
from .test_breakouts import make_world, opened


def test_removing_someone_takes_them_out_of_their_room(app, factory):
    w = make_world(app, factory)
    rid, r1, _ = opened(w)
    assert w.where(rid)["Ann"] == r1
    others = [a for a in w.actors() if a.participant_id != w.pids["Ann"]]  # Ann's own view is gone
    events = verify_action(app, w.mid, others, lambda m: do_remove(w.fac, check_remove(w.fac, w.pids["Ann"])))
    assert "Ann" not in w.where(rid)
    room = [e for e in events if e["type"] == "room" and e["stream"] == f"b{r1}"]
    assert room and all(m["name"] != "Ann" for m in room[-1]["data"]["members"])


def test_ending_the_session_closes_a_running_round_and_returns_everyone(app, factory):
    w = make_world(app, factory)
    rid, _, _ = opened(w)

    def end(m):
        check_set_state(w.fac, m, "ended")
        do_set_state(w.fac, m, "ended")

    events = w.run(end)
    with app.app_context():
        assert db.session.get(Meeting, w.mid).state == "ended"
        assert bov.active_round(w.mid) is None or bov.active_round(w.mid).state == "closed"
    returned = {e["stream"] for e in events if (e["type"], e["op"]) == ("breakout", "returned")}
    assert returned == {f"p{pid}" for pid in w.pids.values()}


def test_someone_who_left_on_purpose_is_not_sent_to_a_room(app, factory):
    from facilitator.actions.participants import do_leave

    w = make_world(app, factory)
    rid, _ = w.create(2)
    w.do(lambda m: bo.do_auto(m, bo.check_auto(w.fac, rid, "random"), "random"))
    assert "Ann" in w.where(rid)
    w.do(lambda m: do_leave(w.p("Ann")))
    w.open(rid)
    assert "Ann" not in w.where(rid)
    assert set(w.where(rid)) == set(w.pids) - {"Ann"}
