"""Planned vs actual timing and the break prompt, on plain items (no database)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from facilitator import agenda_timing as timing

T0 = datetime(2031, 3, 4, 9, 0, tzinfo=timezone.utc)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@dataclass
class Item:
    id: int
    kind: str
    planned_seconds: int
    extended_seconds: int = 0
    actual_seconds: float = 0.0
    started_at: datetime | None = None
    ends_at: datetime | None = None
    first_started_at: datetime | None = None
    finished_at: datetime | None = None


def test_deadline_is_what_is_left_of_the_time_box():
    item = Item(1, "discussion", 600, extended_seconds=120, actual_seconds=300.0)
    assert timing.deadline(item, at(10)) == at(10) + timedelta(seconds=420)
    spent = Item(2, "discussion", 600, actual_seconds=900.0)
    assert timing.deadline(spent, at(10)) == at(10)  # nothing left: due at once, never before the start


def test_planned_vs_actual_per_item_and_in_total():
    done = Item(1, "checkin", 600, actual_seconds=720.0, first_started_at=at(0), finished_at=at(12))
    extended = Item(2, "decision", 900, extended_seconds=300, actual_seconds=0.0, started_at=at(12),
                    first_started_at=at(12))
    waiting = Item(3, "discussion", 1200)
    report = timing.planned_vs_actual([done, extended, waiting], at(30))
    assert report["items"] == [
        {"id": 1, "planned_seconds": 600, "extended_seconds": 0, "actual_seconds": 720.0, "over_seconds": 120.0},
        {"id": 2, "planned_seconds": 900, "extended_seconds": 300, "actual_seconds": 1080.0, "over_seconds": 180.0},
        {"id": 3, "planned_seconds": 1200, "extended_seconds": 0, "actual_seconds": 0.0, "over_seconds": None},
    ]
    assert report["planned_seconds"] == 2700
    assert report["actual_seconds"] == 1800.0


def test_an_item_taken_twice_adds_both_stretches():
    item = Item(1, "discussion", 600, actual_seconds=200.0, started_at=at(20), first_started_at=at(0))
    assert timing.planned_vs_actual([item], at(25))["items"][0]["actual_seconds"] == 500.0


def test_break_prompt_runs_from_the_first_start_and_again_from_the_last_break():
    a = Item(1, "discussion", 1800, first_started_at=at(0), finished_at=at(30), actual_seconds=1800.0)
    b = Item(2, "discussion", 1800, started_at=at(30), first_started_at=at(30))
    assert timing.break_due_at([a, b], 50) == at(50)
    brk = Item(3, "break", 600, started_at=at(55), first_started_at=at(55))
    b.started_at, b.finished_at = None, at(55)
    assert timing.break_due_at([a, b, brk], 50) is None  # no prompt during a break
    brk.started_at, brk.finished_at = None, at(65)
    assert timing.break_due_at([a, b, brk], 50) == at(115)
    assert timing.break_due_at([a, b, brk], 0) is None  # turned off
    assert timing.break_due_at([Item(4, "discussion", 600)], 50) is None  # not started


def test_long_planned_stretches_without_a_break_are_flagged():
    items = [Item(1, "checkin", 600), Item(2, "discussion", 1800), Item(3, "decision", 1200, extended_seconds=60),
             Item(4, "break", 600), Item(5, "discussion", 2400), Item(6, "discussion", 1200)]
    assert timing.long_stretches(items, 50) == [{"from_id": 1, "to_id": 3, "seconds": 3660},
                                                {"from_id": 5, "to_id": 6, "seconds": 3600}]
    assert timing.long_stretches(items, 61) == []
    assert timing.long_stretches(items, 0) == []
