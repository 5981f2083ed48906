"""The agenda, minutes and "what I heard": inbound payloads and each role's view."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from ..models.agenda import ITEM_KINDS
from .common import Choice, Id, StrictInt, Text, Timestamp

MAX_ITEMS = 60
MIN_SECONDS, MAX_SECONDS = 60, 8 * 3600


def TimeBox(**kw) -> StrictInt:
    return StrictInt(validate=validate.Range(min=MIN_SECONDS, max=MAX_SECONDS, error=(
        "A time box is between 1 minute and 8 hours, in seconds.")), **kw)


class _Presenter(Schema):
    presenter_id = Id(allow_none=True, load_default=None,
                      metadata={"description": "A participant of this meeting who presents the item"})
    presenter_name = Text(max_len=80, allow_none=True, load_default=None,
                          metadata={"description": "Or a free name, for someone not in the tool"})

    @validates_schema
    def _one_presenter(self, data, **_):
        if data.get("presenter_id") is not None and data.get("presenter_name"):
            raise ValidationError("Give a participant or a name, not both.", "presenter_name")


class AgendaAddIn(_Presenter):
    title = Text(required=True, max_len=120)
    kind = Choice(ITEM_KINDS, load_default="discussion")
    planned_seconds = TimeBox(required=True)
    after_id = Id(allow_none=True, load_default=None,
                  metadata={"description": "Insert after this item; omitted or null: at the end"})


class AgendaUpdateIn(_Presenter):
    """Change an item: every field is sent (the whole item as it should be)."""

    item_id = Id(required=True)
    title = Text(required=True, max_len=120)
    kind = Choice(ITEM_KINDS, required=True)
    planned_seconds = TimeBox(required=True)


class AgendaItemRefIn(Schema):
    item_id = Id(required=True)


class AgendaReorderIn(Schema):
    item_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=MAX_ITEMS),
                           metadata={"description": "Every item of the agenda, in the new order"})

    @validates("item_ids")
    def _distinct(self, value, **_):
        if len(set(value)) != len(value):
            raise ValidationError("Each item appears once.")


class AgendaMoveIn(Schema):
    current_id = Id(required=True, allow_none=True,
                    metadata={"description": "The running item you saw (null: none); a stale one is refused"})


class AgendaExtendIn(Schema):
    seconds = StrictInt(required=True, validate=validate.Range(min=30, max=3600))


class AgendaSettingsIn(Schema):
    break_after_minutes = StrictInt(required=True, validate=validate.Range(min=0, max=240), metadata={
        "description": "Prompt the facilitators to add a break after this long without one; 0 turns it off"})


class NotesIn(Schema):
    item_id = Id(required=True)
    notes = Text(required=True, min_len=0, max_len=10000, multiline=True)


class DecisionAddIn(Schema):
    item_id = Id(required=True)
    text = Text(required=True, max_len=1000, multiline=True)


class ActionAddIn(Schema):
    item_id = Id(required=True)
    what = Text(required=True, max_len=500, multiline=True)
    owner = Text(required=True, min_len=0, max_len=80, metadata={"description": "Who owns it, as a name"})
    due = fields.Date(allow_none=True, load_default=None, metadata={"description": "YYYY-MM-DD, optional"})

    @validates("owner")
    def _owner(self, value, **_):
        if not value:
            raise ValidationError("Say who owns the action.")


class DecisionRefIn(Schema):
    decision_id = Id(required=True)


class ActionRefIn(Schema):
    action_id = Id(required=True)


class HeardPostIn(Schema):
    text = Text(required=True, max_len=1000, multiline=True)


# ---- views ---------------------------------------------------------------------------------

class PresenterOut(Schema):
    participant_id = fields.Integer(allow_none=True)
    name = fields.String()


class AgendaItemOut(Schema):
    id = fields.Integer()
    position = fields.Integer()
    title = fields.String()
    kind = fields.String()
    presenter = fields.Nested(PresenterOut, allow_none=True)
    planned_seconds = fields.Integer()
    extended_seconds = fields.Integer()
    state = fields.String(metadata={"description": "pending, running or done"})
    started_at = fields.DateTime(allow_none=True, metadata={"description": "Start of the running stretch"})
    ends_at = fields.DateTime(allow_none=True, metadata={"description": "Deadline of the running stretch"})
    first_started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    actual_seconds = fields.Float(metadata={"description": "Time of closed stretches; add the running one"})


class AgendaOut(Schema):
    """The agenda as everyone inside sees it: the clock runs from `ends_at` of the running item."""

    items = fields.List(fields.Nested(AgendaItemOut))
    current_id = fields.Integer(allow_none=True)
    pending_seconds = fields.Integer(metadata={
        "description": "Time boxes of items not started yet: the planned end is now (or the running "
                       "item's deadline, if later) plus this"})


class HeardOut(Schema):
    """The pinned "what I heard" summary, or null."""

    id = fields.Integer()
    text = fields.String()
    posted_at = fields.DateTime()
    by = fields.String(allow_none=True)


class HeardStateOut(Schema):
    summary = fields.Nested(HeardOut, allow_none=True)


class DecisionOut(Schema):
    id = fields.Integer()
    text = fields.String()
    created_at = fields.DateTime()


class ActionOut(Schema):
    id = fields.Integer()
    what = fields.String()
    owner = fields.String()
    due = fields.Date(allow_none=True)
    created_at = fields.DateTime()


class ItemMinutesOut(Schema):
    item_id = fields.Integer()
    notes = fields.String()
    decisions = fields.List(fields.Nested(DecisionOut))
    actions = fields.List(fields.Nested(ActionOut))


class SummaryOut(Schema):
    id = fields.Integer()
    item_id = fields.Integer(allow_none=True)
    text = fields.String()
    posted_at = fields.DateTime()
    by = fields.String(allow_none=True)
    cleared_at = fields.DateTime(allow_none=True)


class StretchOut(Schema):
    from_id = fields.Integer()
    to_id = fields.Integer()
    seconds = fields.Integer()


class AgendaPrivateOut(Schema):
    """What facilitators see besides the agenda: the break prompt, and the minutes as written."""

    break_after_minutes = fields.Integer()
    break_due_at = fields.DateTime(allow_none=True, metadata={
        "description": "Prompt for a break from this time on (null: no prompt now)"})
    long_stretches = fields.List(fields.Nested(StretchOut), metadata={
        "description": "Planned runs of items longer than the break setting with no break between"})
    minutes = fields.List(fields.Nested(ItemMinutesOut))
    summaries = fields.List(fields.Nested(SummaryOut))


# ---- minutes (REST and the session report) -------------------------------------------------

class MinutesMeetingOut(Schema):
    id = fields.Integer()
    title = fields.String()
    kind = fields.String()
    started_at = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)


class MinutesItemOut(Schema):
    id = fields.Integer()
    position = fields.Integer()
    title = fields.String()
    kind = fields.String()
    presenter = fields.String(allow_none=True)
    state = fields.String(metadata={"description": "pending, running or done"})
    planned_seconds = fields.Integer()
    extended_seconds = fields.Integer()
    actual_seconds = fields.Float(metadata={"description": "Every stretch on the item, the running one too"})
    over_seconds = fields.Float(allow_none=True, metadata={
        "description": "Actual minus planned (null for an item not taken)"})
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    notes = fields.String()
    decisions = fields.List(fields.Nested(DecisionOut))
    actions = fields.List(fields.Nested(ActionOut))


class MinutesOut(Schema):
    """A meeting's minutes: items with planned and actual time, notes, decisions, actions, summaries."""

    meeting = fields.Nested(MinutesMeetingOut)
    items = fields.List(fields.Nested(MinutesItemOut))
    planned_seconds = fields.Integer()
    actual_seconds = fields.Float()
    summaries = fields.List(fields.Nested(SummaryOut))


# ---- meeting templates ---------------------------------------------------------------------

class TemplateSaveIn(Schema):
    name = Text(required=True, max_len=80)


class TemplateUseIn(Schema):
    title = Text(max_len=120, load_default=None, allow_none=True,
                 metadata={"description": "The new session's title; omitted: the template's name"})
    scheduled_at = Timestamp(allow_none=True, load_default=None)


class TemplateItemOut(Schema):
    title = fields.String()
    kind = fields.String()
    planned_seconds = fields.Integer()
    presenter_name = fields.String(allow_none=True)


class TemplateRuleOut(Schema):
    title = fields.String()
    text = fields.String()


class TemplateSettingsOut(Schema):
    kind = fields.String()
    group_tags = fields.List(fields.String())
    retention_days = fields.Integer()
    queue_mode = fields.String()
    break_after_minutes = fields.Integer()
    require_contact = fields.Boolean()


class TemplateOut(Schema):
    """A saved meeting setup: ground rules, agenda and settings."""

    id = fields.Integer()
    name = fields.String()
    created_at = fields.DateTime()
    rules = fields.List(fields.Nested(TemplateRuleOut))
    agenda = fields.List(fields.Nested(TemplateItemOut))
    settings = fields.Nested(TemplateSettingsOut)
