"""Texts people read that come from the configuration: the after-session page and the privacy notice."""
from __future__ import annotations

from flask import current_app

DEFAULT_AFTER_TEXT = (
    "Online sessions can be tiring. Before you go back to other things, take a short break: stand up, "
    "stretch, look away from the screen, have a drink of water. If something from the session is on "
    "your mind, contact your facilitator in the way they told you."
)


def default_after_text() -> str:
    """The after-session text a meeting shows unless its facilitator wrote their own."""
    support = current_app.config.get("SUPPORT_CONTACT")
    return f"{DEFAULT_AFTER_TEXT} You can also reach support: {support}." if support else DEFAULT_AFTER_TEXT


def after_text(meeting) -> str:
    return (meeting.after_text if meeting is not None and meeting.after_text else None) or default_after_text()


def privacy_notice(meeting=None) -> dict:
    """What is collected, why, who sees it and how long it is kept, built from this server's
    settings (and, given a meeting, that session's own retention period)."""
    cfg = current_app.config
    default_days = cfg.get("DEFAULT_RETENTION_DAYS", 30)
    lost_after = cfg["SOCKETIO_PING_INTERVAL"] + cfg["SOCKETIO_PING_TIMEOUT"]
    grace = cfg.get("DROP_ALERT_GRACE_SECONDS", 0)
    everyone, facilitators = "everyone in the session", "the session's facilitators only"
    return {
        "operator": cfg.get("OPERATOR_NAME"),
        "support": cfg.get("SUPPORT_CONTACT"),
        "default_days": default_days,
        "meeting_days": meeting.retention_days if meeting is not None else None,
        "meeting_title": meeting.title if meeting is not None else None,
        "items": [
            ("The name you type", "A first name, initials or a pseudonym are all fine; no account, email or "
             "phone number is needed.", "To show who is here.", everyone),
            ("A group tag", "Only if the session uses them (for example a discipline in a team meeting) and "
             "you choose one.", "To balance turns and breakout rooms across groups.", everyone),
            ("When you accepted the ground rules", "The time and the version you accepted.",
             "So the facilitator knows everyone agreed to them.", facilitators),
            ("Your connection and when you came and went", f"Whether you are connected, and the times you "
             f"joined and left. A connection silent for about {lost_after} seconds, or closed and not back "
             f"within {grace:g} seconds, counts as dropped.",
             "To look after the group: an unexpected drop alerts the facilitators so they can contact you.",
             facilitators),
            ("How to reach you if your connection drops", "Only if you give it, or the session asks for it "
             "when you join, and the plan the facilitators agreed with you.",
             "So the facilitators can follow the contact plan if you disappear.", facilitators),
            ("Mic and camera status", "What you set (the tool never carries audio or video).",
             "So the facilitator can see who can hear and be heard.", facilitators),
            ("Raised hands and speaking turns", "When you raised your hand, and when each of your turns "
             "started and ended.", "To give everyone a fair turn; the balance of talk time is shown to "
             "the facilitators only.", f"the queue: {everyone}; talk times: {facilitators}"),
            ("Reactions, signals and support requests", "Momentary reactions, standing signals (like "
             "'slow down') and the private 'I need support' signal.", "To let you take part without "
             "speaking, and to ask for help privately.", f"reactions and signals: {everyone}; support "
             f"requests: {facilitators}"),
            ("Poll answers", "Named polls keep who answered what; anonymous polls keep only the counts and "
             "texts, with nothing linking them to you.", "To ask the group's views.",
             "results: as the facilitator publishes them; named answers: facilitators only"),
            ("Chat messages", "What you write in the main chat, your breakout room or privately to the "
             "facilitators.", "To let you contribute in writing.", "the people in that chat; a "
             "session's report includes the chat only if its facilitator turns that on"),
            ("The agenda and its minutes", "Agenda items and their times; the notes, decisions and actions "
             "the facilitators record for each item (an action names its owner as they write it); the "
             "'what I heard' summaries they post.", "To keep to the agenda and a record of what was agreed.",
             f"the agenda and the pinned summary: {everyone}; the minutes: {facilitators}"),
            ("A random key kept in your browser", "The server keeps only a scrambled (hashed) form of it.",
             "So reloading the page keeps you as the same person.", "nobody"),
        ],
        "records": ("The facilitators can see a session report: attendance, turns and talk time, poll "
                    "results, agenda minutes, decisions and actions, and an audit trail of what facilitators "
                    "did (never message contents)."),
        "logs": ("The server's logs never contain chat text, names, contact details or keys; they record "
                 "technical events only."),
    }
