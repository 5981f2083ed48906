"""Issue 17, finding 9: every text field refuses control characters at the schema, through one
shared field type (`schemas.common.Text`).

A NUL byte in the sign-in email was an HTTP 500 on PostgreSQL (which refuses NUL in text; see
tests/unit/test_text_fields_postgres.py for the same requests there). Here: that every string a
load schema takes is a `Text`, and that forms, the JSON join and the REST API answer a control
character with a clear field error and change nothing, while text areas keep their line breaks.
"""
from __future__ import annotations

import importlib
import pkgutil

import pytest
from marshmallow import Schema, fields

import facilitator
from facilitator.extensions import db
from facilitator.schemas.common import Text
from tests.unit.support import dump_db

PW = "correct horse battery"
CONTROL_MESSAGE = "Control characters are not allowed."

CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f", "\x85", "\x9f", "\ud800"]


def load_schemas():
    """Every load schema in the package: the classes named `...In` or `...Args` (DESIGN.md's
    convention; every `.load`, `load_form` and `@blp.arguments` in the package uses one)."""
    found = {}
    for mod in pkgutil.walk_packages(facilitator.__path__, "facilitator."):
        if mod.name.endswith((".serve", ".wsgi", ".gunicorn_conf")):
            continue  # entry points: they monkey-patch or start a server at import
        module = importlib.import_module(mod.name)
        for name, obj in vars(module).items():
            if (isinstance(obj, type) and issubclass(obj, Schema) and obj.__module__ == mod.name
                    and name.endswith(("In", "Args"))):
                found[(mod.name, name)] = obj
    return found


def string_fields(field, path):
    """(path, field) for every field that takes a string, looking inside lists, dicts and nesting."""
    if isinstance(field, fields.String):
        yield path, field
    elif isinstance(field, fields.List):
        yield from string_fields(field.inner, path + "[]")
    elif isinstance(field, fields.Tuple):
        for i, inner in enumerate(field.tuple_fields):
            yield from string_fields(inner, f"{path}[{i}]")
    elif isinstance(field, fields.Dict):
        for part, inner in (("keys", field.key_field), ("values", field.value_field)):
            if inner is not None:
                yield from string_fields(inner, f"{path}.{part}")
    elif isinstance(field, fields.Nested):
        nested = field.schema
        for name, inner in nested.fields.items():
            if not inner.dump_only:
                yield from string_fields(inner, f"{path}.{name}")


def test_there_are_load_schemas_to_check():
    schemas = load_schemas()
    for expected in ("LoginIn", "SignupIn", "SetupIn", "JoinIn", "MeetingIn", "MeetingCreateIn", "ChatSendIn",
                     "RulesSetIn", "PollIn"):
        assert any(name == expected for _m, name in schemas), expected


def test_every_string_a_load_schema_takes_is_the_shared_text_type():
    wrong = []
    for (module, name), cls in sorted(load_schemas().items()):
        for field_name, field in cls().fields.items():
            if field.dump_only:
                continue
            for path, f in string_fields(field, field_name):
                if not isinstance(f, Text):
                    wrong.append(f"{module}.{name}.{path}: {type(f).__name__}")
    assert wrong == []


@pytest.mark.parametrize("multiline", [False, True])
@pytest.mark.parametrize("char", CONTROLS)
def test_the_shared_type_refuses_control_characters(char, multiline):
    class Probe(Schema):
        text = Text(max_len=100, multiline=multiline)

    with pytest.raises(Exception) as exc:
        Probe().load({"text": f"a{char}b"})
    assert exc.value.messages == {"text": [CONTROL_MESSAGE]}


def test_text_areas_keep_line_breaks_and_tabs_and_take_a_browsers_crlf():
    class Probe(Schema):
        one = Text(max_len=100)
        many = Text(max_len=100, multiline=True)

    assert Probe().load({"many": "first\r\nsecond\rthird\n\tindented\n"}) == {
        "many": "first\nsecond\nthird\n\tindented"}
    for char in ("\t", "\n", "\r"):
        with pytest.raises(Exception):
            Probe().load({"one": f"a{char}b"})
    assert Probe().load({"one": "  Sam  "}) == {"one": "Sam"}


@pytest.mark.parametrize("form", [
    {"email": "fac1@example.org\x00", "password": PW},
    {"email": "\x00", "password": PW},
    {"email": "fac1@example.org", "password": PW + "\x00"},
])
def test_a_control_character_in_the_sign_in_form_is_a_field_error(app, client, factory, form):
    factory.user(email="fac1@example.org")
    before = dump_db(app)
    r = client.post("/login", data=form)
    assert r.status_code == 400
    assert CONTROL_MESSAGE in r.get_data(as_text=True)
    assert dump_db(app) == before


@pytest.mark.parametrize("field", ["email", "display_name", "password"])
def test_a_control_character_in_the_sign_up_form_is_a_field_error(app, client, field):
    form = {"email": "new@example.org", "display_name": "Noor", "password": "long enough password"}
    form[field] = form[field][:3] + "\x00" + form[field][3:]
    before = dump_db(app)
    r = client.post("/signup", data=form)
    assert r.status_code == 400 and CONTROL_MESSAGE in r.get_data(as_text=True)
    assert dump_db(app) == before


@pytest.mark.parametrize("body,field", [
    ({"title": "Group\x00"}, "title"),
    ({"title": "Group", "kind": "group\x00"}, "kind"),
    ({"title": "Group", "group_tags": ["OT", "P\x1bT"]}, "group_tags"),
    ({"title": "Group", "after_text": "Bye\x00"}, "after_text"),
    ({"title": "Group", "rules": [{"title": "Kind", "text": "Be\x07 kind"}]}, "rules"),
    ({"title": "Gro\ud800up"}, "title"),
])
def test_the_api_answers_a_control_character_with_its_field_error(app, client, api, body, field):
    before = dump_db(app)
    r = client.post("/api/v1/meetings", headers=api.headers, json=body)
    assert r.status_code == 422
    assert field in r.get_json()["errors"]["json"]
    assert CONTROL_MESSAGE in str(r.get_json()["errors"]["json"][field])
    assert dump_db(app) == before


@pytest.mark.parametrize("body", [{"display_name": "Sam\x00"}, {"display_name": "Sam", "group_tag": "OT\x00"},
                                  {"display_name": "Sam", "contact": "07700\x00900"}])
def test_the_json_join_answers_a_control_character_with_its_field_error(app, client, factory, body):
    mid, code = factory.meeting(factory.user(), group_tags=["OT"])
    before = dump_db(app)
    r = client.post(f"/j/{code}", json=body)
    assert r.status_code == 422
    error = r.get_json()["error"]
    assert error["code"] == "invalid" and CONTROL_MESSAGE in str(error["fields"])
    assert dump_db(app) == before


def test_a_text_area_submitted_by_a_browser_keeps_its_line_breaks(app, client, factory, auth):
    """Every browser submits a text area's line breaks as CR LF; the multi-line fields used to
    refuse the CR as a control character, so a two-line after-session text or rule could not be saved."""
    factory.user(email="fac1@example.org")
    auth.login()
    r = client.post("/meetings/new", data={"title": "Tuesday group", "kind": "group", "retention_days": "30",
                                           "after_text": "Take a break.\r\nDrink some water.",
                                           "rules_from": "blank"})
    assert r.status_code == 302, r.get_data(as_text=True)
    from facilitator.models import Meeting

    with app.app_context():
        meeting = db.session.execute(db.select(Meeting)).scalar_one()
        mid = meeting.id
        assert meeting.after_text == "Take a break.\nDrink some water."
    r = client.post(f"/meetings/{mid}/edit", data={"title": "Tuesday group", "kind": "group", "retention_days": "30",
                                                  "after_text": "Take a break.\r\nDrink some water.",
                                                  "rule_title": "Listen", "rule_text": "One at a time.\r\nNo interrupting."})
    assert r.status_code == 302, r.get_data(as_text=True)
    with app.app_context():
        assert [rule.text for rule in db.session.get(Meeting, mid).rules] == ["One at a time.\nNo interrupting."]


@pytest.mark.parametrize("url", ["/observe/%00", "/observe/abc%00def", "/meetings/cofacilitate/%00"])
def test_a_control_character_in_a_link_key_is_no_such_link(app, client, factory, auth, url):
    factory.user(email="fac1@example.org")
    auth.login()
    assert client.get(url).status_code == 404
