"""Fill a database for the benchmark: one facilitator account owning M live meetings of P
participants who have all accepted the rules, each meeting with an open, named, live poll.

Run as `python -m bench.seed M P` with the server's DATABASE_URL and SECRET_KEY; prints JSON
(meetings with ids, poll options and participant tokens) on stdout. Goes through the same
do_* actions the app uses, so the rows are the rows a real session has.
"""
from __future__ import annotations

import json
import sys

EMAIL, PASSWORD = "bench@example.org", "bench password 1234"


def seed(meetings: int, per_meeting: int) -> dict:
    from facilitator import create_app
    from facilitator.access import Actor
    from facilitator.actions import polls, rules
    from facilitator.actions.accounts import check_create_user, do_create_user
    from facilitator.actions.meetings import do_create_meeting, do_set_state
    from facilitator.actions.participants import do_join
    from facilitator.extensions import db
    from facilitator.rule_templates import default_rules

    app = create_app()
    out = {"email": EMAIL, "password": PASSWORD, "meetings": []}
    with app.app_context():
        owner = do_create_user(check_create_user({"email": EMAIL, "display_name": "Bench", "password": PASSWORD}))
        db.session.commit()
        for m in range(meetings):
            meeting = do_create_meeting(owner, {"title": f"Bench {m}", "kind": "group"}, rules=default_rules())
            host = Actor(role="facilitator", meeting_id=meeting.id, user_id=owner.id)
            do_set_state(host, meeting, "live")
            people = []
            for i in range(per_meeting):
                p, token = do_join(meeting, {"display_name": f"P{m}-{i}"})
                rules.do_ack(p, meeting)
                people.append((p, token))
            poll = polls.do_create(meeting, {"kind": "single", "question": "Where next?", "anonymous": False,
                                             "allow_change": True, "visibility": "live",
                                             "options": ["Here", "There", "Elsewhere"]}, launch=True)
            db.session.commit()
            out["meetings"].append({"id": meeting.id, "poll": poll.id, "options": [o.id for o in poll.options],
                                    "people": [{"id": p.id, "token": t} for p, t in people]})
    return out


if __name__ == "__main__":
    json.dump(seed(int(sys.argv[1]), int(sys.argv[2])), sys.stdout)
