"""Polls: what a facilitator sends to create one, what a voter sends, and each role's view."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..models.polls import POLL_KINDS, TEXT_ANSWER_MAX, VISIBILITY
from .common import Choice, Id, StrictInt, Text

ANONYMOUS_HELP = (
    "Chosen at creation and shown to voters before they vote. An anonymous poll stores only that "
    "someone voted, and tallies or unattributed texts: nothing links a voter to an answer, so an "
    "anonymous vote can never be changed (changing it would need the old answer, which is linked "
    "to nobody). Named polls show facilitators (only) who answered what."
)
ALLOW_CHANGE_HELP = (
    "Named polls only: voters may change their vote while the poll is open. Refused for anonymous "
    "polls, where a changed vote cannot be allowed without linking the voter to their answer."
)


class ScaleIn(Schema):
    min = StrictInt(load_default=1, validate=validate.Range(min=0, max=1),
                    metadata={"description": "Lowest point: 0 or 1"})
    max = StrictInt(load_default=5, validate=validate.Range(min=2, max=10),
                    metadata={"description": "Highest point: 2 to 10"})
    min_label = Text(max_len=40, load_default=None, allow_none=True,
                     metadata={"description": "Label for the low end, e.g. 'Not at all'"})
    max_label = Text(max_len=40, load_default=None, allow_none=True,
                     metadata={"description": "Label for the high end, e.g. 'Very much'"})


class PollIn(Schema):
    """A poll's definition. Choice polls need 2-10 options; rating polls a scale; text polls neither."""

    kind = Choice(POLL_KINDS, required=True,
                  metadata={"description": "single, multiple (choices), rating (scale), text (short answer)"})
    question = Text(max_len=200, required=True)
    options = fields.List(Text(max_len=80), validate=validate.Length(min=2, max=10),
                          metadata={"description": "Choices, for single and multiple polls"})
    max_choices = StrictInt(validate=validate.Range(min=1, max=10),
                            metadata={"description": "Multiple choice: at most this many (default: all)"})
    scale = fields.Nested(ScaleIn, metadata={"description": "Rating polls: the scale (default 1-5)"})
    anonymous = fields.Boolean(load_default=True, metadata={"description": ANONYMOUS_HELP})
    allow_change = fields.Boolean(load_default=False, metadata={"description": ALLOW_CHANGE_HELP})
    visibility = Choice(VISIBILITY, load_default="hidden",
                        metadata={"description": "live: everyone sees results as votes come in; hidden: "
                                                 "only facilitators, until they publish them"})

    @validates_schema
    def _by_kind(self, data, **_):
        kind = data.get("kind")
        errors: dict = {}
        if kind in ("single", "multiple"):
            opts = data.get("options")
            if not opts:
                errors["options"] = ["Give between 2 and 10 choices."]
            elif len({o.casefold() for o in opts}) != len(opts):
                errors["options"] = ["Each choice must be different."]
        elif "options" in data:
            errors["options"] = ["Only choice polls have options."]
        if "max_choices" in data:
            if kind != "multiple":
                errors["max_choices"] = ["Only multiple-choice polls have a maximum."]
            elif data.get("options") and data["max_choices"] > len(data["options"]):
                errors["max_choices"] = ["The maximum cannot be more than the number of choices."]
        if "scale" in data and kind != "rating":
            errors["scale"] = ["Only rating polls have a scale."]
        if data.get("allow_change") and data.get("anonymous", True):
            errors["allow_change"] = [("An anonymous vote cannot be changed: that would link the voter to "
                                       "their answer. Make the poll named, or do not allow changes.")]
        if errors:
            raise ValidationError(errors)


class PollCreateIn(PollIn):
    launch = fields.Boolean(load_default=False,
                            metadata={"description": "Open it at once; otherwise it is saved as a draft"})


class PollUpdateIn(PollIn):
    poll_id = Id(required=True)


class PollRefIn(Schema):
    poll_id = Id(required=True)


class PollPublishIn(Schema):
    poll_id = Id(required=True)
    published = fields.Boolean(load_default=True,
                               metadata={"description": "true shows the results to everyone; false hides them again"})


class PollCheckinIn(Schema):
    template = Choice(["call", "arriving", "mood"], required=True,
                      metadata={"description": "call: how is the call working; arriving: how are you "
                                               "arriving today (text); mood: a 1-5 mood scale"})
    anonymous = fields.Boolean(metadata={"description": "Override the template (anonymous by default)"})
    visibility = Choice(VISIBILITY, metadata={"description": "Override the template (hidden by default)"})


class PollVoteIn(Schema):
    """Exactly one of: `choices` (single, multiple), `value` (rating), `text` (text)."""

    poll_id = Id(required=True)
    choices = fields.List(Id(), validate=validate.Length(min=1, max=10),
                          metadata={"description": "Option ids: one for single choice, up to max_choices"})
    value = StrictInt(validate=validate.Range(min=-1000, max=1000),
                      metadata={"description": "A point on the rating scale"})
    text = Text(max_len=TEXT_ANSWER_MAX, metadata={"description": "A short answer"})

    @validates_schema
    def _one_answer(self, data, **_):
        given = [k for k in ("choices", "value", "text") if k in data]
        if len(given) != 1:
            raise ValidationError("Give exactly one of choices, value or text.")
        if "choices" in data and len(set(data["choices"])) != len(data["choices"]):
            raise ValidationError({"choices": ["Each choice can be given once."]})


# ---- views --------------------------------------------------------------------------------------

class OptionOut(Schema):
    id = fields.Integer()
    label = fields.String()
    value = fields.Integer(allow_none=True, metadata={"description": "The scale point (rating polls)"})


class ScaleOut(Schema):
    min = fields.Integer()
    max = fields.Integer()
    min_label = fields.String(allow_none=True)
    max_label = fields.String(allow_none=True)


class CountOut(Schema):
    option_id = fields.Integer()
    count = fields.Integer()


class WordOut(Schema):
    word = fields.String()
    count = fields.Integer()


class ResultsOut(Schema):
    """Aggregates only: how many voted, counts per option, or the texts (sorted) and word counts."""

    voters = fields.Integer()
    counts = fields.List(fields.Nested(CountOut), metadata={"description": "Choice and rating polls"})
    mean = fields.Float(allow_none=True, metadata={"description": "Rating polls: the average, if anyone voted"})
    answers = fields.List(fields.String(), metadata={"description": "Text polls: every answer, sorted by text"})
    words = fields.List(fields.Nested(WordOut),
                        metadata={"description": "Text polls: word frequencies for a word cloud (most first)"})


class PollOut(Schema):
    """A poll as everyone inside sees it; `results` is null until they are live or published."""

    id = fields.Integer()
    kind = fields.String()
    question = fields.String()
    anonymous = fields.Boolean()
    allow_change = fields.Boolean()
    visibility = fields.String()
    published = fields.Boolean()
    state = fields.String(metadata={"description": "draft (facilitators only), open, closed"})
    options = fields.List(fields.Nested(OptionOut))
    max_choices = fields.Integer(allow_none=True)
    scale = fields.Nested(ScaleOut, allow_none=True)
    max_length = fields.Integer(allow_none=True, metadata={"description": "Text polls: longest answer"})
    template = fields.String(allow_none=True)
    opened_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    results = fields.Nested(ResultsOut, allow_none=True)


class BallotOut(Schema):
    participant_id = fields.Integer()
    name = fields.String()
    choices = fields.List(fields.Integer())
    text = fields.String(allow_none=True)
    voted_at = fields.DateTime()
    changed_at = fields.DateTime(allow_none=True)


class PollPrivateOut(PollOut):
    """The facilitators' view: results always, and for named polls who answered what."""

    created_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)
    ballots = fields.List(fields.Nested(BallotOut), allow_none=True,
                          metadata={"description": "Named polls: each vote with its voter; null for anonymous"})


class PollIdOut(Schema):
    id = fields.Integer()


class MyVoteOut(Schema):
    """A participant's own vote. For anonymous polls only that they voted: the answer is not kept."""

    poll_id = fields.Integer()
    voted = fields.Boolean()
    choices = fields.List(fields.Integer(), allow_none=True)
    text = fields.String(allow_none=True)


class TemplateOut(Schema):
    key = fields.String()
    kind = fields.String()
    question = fields.String()
    options = fields.List(fields.String())
    scale = fields.Nested(ScaleOut, allow_none=True)
