"""Ground-rule templates, drawn from the practice guidelines for online groups.

Each is a starting point the facilitator edits; the wording is plain and short so it reads
well on a phone.
"""
from __future__ import annotations

TEMPLATES: list[dict[str, str]] = [
    {
        "key": "cameras",
        "title": "Cameras",
        "text": "Cameras are welcome but optional. Joining with your camera off is fine, "
        "especially at first. If you can, turn it on when you speak.",
    },
    {
        "key": "mics",
        "title": "Microphones",
        "text": "Please stay on mute unless you are speaking, and unmute when you are given "
        "the floor. Background noise carries further online than in a room.",
    },
    {
        "key": "speaking",
        "title": "Who speaks when",
        "text": "Raise your hand here to speak; the facilitator will invite you in turn. Use "
        "'direct reply' only to respond to the person speaking now. One voice at a time.",
    },
    {
        "key": "chat",
        "title": "Using the chat",
        "text": "The chat is for short questions and comments that support the discussion. "
        "You can also message the facilitators privately.",
    },
    {
        "key": "confidentiality",
        "title": "Confidentiality",
        "text": "What is shared in this group stays in this group. Do not record, screenshot or "
        "repeat what others say, and do not name other members outside the session.",
    },
    {
        "key": "clothing",
        "title": "Suitable clothing and setting",
        "text": "Dress as you would for meeting in person, and choose a setting you are "
        "comfortable for others to see.",
    },
    {
        "key": "others-present",
        "title": "Others in the room",
        "text": "Join from a private space where no one else can see or hear the group. If "
        "someone comes in, let the facilitator know or pause your audio and video.",
    },
    {
        "key": "focus",
        "title": "Other tasks and devices",
        "text": "Please close other programs and tabs, and put phones and notifications on "
        "silent, so that you can give the group your attention.",
    },
    {
        "key": "right-to-pass",
        "title": "Right to pass",
        "text": "You never have to speak. In a go-round you can say 'pass' and nobody will ask why.",
    },
    {
        "key": "connection-drops",
        "title": "If your connection drops",
        "text": "If you lose the connection, rejoin with the same link: you will keep your place. "
        "If you cannot get back within a few minutes, the facilitator will contact you "
        "in the way you agreed.",
    },
    {
        "key": "breaks",
        "title": "Breaks and looking after yourself",
        "text": "Online meetings are tiring. We will take screen breaks; you can also signal that "
        "you need one, or step away briefly when you need to.",
    },
]

DEFAULT_KEYS = ["cameras", "mics", "speaking", "confidentiality", "right-to-pass", "connection-drops"]


def by_key(key: str) -> dict[str, str] | None:
    return next((t for t in TEMPLATES if t["key"] == key), None)


def default_rules() -> list[dict[str, str]]:
    return [{"title": t["title"], "text": t["text"]} for k in DEFAULT_KEYS if (t := by_key(k))]
