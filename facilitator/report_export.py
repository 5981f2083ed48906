"""The session report (report.build) as Markdown, CSV, JSON and the balance chart's geometry.

Text people typed is escaped for Markdown, CSV cells cannot start a spreadsheet formula, and the
chart is drawn by a template from numbers, so no name becomes markup.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

from .actions.polls import _cell as csv_cell
from .minutes_export import actions_csv, clock, md, minutes_markdown, stamp

HOW = {None: "still there", "left": "left", "removed": "removed", "ended": "session ended",
       "ping timeout": "connection lost", "transport close": "connection lost",
       "transport error": "connection lost", "disconnected": "disconnected"}
KINDS = {"single": "single choice", "multiple": "multiple choice", "rating": "rating", "text": "short text"}


def how(value: str | None) -> str:
    return HOW.get(value, value or "")


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in rows]


def markdown(report: dict) -> str:
    m, t = report["meeting"], report["turns"]
    out = [f"# Session report: {md(m['title'])}", "",
           f"Kind: {m['kind']} · started {stamp(m['started_at'])} · ended {stamp(m['ended_at'])}  ",
           f"Facilitators: {', '.join(md(n) for n in m['facilitators'])}  ",
           f"Kept for {m['retention_days']} day{'' if m['retention_days'] == 1 else 's'} after the end"
           + (f" (deleted after {stamp(m['purge_after'])})" if m["purge_after"] else "") + ".", "",
           "## Attendance", ""]
    out += _table(["Name", "Role", "Group", "Joined", "Left", "Present", "How it ended", "Times in"], [
        [md(a["name"]), a["role"], md(a["group_tag"]) or "—", stamp(a["first_joined_at"]), stamp(a["last_left_at"]),
         clock(a["present_seconds"]), how(a["stretches"][-1]["how"]), str(len(a["stretches"]))]
        for a in report["attendance"]]) + [""]
    index = t["balance_index"]
    out += ["## Turn-taking balance", "",
            f"Balance index: {'—' if index is None else f'{index:.2f}'} ({t['index_name']}). "
            f"Total talk time {clock(t['total_seconds'])} in {t['total_turns']} turns.", ""]
    out += _table(["Name", "Group", "Turns", "Passes", "Talk time", "Share"], [
        [md(p["name"]), md(p["group_tag"]) or "—", str(p["turns"]), str(p["passes"]), clock(p["talk_seconds"]),
         percent(p["share"])] for p in t["people"]]) + [""]
    out += [f"Not spoken: {', '.join(md(n) for n in t['not_spoken']) or 'everyone spoke'}.", ""]
    if any(g["group_tag"] for g in t["groups"]):
        out += ["### By group", ""] + _table(["Group", "People", "Turns", "Talk time", "Share"], [
            [md(g["group_tag"]) or "no group", str(g["people"]), str(g["turns"]), clock(g["talk_seconds"]),
             percent(g["share"])] for g in t["groups"]]) + [""]
    out += ["## Polls", ""]
    if not report["polls"]:
        out += ["No polls were run.", ""]
    for p in report["polls"]:
        out += [f"### {md(p['question'])}", "",
                f"{KINDS[p['kind']]}, {'anonymous' if p['anonymous'] else 'named'}, {p['state']}; "
                f"{p['voters']} voted.", ""]
        out += [f"- {md(o['label'])}: {o['count']}" for o in p["options"]]
        if p["mean"] is not None:
            out.append(f"- Mean: {p['mean']}")
        out += [f"- “{md(a)}”" for a in p["answers"]]
        out.append("")
    out += ["## Agenda minutes", ""]
    minutes = report["minutes"]
    if minutes is None or not (minutes["items"] or minutes["summaries"]):
        out += ["No agenda was kept.", ""]
    else:  # the minutes document, one heading level down and without its own title
        body = minutes_markdown(minutes).split("\n")[2:]
        out += [("#" + line) if line.startswith("#") else line for line in body] + [""]
    out += ["## Audit trail", "", "What facilitators did, and to whom (no message contents).", ""]
    out += _table(["Time", "Who", "Role", "Action", "Person"], [
        [stamp_s(e["at"]), md(e["actor"]) or "—", e["actor_role"], e["action"], md(e["target"]) or "—"]
        for e in report["audit"]]) + [""]
    out += ["## Chat transcript", ""]
    if report["chat"] is None:
        out += ["Not included: the chat transcript is left out unless it is turned on for this session.", ""]
    else:
        out += [f"- {stamp_s(c['at'])} {md(c['room']) + ': ' if c['room'] else ''}**{md(c['author'])}**: "
                f"{md(c['text'])}" for c in report["chat"]] + [""]
    return "\n".join(out)


def stamp_s(value: datetime | None) -> str:
    """A time to the second, for the audit trail and chat."""
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "—"


def _csv(rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buf.getvalue()


def _iso(value) -> str:
    return value.isoformat() if value else ""


def attendance_csv(report: dict) -> str:
    """One row per stretch of presence."""
    rows: list[list] = [["participant_id", "name", "role", "group_tag", "joined_at", "left_at", "how", "seconds"]]
    ended = report["meeting"]["ended_at"] or report["generated_at"]
    for a in report["attendance"]:
        for s in a["stretches"]:
            secs = round(((s["left_at"] or ended) - s["joined_at"]).total_seconds())
            rows.append([a["participant_id"], a["name"], a["role"], a["group_tag"] or "", _iso(s["joined_at"]),
                         _iso(s["left_at"]), s["how"] or "", secs])
    return _csv(rows)


def turns_csv(report: dict) -> str:
    """One row per participant: turns, passes, talk time and share."""
    rows: list[list] = [["participant_id", "name", "group_tag", "turns", "passes", "talk_seconds", "share"]]
    for p in report["turns"]["people"]:
        rows.append([p["participant_id"], p["name"], p["group_tag"] or "", p["turns"], p["passes"],
                     p["talk_seconds"], p["share"]])
    return _csv(rows)


def report_actions_csv(report: dict) -> str:
    return actions_csv(report["minutes"])


CSV_PARTS = {"attendance": attendance_csv, "turns": turns_csv, "actions": report_actions_csv}


def _default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def to_json(report: dict) -> str:
    return json.dumps(report, default=_default, ensure_ascii=False, indent=1)


def chart(report: dict, width: int = 560, bar: int = 22, gap: int = 8, label_w: int = 150) -> dict:
    """Bars of talk time per person (longest first), as numbers for templates/report/_chart.svg."""
    people = report["turns"]["people"]
    longest = max((p["talk_seconds"] for p in people), default=0) or 1
    room = width - label_w - 140  # what is left for the value label ("12:34 (100%)") after the longest bar
    bars = [{"name": p["name"], "y": i * (bar + gap), "w": round(room * p["talk_seconds"] / longest, 1),
             "text": f"{clock(p['talk_seconds'])} ({percent(p['share'])})"} for i, p in enumerate(people)]
    return {"width": width, "height": max(bar, len(people) * (bar + gap)), "bar": bar, "label_w": label_w,
            "bars": bars}
