"""Declared errors cannot drift (issue 24, item 5): every code an event's handler, its checks and its
helpers can raise is in the AsyncAPI document's list for that event, and the walk that finds them
misses nothing it cannot report."""
from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import sys
import textwrap
import types

import pytest

import facilitator
from facilitator.actions import floor
from facilitator.errors import ActionError, Conflict
from facilitator.extensions import db
from facilitator.models import Meeting, Participant, utcnow
from facilitator.sockets import declared
from facilitator.sockets.registry import INBOUND


def _document_codes(app) -> dict[str, set[str]]:
    doc = app.test_client().get("/api/asyncapi.json").get_json()
    return {m["name"]: set(m["x-error-codes"]) for m in doc["components"]["messages"].values() if "x-roles" in m}


def test_every_code_an_event_can_raise_is_in_the_document(app):
    """The walk, run afresh here, against the published lists: a check that raises a code its event
    does not list fails this (hand.raise did: not_participant, removed and meeting_ended)."""
    published = _document_codes(app)
    missing = {}
    for name, handler in sorted(INBOUND.items()):
        found = declared.reach(handler).codes
        assert found, f"{name}: the walk found nothing; is it still reading the handler?"
        if found - published[name]:
            missing[name] = sorted(found - published[name])
    assert missing == {}


def test_hand_raise_lists_what_its_check_raises(app):
    codes = _document_codes(app)["hand.raise"]
    assert {"not_participant", "removed", "meeting_ended", "rules_not_acknowledged", "observer", "already_raised",
            "speaking", "no_speaker", "not_live", "rate_limited"} <= codes


def test_the_walk_reads_every_code_it_meets():
    """A code the walk cannot read (`code=` given something it cannot trace, **kwargs, a function
    without source) is reported, never dropped: there must be none."""
    unresolved = {name: declared.reach(h).unresolved for name, h in INBOUND.items()}
    assert {name: sites for name, sites in unresolved.items() if sites} == {}


def test_errors_declared_by_hand_are_only_what_the_walk_cannot_see():
    """`@on(..., errors=...)` is for codes the walk cannot find; one it finds, or a generic one,
    is a second list to keep in step, which is how the lists drifted."""
    redundant = {}
    for name, handler in sorted(INBOUND.items()):
        seen = declared.reach(handler).codes | set(declared.GENERIC)
        if set(handler.errors) & seen:
            redundant[name] = sorted(set(handler.errors) & seen)
    assert redundant == {}


def test_a_new_code_in_a_check_reaches_the_document(app, monkeypatch):
    """A handler that starts raising a code nobody declared: the document lists it at once."""
    def on_hand_raise(actor, data):
        floor.check_raise(actor, None, data["kind"])
        raise Conflict("A rule added later.", code="added_later")

    monkeypatch.setitem(INBOUND, "hand.raise", dataclasses.replace(INBOUND["hand.raise"], fn=on_hand_raise))
    codes = _document_codes(app)["hand.raise"]
    assert "added_later" in codes and "no_speaker" in codes


def test_role_refusals_follow_the_declared_roles():
    assert declared.role_refusals(INBOUND["hand.raise"]) == {"not_participant", "observer"}
    assert declared.role_refusals(INBOUND["queue.clear"]) == {"forbidden"}
    assert declared.role_refusals(INBOUND["sync"]) == set()


# ---- what a client really gets is listed ------------------------------------------------------

def test_hand_raise_refusals_a_client_gets_are_listed(app, live):
    listed = _document_codes(app)["hand.raise"]
    owner = live.facilitator()
    pia, sam = live.participant(name="Pia"), live.participant(name="Sam")
    got = {live.call(owner, "hand.raise", {})["error"]["code"]}
    with app.app_context():  # removed while this connection is still open (the removal's race)
        db.session.get(Participant, pia.pid).removed_at = utcnow()
        db.session.commit()
    got.add(live.call(pia, "hand.raise", {})["error"]["code"])
    with app.app_context():  # ended with the room still open on the phone
        db.session.get(Meeting, live.mid).state = "ended"
        db.session.commit()
    got.add(live.call(sam, "hand.raise", {})["error"]["code"])
    assert got == {"not_participant", "removed", "meeting_ended"}
    assert got <= listed


# ---- the walk misses no place in the package that makes an error -----------------------------

def _error_classes() -> dict[str, type]:
    out, todo = {}, [ActionError]
    while todo:
        cls = todo.pop()
        out[cls.__name__] = cls
        todo.extend(cls.__subclasses__())
    return out


# Entry points that start or configure a server when imported: they raise no action errors.
ENTRY_POINTS = {"facilitator.wsgi", "facilitator.serve", "facilitator.gunicorn_conf"}


def _package_functions():
    importlib.import_module("facilitator.app")  # first, as the app imports them: the package's cycles allow that order
    for info in pkgutil.walk_packages(facilitator.__path__, "facilitator."):
        if info.name not in ENTRY_POINTS:
            importlib.import_module(info.name)
    for name, module in sorted(sys.modules.items()):
        if not name.startswith("facilitator") or module is None:
            continue
        for value in vars(module).values():
            candidates = [value]
            if issubclass(type(value), type) and value.__module__ == name:  # type(): proxies such as current_app
                candidates = [v.fget if isinstance(v, property) else v for v in vars(value).values()]
            for fn in candidates:
                if type(fn) in (staticmethod, classmethod, types.MethodType):
                    fn = fn.__func__
                if type(fn) is types.FunctionType and fn.__module__ == name and fn.__name__ != "<lambda>":
                    yield inspect.unwrap(fn)


def _codes_by_reading(fn, classes: dict[str, type]) -> set[str]:
    """A second, simpler reading: the codes of error constructions written in `fn` by class name."""
    node = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    codes = set()
    for sub in ast.walk(ast.Module(body=node.body, type_ignores=[])):
        if isinstance(sub, ast.Call):
            called = sub.func.attr if isinstance(sub.func, ast.Attribute) else getattr(sub.func, "id", None)
            if called in classes:
                code = [kw.value for kw in sub.keywords if kw.arg == "code"]
                if not code:
                    codes.add(classes[called].code)
                elif isinstance(code[0], ast.Constant):
                    codes.add(code[0].value)
    return codes


def test_the_walk_sees_every_error_written_in_the_package():
    """For every function in facilitator/ that writes an error, the walk started there finds its
    codes: its name resolution (imports, aliases, subclasses in other modules) misses none."""
    classes = _error_classes()
    missed, seen = {}, 0
    for fn in _package_functions():
        try:
            written = _codes_by_reading(fn, classes)
        except (OSError, TypeError, SyntaxError):
            continue
        if not written:
            continue
        seen += 1
        found = declared.Reach()
        declared._Walk(found).run([fn])
        if written - found.codes:
            missed[f"{fn.__module__}.{fn.__qualname__}"] = sorted(written - found.codes)
    assert seen > 50  # the package writes errors in many places: the reading above still finds them
    assert missed == {}


@pytest.mark.parametrize("name", ["hand.raise", "hand.lower"])
def test_the_hand_limit_is_seen(name):
    assert declared.reach(INBOUND[name]).limiters == {"hand"}
