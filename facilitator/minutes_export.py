"""The minutes as Markdown and the actions as CSV, from `views.agenda.minutes_for(meeting)`.

User text is escaped so a title or a note cannot turn into Markdown structure (a heading, a
link, a table cell), and CSV cells cannot start a spreadsheet formula.
"""
from __future__ import annotations

import csv
import io
import re

from .actions.polls import _cell as csv_cell

KIND_NAMES = {"discussion": "Discussion", "decision": "Decision", "checkin": "Check-in", "break": "Break"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def md(text: str | None) -> str:
    """Escape text for Markdown, on one line (table cells and list items)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def md_block(text: str) -> str:
    """Escape a multi-line note, keeping its line breaks."""
    return "  \n".join(_MD_SPECIAL.sub(r"\\\1", line) for line in text.strip().splitlines())


def clock(seconds: float | None) -> str:
    """Seconds as m:ss or h:mm:ss; a leading + or - when signed differences are wanted."""
    if seconds is None:
        return "—"
    whole = int(round(abs(seconds)))
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def difference(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return ("+" if seconds > 0 else "−" if seconds < 0 else "") + clock(seconds)


def stamp(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def minutes_markdown(minutes: dict) -> str:
    m = minutes["meeting"]
    titles = {i["id"]: i["title"] for i in minutes["items"]}
    out = [f"# Minutes: {md(m['title'])}", "",
           f"Started {stamp(m['started_at'])} · ended {stamp(m['ended_at'])}", "",
           "## Planned and actual time", "",
           "| # | Item | Kind | Presenter | Planned | Actual | Difference |",
           "|---|---|---|---|---|---|---|"]
    for i in minutes["items"]:
        actual = clock(i["actual_seconds"]) if i["state"] != "pending" else "—"
        out.append(f"| {i['position']} | {md(i['title'])} | {KIND_NAMES[i['kind']]} | {md(i['presenter']) or '—'} | "
                   f"{clock(i['planned_seconds'])} | {actual} | {difference(i['over_seconds'])} |")
    out += ["", f"Total: planned {clock(minutes['planned_seconds'])}, actual {clock(minutes['actual_seconds'])}.", ""]
    for i in minutes["items"]:
        out += [f"## {i['position']}. {md(i['title'])}", ""]
        if i["presenter"]:
            out += [f"Presenter: {md(i['presenter'])}", ""]
        if i["notes"].strip():
            out += ["### Notes", "", md_block(i["notes"]), ""]
        if i["decisions"]:
            out += ["### Decisions", ""] + [f"- {md(d['text'])}" for d in i["decisions"]] + [""]
        if i["actions"]:
            out += ["### Actions", ""] + [f"- {md(a['what'])} (owner: {md(a['owner'])}"
                                          f"{', due ' + a['due'].isoformat() if a['due'] else ''})"
                                          for a in i["actions"]] + [""]
    if minutes["summaries"]:
        out += ["## What I heard", ""]
        for s in minutes["summaries"]:
            during = f" during “{md(titles[s['item_id']])}”" if s["item_id"] in titles else ""
            out.append(f"- {stamp(s['posted_at'])}{during}: {md(s['text'])}")
        out.append("")
    return "\n".join(out)


def actions_csv(minutes: dict) -> str:
    """Every action, one row each: item number and title, what, owner, due date, when recorded."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["item", "item_title", "what", "owner", "due", "recorded_at"])
    for i in minutes["items"]:
        for a in i["actions"]:
            writer.writerow([csv_cell(v) for v in (i["position"], i["title"], a["what"], a["owner"],
                                                   a["due"].isoformat() if a["due"] else "",
                                                   a["created_at"].isoformat())])
    return buf.getvalue()
