"""Chat, action by action: who may write where, who hears it, deletion, switch-off, mute, rate limit.

Every change goes through `verify_action`, so each audience's events rebuild its snapshot.
"""
from __future__ import annotations

import pytest

from facilitator.actions import breakouts as bo
from facilitator.actions import chat
from facilitator.views import chat as chat_views
from facilitator.errors import ActionError
from facilitator.extensions import db
from facilitator.models import ChatMessage, Meeting

from .support import dump_db
from .test_breakouts import World, make_world, opened


@pytest.fixture
def w(app, factory) -> World:
    return make_world(app, factory)


def send(w: World, actor, channel, text="hello", **extra):
    out = {}

    def act(m):
        data = {"channel": channel, "text": text, **extra}
        out["msg"] = chat.do_send(m, chat.check_send(actor, m, data), text)
    events = w.run(act)
    return out["msg"], events


def refused(w: World, actor, channel, code, text="hi", **extra):
    before = dump_db(w.app)
    with w.app.app_context(), pytest.raises(ActionError) as exc:
        chat.check_send(actor, db.session.get(Meeting, w.mid), {"channel": channel, "text": text, **extra})
    assert exc.value.code == code, exc.value.payload()
    assert dump_db(w.app) == before


def test_main_chat_reaches_everyone_inside_and_keeps_the_text_as_typed(w):
    text = '<script>alert(1)</script> & <b>bold</b>'
    msg, events = send(w, w.p("Ann"), "main", text)
    assert [(e["stream"], e["op"]) for e in events] == [("meeting", "posted")]
    assert msg["text"] == text and msg["author"] == {"participant_id": w.pids["Ann"], "user_id": None,
                                                     "name": "Ann", "role": "participant"}
    with w.app.app_context():
        assert db.session.get(ChatMessage, msg["id"]).text == text, "stored exactly as typed, not escaped"
    assert w.snap(w.obs)["chat"]["main"][-1]["text"] == text, "observers read the main chat"


def test_facilitator_main_and_backchannel(w):
    _, events = send(w, w.fac, "main")
    assert [e["stream"] for e in events] == ["meeting"]
    msg, events = send(w, w.fac, "backchannel", "Ann seems upset")
    assert [e["stream"] for e in events] == ["facilitators"]
    assert all("Ann seems upset" not in str(w.snap(w.p(n))) for n in w.pids)
    assert w.snap(w.fac)["private"]["chat"]["backchannel"][0]["id"] == msg["id"]


def test_direct_messages_go_to_the_sender_and_the_facilitators_only(w):
    msg, events = send(w, w.p("Ann"), "direct", "I need a minute")
    assert sorted(e["stream"] for e in events) == sorted(["facilitators", f"p{w.pids['Ann']}"])
    assert msg["participant_id"] == w.pids["Ann"]
    reply, events = send(w, w.fac, "direct", "Take your time", participant_id=w.pids["Ann"])
    assert sorted(e["stream"] for e in events) == sorted(["facilitators", f"p{w.pids['Ann']}"])
    assert [m["text"] for m in w.snap(w.p("Ann"))["chat"]["direct"]] == ["I need a minute", "Take your time"]
    assert w.snap(w.p("Ben"))["chat"]["direct"] == []
    refused(w, w.p("Ann"), "direct", "forbidden", participant_id=w.pids["Ben"])


def test_room_chat_reaches_the_room_and_facilitators_only(w):
    rid, r1, r2 = opened(w)
    msg, events = send(w, w.p("Ann"), "room", "in room one")
    assert sorted(e["stream"] for e in events) == sorted([f"b{r1}", "facilitators"])
    assert msg["room_id"] == r1
    assert w.snap(w.p("Cat"))["breakout"]["chat"][-1]["text"] == "in room one"
    assert w.snap(w.p("Ben"))["breakout"]["chat"] == []
    _, events = send(w, w.fac, "room", "facilitator in room two", room_id=r2)
    assert sorted(e["stream"] for e in events) == sorted([f"b{r2}", "facilitators"])


def test_participants_cannot_write_where_they_may_not(w):
    rid, r1, r2 = opened(w)
    refused(w, w.p("Ann"), "room", "not_in_room", room_id=r2)          # another room
    refused(w, w.p("Ann"), "room", "not_in_room", room_id=999999)      # no such room
    refused(w, w.p("Ann"), "main", "in_breakout")                      # in a room: write there
    refused(w, w.p("Ann"), "backchannel", "forbidden")
    refused(w, w.obs, "main", "observer")
    refused(w, w.obs, "direct", "observer")
    refused(w, w.fac, "room", "invalid")                               # which room?
    refused(w, w.fac, "direct", "invalid")                             # to whom?
    refused(w, w.fac, "main", "invalid", room_id=r1)                   # a room id on the main chat


def test_closed_rooms_refuse_chat_but_facilitators_still_read_them(w):
    rid, r1, _ = opened(w)
    send(w, w.p("Ann"), "room", "before the end")
    w.do(lambda m: bo.do_close(m, bo.check_close(w.fac, rid)))
    refused(w, w.fac, "room", "room_closed", room_id=r1)
    refused(w, w.p("Ann"), "room", "not_in_room")
    assert [m["text"] for m in w.snap(w.fac)["private"]["chat"]["rooms"]] == ["before the end"]
    send(w, w.p("Ann"), "main", "back in the main room")


def test_delete_removes_the_row_and_tells_each_audience(w):
    rid, r1, _ = opened(w)
    room_msg, _ = send(w, w.p("Ann"), "room", "oops")
    direct, _ = send(w, w.p("Ben"), "direct", "private")
    back, _ = send(w, w.fac, "backchannel", "note")
    main, _ = send(w, w.fac, "main", "everyone")
    expected = {room_msg["id"]: {f"b{r1}", "facilitators"}, direct["id"]: {f"p{w.pids['Ben']}", "facilitators"},
                back["id"]: {"facilitators"}, main["id"]: {"meeting"}}
    for mid, streams in expected.items():
        events = w.run(lambda m, i=mid: chat.do_delete(m, chat.check_delete(w.fac, i)))
        assert {e["stream"] for e in events} == streams and {e["op"] for e in events} == {"deleted"}
        with w.app.app_context():
            assert db.session.get(ChatMessage, mid) is None
    assert "oops" not in str(w.snap(w.fac)) and "oops" not in str(w.snap(w.p("Cat")))


def test_delete_in_a_closed_room_tells_the_facilitators(w):
    rid, r1, _ = opened(w)
    msg, _ = send(w, w.p("Ann"), "room", "later regretted")
    w.do(lambda m: bo.do_close(m, bo.check_close(w.fac, rid)))
    events = w.run(lambda m: chat.do_delete(m, chat.check_delete(w.fac, msg["id"])))
    assert [e["stream"] for e in events] == ["facilitators"]


def test_chat_off_and_mute_stop_main_and_room_chat_but_never_the_line_to_facilitators(w):
    events = w.run(lambda m: (chat.check_settings(w.fac), chat.do_settings(m, False)))
    assert [(e["stream"], e["data"]) for e in events] == [("meeting", {"enabled": False})]
    refused(w, w.p("Ann"), "main", "chat_off")
    send(w, w.p("Ann"), "direct", "still here")
    send(w, w.fac, "main", "facilitators still speak")
    assert w.run(lambda m: chat.do_settings(m, False)) == [], "no change, no event"
    w.run(lambda m: chat.do_settings(m, True))
    events = w.run(lambda m: chat.do_mute(m, chat.check_mute(w.fac, w.pids["Ben"]), True))
    assert sorted(e["stream"] for e in events) == sorted([f"p{w.pids['Ben']}", "facilitators"])
    assert w.snap(w.p("Ben"))["chat"]["muted"] is True and w.snap(w.p("Ann"))["chat"]["muted"] is False
    refused(w, w.p("Ben"), "main", "muted")
    send(w, w.p("Ben"), "direct", "why?")
    send(w, w.p("Ann"), "main", "Ann is not muted")
    w.run(lambda m: chat.do_mute(m, chat.check_mute(w.fac, w.pids["Ben"]), False))
    send(w, w.p("Ben"), "main", "back")


def test_history_is_capped_per_channel(w, monkeypatch):
    monkeypatch.setattr(chat_views, "HISTORY", 3)
    w.app.config["CHAT_RATE_LIMIT"] = (1000, 10)
    for i in range(5):
        send(w, w.p("Ann"), "main", f"m{i}")
        send(w, w.p("Ann"), "direct", f"a{i}")
        send(w, w.p("Ben"), "direct", f"b{i}")
    assert [m["text"] for m in w.snap(w.p("Cat"))["chat"]["main"]] == ["m2", "m3", "m4"]
    direct = w.snap(w.fac)["private"]["chat"]["direct"]
    assert [m["text"] for m in direct] == ["a2", "b2", "a3", "b3", "a4", "b4"]


def test_the_snapshot_gives_each_role_only_its_chats(w):
    rid, r1, r2 = opened(w)
    send(w, w.p("Ann"), "room", "room one")
    send(w, w.p("Ben"), "room", "room two")
    send(w, w.p("Cat"), "direct", "to facs")
    send(w, w.fac, "backchannel", "facs only")
    ann = w.snap(w.p("Ann"))
    assert [m["text"] for m in ann["breakout"]["chat"]] == ["room one"] and ann["chat"]["direct"] == []
    assert "private" not in ann and "room two" not in str(ann) and "facs only" not in str(ann)
    fac = w.snap(w.fac)["private"]["chat"]
    assert {m["text"] for m in fac["rooms"]} == {"room one", "room two"}
    assert [m["text"] for m in fac["direct"]] == ["to facs"]
    assert [m["text"] for m in fac["backchannel"]] == ["facs only"]
