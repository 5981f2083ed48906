"""Agenda arithmetic with no database: deadlines, planned vs actual, and when a break is due.

Everything here is computed from stored times (when a run started, its deadline, time of runs
already closed), never from a counter kept in memory, so any worker gives the same answer after
a restart. Items are anything with the AgendaItem attributes.
"""
from __future__ import annotations

from datetime import datetime, timedelta


def budget_seconds(item) -> int:
    """The item's whole time box: planned plus every extension."""
    return item.planned_seconds + item.extended_seconds


def deadline(item, start: datetime) -> datetime:
    """When a run starting at `start` ends: what is left of the time box (never below zero)."""
    left = max(0.0, budget_seconds(item) - item.actual_seconds)
    return start + timedelta(seconds=left)


def actual_seconds(item, now: datetime) -> float:
    """Time spent on the item so far: closed runs plus the running one."""
    running = (now - item.started_at).total_seconds() if item.started_at is not None else 0.0
    return item.actual_seconds + max(0.0, running)


def planned_vs_actual(items, now: datetime) -> dict:
    """Per item and in total: planned (with extensions apart), actual, and the difference.

    `over_seconds` is actual minus the planned time box (extensions count as overrun: they are
    time the plan did not have). Items never started have actual 0 and no difference.
    """
    rows, planned, actual = [], 0, 0.0
    for item in items:
        spent = round(actual_seconds(item, now), 1)
        ran = item.first_started_at is not None
        rows.append({"id": item.id, "planned_seconds": item.planned_seconds,
                     "extended_seconds": item.extended_seconds, "actual_seconds": spent,
                     "over_seconds": round(spent - item.planned_seconds, 1) if ran else None})
        planned += item.planned_seconds
        actual += spent
    return {"items": rows, "planned_seconds": planned, "actual_seconds": round(actual, 1)}


def break_due_at(items, limit_minutes: int) -> datetime | None:
    """When the facilitator should be prompted to add a break, or None (no prompt).

    The clock starts when the agenda first started or when the last break ended; no prompt
    while a break runs, before the agenda starts, or when the setting is 0 (off).
    """
    if not limit_minutes:
        return None
    if any(i.kind == "break" and i.started_at is not None for i in items):
        return None
    starts = [i.first_started_at for i in items if i.first_started_at is not None]
    if not starts:
        return None
    ends = [i.finished_at for i in items if i.kind == "break" and i.finished_at is not None]
    anchor = max(ends) if ends else min(starts)
    return anchor + timedelta(minutes=limit_minutes)


def long_stretches(items, limit_minutes: int) -> list[dict]:
    """Runs of consecutive non-break items whose planned time exceeds the limit: suggest a break.

    `items` in agenda order. Each stretch: first and last item id and its planned seconds.
    """
    if not limit_minutes:
        return []
    out, run = [], []

    def close():
        seconds = sum(budget_seconds(i) for i in run)
        if seconds > limit_minutes * 60:
            out.append({"from_id": run[0].id, "to_id": run[-1].id, "seconds": seconds})

    for item in items:
        if item.kind == "break":
            if run:
                close()
            run = []
        else:
            run.append(item)
    if run:
        close()
    return out
