"""Database models, one module per feature. Models hold data only: no emits, no request access."""
from .accounts import ApiToken, User
from .agenda import ActionItem, AgendaItem, AgendaSettings, Decision, HeardSummary, MeetingTemplate
from .base import utcnow
from .breakouts import BreakoutAssignment, BreakoutRoom, BreakoutRound, BreakoutStaff
from .chat import ChatMessage, ChatMute, ChatSettings
from .floor import GoRound, Hand, Turn
from .meetings import CoFacilitator, EventStream, Meeting
from .participants import Connection, Participant
from .polls import Poll, PollBallot, PollOption, PollTextAnswer, PollVoter
from .records import Attendance, AuditEntry
from .rules import GroundRule, RuleAck, RuleSet
from .safety import ContactPlan, DropAlert, SafetySettings
from .signals import Signal, SupportRequest

__all__ = [
    "BreakoutAssignment", "BreakoutRoom", "BreakoutRound", "BreakoutStaff", "ChatMessage", "ChatMute", "ChatSettings",
    "ApiToken", "CoFacilitator", "Connection", "EventStream", "GoRound", "GroundRule", "Hand", "Meeting",
    "Participant", "RuleAck", "RuleSet", "Turn", "User", "utcnow",
    "Poll", "PollBallot", "PollOption", "PollTextAnswer", "PollVoter", "Signal", "SupportRequest",
    "ContactPlan", "DropAlert", "SafetySettings", "Attendance", "AuditEntry",
    "ActionItem", "AgendaItem", "AgendaSettings", "Decision", "HeardSummary", "MeetingTemplate",
]
