"""The error codes each inbound socket event can answer with, read from the code that answers.

A list written by hand beside each handler drifts from what its check raises (`hand.raise`
declared neither `removed` nor `meeting_ended`, which `require_entered` raises for it). So the
list is derived: a static walk (Python's `ast`) of the handler and every
function of this package they call or name, transitively, collecting each `ActionError` (or
subclass) they construct or raise, with its `code=` or the class's default code. Names are
resolved through each function's real globals (and its imports inside the function), so an alias
or a re-export is followed as Python would follow it. What the registry itself refuses
(`refuse_role`) is read by running it for every role. Codes any event may get, whatever it does,
are `GENERIC`, documented once.

The walk over-approximates: it follows every call, not only the ones a given payload reaches,
and a method call on a value whose type it cannot know follows every method of that name defined
in a class of this package outside the web layer and the CLI (which no socket path calls into).
Codes it reports that a payload cannot reach are harmless to a client; a missing one is not. A code it cannot read (`code=` given a value it cannot trace) is reported in
`Reach.unresolved`, and tests/sockets/test_declared_errors.py fails on any: a code the walk cannot
see is never silently left out. What a handler raises that no walk can see is declared by hand
with `@on(..., errors=...)`, and the same test refuses a hand-declared code the walk already sees.
"""
from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import sys
import textwrap
import types
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from .. import limits
from ..access import Actor
from ..errors import ActionError
from .registry import ALL_ROLES, INBOUND, Handler, refuse_role

PACKAGE = "facilitator"

# Codes any event may be answered with, whatever it does: documented once for every event.
GENERIC: dict[str, str] = {
    "unauthenticated": "The connection is not (or no longer) signed in to a session: join or sign in again.",
    "invalid": "The payload does not fit the event's schema (`fields` says which field and why), or a check "
               "found a field value it cannot use.",
    "rate_limited": "Too many events at once: this connection's own limit (every event counts), or the "
                    "event's own limit (`x-rate-limit`). `fields.retry_after` is the seconds to wait.",
    "unavailable": "The database cannot be reached just now. Nothing was changed; try again shortly.",
    "busy": "The server is overloaded just now. Nothing was changed; try again shortly.",
    "internal": "A fault on the server. Nothing was changed; try again.",
}



@dataclass
class Reach:
    """What the walk found for one event."""

    codes: set[str] = field(default_factory=set)
    # "module:line" of every error whose code the walk could not read
    unresolved: list[str] = field(default_factory=list)
    # every function of this package the walk reached (for rate-limit lookups, and tests)
    functions: set = field(default_factory=set)
    # the limits.py limit the event is registered with ("hand"), if any
    limiters: set[str] = field(default_factory=set)


def role_refusals(handler: Handler) -> set[str]:
    """The codes `refuse_role` answers this handler with, read by asking it for every role."""
    codes = set()
    for role in ALL_ROLES:
        try:
            refuse_role(handler, Actor(role=role, meeting_id=0))
        except ActionError as exc:
            codes.add(exc.code)
    return codes


def reach(handler: Handler) -> Reach:
    """Every code the handler and what it calls can raise, plus the registry's own refusals for it
    (its roles, its rate limit) (uncached)."""
    found = Reach()
    _Walk(found).run([handler.fn])
    found.codes |= role_refusals(handler)
    if handler.limit is not None:
        found.limiters.add(handler.limit)
        found.codes.add(limits.RateLimited.code)
    return found


@cache
def _reach_cached(handler: Handler) -> Reach:
    return reach(handler)


def reach_of(name: str) -> Reach:
    """`reach` of a registered event, cached per handler (a test may swap one in: a new key)."""
    return _reach_cached(INBOUND[name])


def error_codes(name: str) -> list[str]:
    """Every code event `name` can be answered with: derived, declared by hand, and generic."""
    handler = INBOUND[name]
    return sorted(reach_of(name).codes | set(handler.errors) | set(GENERIC))


def specific_codes(name: str) -> list[str]:
    """The codes of event `name` beyond the generic ones."""
    return [code for code in error_codes(name) if code not in GENERIC]


# ---- the walk ----------------------------------------------------------------------------------

_UNKNOWN = object()


def _ours(obj) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module == PACKAGE or module.startswith(PACKAGE + ".")


def _function(obj):
    """The plain function behind `obj` if it is one of this package's (unwrapping decorators)."""
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if isinstance(obj, types.MethodType):
        obj = obj.__func__
    if isinstance(obj, types.FunctionType):
        obj = inspect.unwrap(obj)
        # A lambda's body is read with its parent's; code made at run time (a dataclass's
        # `__init__`, `__eq__`...) has no source and raises nothing of ours.
        if _ours(obj) and obj.__name__ != "<lambda>" and not obj.__code__.co_filename.startswith("<"):
            return obj
    return None


def _is_error_class(obj) -> bool:
    return isinstance(obj, type) and issubclass(obj, ActionError)


@cache
def _source(fn) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        text = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        return None
    node = ast.parse(text).body[0]
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


# Layers no socket path calls into (they call the actions, as the sockets do): their classes'
# methods are not candidates for a call on a value of unknown type.
_NOT_CALLED_FROM_SOCKETS = (PACKAGE + ".web", PACKAGE + ".cli")


@lru_cache(maxsize=1)
def _members_by_name() -> dict[str, tuple]:
    """Every method and property getter defined in a class of this package (outside the web layer
    and the CLI), by name: what a call on a value of unknown type (`p.has_acked(...)`) might reach.

    Read from the source files, not from the modules imported so far, so that the answer does not
    depend on what happens to be imported; a module is imported only when one of its names matches."""
    root = Path(inspect.getfile(sys.modules[PACKAGE])).parent
    places: dict[str, list[tuple[str, str, str]]] = {}
    for path in sorted(root.rglob("*.py")):
        module_name = ".".join((PACKAGE,) + path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        if module_name.startswith(_NOT_CALLED_FROM_SOCKETS):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                for member in node.body:
                    if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        places.setdefault(member.name, []).append((module_name, node.name, member.name))
    return {name: tuple(found) for name, found in places.items()}


def _members(name: str) -> list:
    out = []
    for module_name, class_name, member in _members_by_name().get(name, ()):
        cls = getattr(importlib.import_module(module_name), class_name, None)
        value = inspect.getattr_static(cls, member, None) if isinstance(cls, type) else None
        fn = _function(value.fget if isinstance(value, property) else value)
        if fn is not None:
            out.append(fn)
    return out


class _Scope:
    """How names inside one function resolve: its imports inside the body, its closure, its globals."""

    def __init__(self, fn, node: ast.AST):
        self.names: dict[str, object] = {}
        package = getattr(sys.modules.get(fn.__module__), "__package__", None) or PACKAGE
        for sub in ast.walk(node):
            if isinstance(sub, ast.ImportFrom):
                module = importlib.import_module("." * sub.level + (sub.module or ""), package)
                for alias in sub.names:
                    value = getattr(module, alias.name, _UNKNOWN)
                    if value is _UNKNOWN:
                        value = importlib.import_module(f"{module.__name__}.{alias.name}")
                    self.names[alias.asname or alias.name] = value
            elif isinstance(sub, ast.Import):
                for alias in sub.names:
                    module = importlib.import_module(alias.name)
                    if alias.asname:
                        self.names[alias.asname] = module
                    else:
                        self.names[alias.name.split(".")[0]] = sys.modules[alias.name.split(".")[0]]
        try:
            self.names.update(inspect.getclosurevars(fn).nonlocals)
        except (TypeError, ValueError):
            pass
        self.globals = fn.__globals__

    def resolve(self, expr: ast.AST):
        if isinstance(expr, ast.Name):
            if expr.id in self.names:
                return self.names[expr.id]
            if expr.id in self.globals:
                return self.globals[expr.id]
            return getattr(builtins, expr.id, _UNKNOWN)
        if isinstance(expr, ast.Attribute):
            base = self.resolve(expr.value)
            # Only modules and classes are looked into: any other object's attribute may run code.
            if isinstance(base, (types.ModuleType, type)):
                return inspect.getattr_static(base, expr.attr, _UNKNOWN) if isinstance(base, type) \
                    else getattr(base, expr.attr, _UNKNOWN)
        return _UNKNOWN


class _Walk:
    def __init__(self, found: Reach):
        self.found = found
        self.queue: list = []

    def run(self, roots) -> None:
        for root in roots:  # read wherever it was written (a test may register one); what it calls, only if ours
            root = inspect.unwrap(getattr(root, "__func__", root))
            if isinstance(root, types.FunctionType) and root not in self.found.functions:
                self.found.functions.add(root)
                self.queue.append(root)
        while self.queue:
            fn = self.queue.pop()
            node = _source(fn)
            if node is None:
                self.found.unresolved.append(f"{fn.__module__}.{fn.__qualname__}: source not readable")
                continue
            self._read(fn, node)

    def _follow(self, obj) -> None:
        """Queue a function of this package, or every method of a class of this package."""
        if _is_error_class(obj):
            return
        if isinstance(obj, property):
            obj = obj.fget
        if isinstance(obj, type) and _ours(obj):
            for value in vars(obj).values():
                self._follow(value.fget if isinstance(value, property) else value)
            return
        fn = _function(obj)
        if fn is not None and fn not in self.found.functions:
            self.found.functions.add(fn)
            self.queue.append(fn)

    def _read(self, fn, node) -> None:
        scope = _Scope(fn, node)
        body = ast.Module(body=node.body, type_ignores=[])  # not the decorators (`@on(...)` names codes)
        where = f"{fn.__module__}:{fn.__qualname__}"
        for sub in ast.walk(body):
            if isinstance(sub, ast.Call):
                target = scope.resolve(sub.func)
                if _is_error_class(target):
                    self._construct(target, sub, node, scope, where)
            elif isinstance(sub, ast.Raise) and sub.exc is not None and not isinstance(sub.exc, ast.Call):
                target = scope.resolve(sub.exc)
                if _is_error_class(target):
                    self.found.codes.add(target.code)
            if isinstance(sub, (ast.Name, ast.Attribute)) and isinstance(getattr(sub, "ctx", None), ast.Load):
                target = scope.resolve(sub)
                if target is not _UNKNOWN:
                    self._follow(target)
                elif isinstance(sub, ast.Attribute):
                    for member in _members(sub.attr):
                        self._follow(member)

    def _construct(self, cls, call: ast.Call, node, scope: _Scope, where: str) -> None:
        given = [kw for kw in call.keywords if kw.arg == "code"]
        if any(kw.arg is None for kw in call.keywords):  # **kwargs: a code could hide in them
            self.found.unresolved.append(f"{where}:{call.lineno} passes **kwargs to {cls.__name__}")
            return
        if not given:
            self.found.codes.add(cls.code)
            return
        codes = _strings(given[0].value, node, scope)
        if codes:
            self.found.codes |= codes
        else:
            self.found.unresolved.append(f"{where}:{call.lineno} {cls.__name__}(code={ast.unparse(given[0].value)})")


def _strings(expr: ast.AST, node: ast.AST, scope: _Scope) -> set[str]:
    """The strings `expr` can be, when it is a literal, a constant, or a local variable assigned
    literals (directly, or unpacked from a tuple or from the tuples of a literal dict); else empty."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    value = scope.resolve(expr)
    if isinstance(value, str):
        return {value}
    if not isinstance(expr, ast.Name):
        return set()
    out: set[str] = set()
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Assign):
            continue
        for target in sub.targets:
            if isinstance(target, ast.Name) and target.id == expr.id:
                out |= _literal_at(sub.value, None, node)
            elif isinstance(target, ast.Tuple):
                for i, elt in enumerate(target.elts):
                    if isinstance(elt, ast.Name) and elt.id == expr.id:
                        out |= _literal_at(sub.value, i, node)
    return out


def _literal_at(value: ast.AST, index: int | None, node: ast.AST) -> set[str]:
    if index is None:
        return {value.value} if isinstance(value, ast.Constant) and isinstance(value.value, str) else set()
    if isinstance(value, ast.Tuple) and index < len(value.elts):
        return _literal_at(value.elts[index], None, node)
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
        table = value.value.id
        out: set[str] = set()
        for sub in ast.walk(node):
            if isinstance(sub, ast.Assign) and any(isinstance(t, ast.Name) and t.id == table for t in sub.targets) \
                    and isinstance(sub.value, ast.Dict):
                for entry in sub.value.values:
                    out |= _literal_at(entry, index, node)
        return out
    return set()
