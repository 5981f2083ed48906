"""Publishing a person's record to each audience, shared by every action that changes one."""
from __future__ import annotations

from ..events import declare, participant_stream, publish
from ..models import Participant
from ..schemas.common import IdOut, shared
from ..schemas.participants import MeOut, PersonOut, RosterEntryOut
from ..views.people import on_roster

declare("roster", "upsert", ("meeting",), RosterEntryOut, "A person entered the meeting or changed name, tag or presence.")
declare("roster", "removed", ("meeting",), IdOut, "A person was removed from the meeting.")
declare("people", "upsert", ("facilitators",), PersonOut, "Facilitator view of a person changed (connection, status, rules).")
declare("me", "updated", ("participant",), MeOut, "The participant's own record changed.")


_UNKNOWN = object()


def publish_person(p: Participant, *, public: bool = True, before=_UNKNOWN) -> None:
    """Tell facilitators, the person, and (if they are on the roster) everyone inside.

    Given `before` (the `public_view` taken before the change), everyone inside hears only of a
    change they can see: an unchanged roster entry would still tell them *when* someone toggled
    a mic, dropped their connection or re-accepted the rules, which is facilitator-only.
    """
    publish(p.meeting_id, "facilitators", "people", "upsert", shared(PersonOut).dump(p))
    publish(p.meeting_id, participant_stream(p.id), "me", "updated", shared(MeOut).dump(p))
    if public and on_roster(p):
        view = shared(RosterEntryOut).dump(p)
        if before is _UNKNOWN or view != before:
            publish(p.meeting_id, "meeting", "roster", "upsert", view)
