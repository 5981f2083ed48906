"""Breakout rounds: prepare rooms and assignments, open, run, end exactly once.

Audiences. Each room has its own stream `b<room id>` (Socket.IO room `breakout:<room id>`), so
a participant only ever receives their own room's events and chat. Facilitators do not join
room streams: every room event they need (the round with all rooms, every room's chat) comes
on the `facilitators` stream, one ordered stream however many rooms run. A participant who is
placed, moved or returned hears it on their own stream `p<id>` and answers with `sync`, which
moves their connection (`connection.reconcile_rooms`), whichever worker holds it.

Time. A round stores its deadline (`ends_at`) and when to warn (`warn_at`); `run_due_jobs`
(facilitator/jobs.py) sends the warning and ends the round through conditional UPDATEs that
exactly one worker can win, so two processes never end a round twice.
"""
from __future__ import annotations

from .assigning import (assign_person, auto_assign, check_assign, check_auto, check_fill, check_visit, deal, do_assign,
                        do_auto, do_fill, do_visit, fill, fill_rooms, previous_round, visit_room)
from .common import LIVE_STATES, MIN_REMAINING_SECONDS, breakout_change
from .ending import (check_close, claim_close, claim_warning, close_round, do_close, due_rounds, end_if_due,
                     publish_closed, publish_warning, warn_if_due)
from .leaving import release_breakout
from .preparing import (change_settings, check_choosing, check_create, check_discard, check_rename, check_settings,
                        create_round, discard_round, do_choosing, do_create, do_discard, do_rename, do_settings,
                        rename_room, set_choosing)
from .running import (ask_for_help, broadcast_message, check_broadcast, check_choose, check_extend, check_help,
                      check_help_clear, check_open, choose_room, clear_help, do_broadcast, do_extend, do_help, do_open,
                      extend_round, open_round)

__all__ = [
    "LIVE_STATES", "MIN_REMAINING_SECONDS", "ask_for_help", "assign_person", "auto_assign", "breakout_change",
    "broadcast_message", "change_settings", "check_assign", "check_auto", "check_broadcast", "check_choose",
    "check_choosing", "check_close", "check_create", "check_discard", "check_extend", "check_fill", "check_help",
    "check_help_clear", "check_open", "check_rename", "check_settings", "check_visit", "choose_room", "claim_close",
    "claim_warning", "clear_help", "close_round", "create_round", "deal", "discard_round", "do_assign", "do_auto",
    "do_broadcast", "do_choosing", "do_close", "do_create", "do_discard", "do_extend", "do_fill", "do_help", "do_open",
    "do_rename", "do_settings", "do_visit", "due_rounds", "end_if_due", "extend_round", "fill", "fill_rooms",
    "open_round", "previous_round", "publish_closed", "publish_warning", "release_breakout", "rename_room",
    "set_choosing", "visit_room", "warn_if_due",
]
