// Breakout rooms, participant side. In a room: its name, who is in it, the time left (from the
// stored deadline and server time), the warning before the end, the room's chat and an "ask for
// help" toggle. In the main room while a round runs: its clock, and rooms to choose from when the
// facilitator lets people choose: a now card, at the top when there is a room to choose. The
// main-room panels are hidden while in a room (a class on #view-room, see breakouts.css). Coming
// back, a notice says why; it goes when dismissed, after a while, or when a new round opens.
import { $, h, show, announce, formatClock, formatTime, keepFocus, plural } from "./dom.js";
import { secondsUntil } from "./floor-view.js";
import { send } from "./acting.js";
import { wantNow, setNowKind } from "./room-now.js";
import { renderLog, setupChatForm, writeBlock, roleLabel } from "./room-chat.js";

const RETURN_REASONS = {
  ended: "Time is up: you are back in the main room.",
  closed: "The facilitator closed the breakout rooms: you are back in the main room.",
  unassigned: "The facilitator brought you back to the main room.",
};
const ENTER_REASONS = {
  opened: "Breakout rooms are open.",
  moved: "The facilitator moved you.",
  placed: "The facilitator placed you in a room.",
  chose: "",
};

function minutesText(seconds) {
  const minutes = Math.round(seconds / 60);
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} seconds`;
  return `${minutes} minutes`;
}

export function setupRoomBreakout(live) {
  const view = $("#view-room");
  const panel = $("#breakout");
  const lobby = $("#breakout-lobby");
  const helpButton = $("#breakout-help");
  const helpError = $("#breakout-help-error");
  const chat = { log: $("#room-chat-log"), list: $("#room-chat-list"), empty: $("#room-chat-empty"),
    form: $("#room-chat-form"), note: $("#room-chat-note") };
  const back = $("#breakout-back");
  const BACK_NOTICE_MS = 60000;
  let backTimer = null;
  let backRound = null;       // the round the notice is about
  function showBack(text, roundId) {
    $("#breakout-back-text").textContent = text;
    backRound = roundId ?? 0;
    wantNow(back, true);
    clearTimeout(backTimer);
    backTimer = setTimeout(hideBack, BACK_NOTICE_MS);
  }
  function hideBack() {
    clearTimeout(backTimer);
    backRound = null;
    wantNow(back, false);
  }
  $("#breakout-back-dismiss").addEventListener("click", () => {
    hideBack();
    $("#room-title").focus();
  });

  let roomId = null;          // the room shown, to notice entering, moving and leaving
  let warnedKey = null;       // the warning already announced (round and when it was given)
  let helpWas = null;
  let lobbyWas = null;        // the round (and whether choosing) the lobby card was last drawn for

  setupChatForm(chat.form, (text) => {
    const b = live.snapshot && live.snapshot.breakout;
    return live.call("chat.send", b ? { channel: "room", room_id: b.room.id, text } : { channel: "room", text });
  });

  helpButton.addEventListener("click", async () => {
    const b = live.snapshot && live.snapshot.breakout;
    if (!b) return;
    const on = !b.help_at;
    helpButton.disabled = true;
    await send(live, "breakout.help", { on }, { error: helpError,
      done: on ? "Help requested. A facilitator will come to your room." : "Help request withdrawn." });
    helpButton.disabled = false;
  });

  function choose(id, name, errorEl) {
    return send(live, "breakout.choose", { room_id: id }, { error: errorEl, done: `Going to ${name}…` });
  }
  $("#breakout-switch-go").addEventListener("click", () => {
    const select = $("#breakout-switch-select");
    if (!select.value) return;
    choose(Number(select.value), select.selectedOptions[0].dataset.name, $("#breakout-switch-error"));
  });

  live.onChange((snap, env) => {
    if (env && env.type === "breakout") {
      // Apply, then `sync`: the server moves this connection into (or out of) the room's stream.
      if (env.op === "assigned") {
        const name = env.data.breakout ? env.data.breakout.room.name : "a breakout room";
        announce(`${ENTER_REASONS[env.data.reason] || ""} You are now in ${name}.`.trim(), { assertive: true });
        hideBack();
      } else if (env.op === "returned") {
        const text = RETURN_REASONS[env.data.reason] || "You are back in the main room.";
        showBack(text, env.data.round_id);
        announce(text, { assertive: true });
      }
      live.sync();
    }
    if (snap.gate || !("breakout" in snap)) return;
    render(snap, env);
  });

  function render(snap, env) {
    const b = snap.breakout;
    const inRoom = Boolean(b);
    view.classList.toggle("in-breakout", inRoom);
    show(panel, inRoom);
    const round = snap.breakouts && snap.breakouts.round;
    // A new round replaces the notice about the last one.
    if (round && backRound !== null && round.id !== backRound) hideBack();
    const choosing = Boolean(round && round.choosing && snap.me.role !== "observer");
    setNowKind(lobby, choosing ? "lobby-choose" : "lobby");
    wantNow(lobby, !inRoom && Boolean(round));
    const lobbyKey = round && !inRoom ? `${round.id}:${choosing}` : null;
    if (lobbyKey && lobbyKey !== lobbyWas && env) {
      announce(choosing ? "Breakout rooms are open: choose your room, at the top of the page."
        : "Breakout rooms are open. A facilitator may place you in a room.", { assertive: choosing });
    }
    lobbyWas = lobbyKey;
    if (!inRoom) {
      if (roomId !== null) {
        const active = document.activeElement;
        if (!active || active === document.body || panel.contains(active)) $("#room-title").focus();
      }
      roomId = null;
      helpWas = null;
      if (round) renderLobby(snap, round);
      tick();
      return;
    }
    $("#breakout-h").textContent = b.room.name;
    $("#breakout-eyebrow").textContent = "You are in a breakout room";
    $("#breakout-ends").textContent = `ends at ${formatTime(b.round.ends_at)}`;
    renderMembers(snap, b);
    renderHelp(b, env);
    renderWarning(b);
    renderLog(chat.log, chat.list, chat.empty, b.chat, snap);
    const block = writeBlock(snap);
    show(chat.form, !block);
    show(chat.note, Boolean(block));
    chat.note.textContent = block || "";
    renderSwitch(snap, b, round);
    if (b.room.id !== roomId) {
      roomId = b.room.id;
      hideBack();
      $("#breakout-h").focus();
    }
    tick();
  }

  function renderMembers(snap, b) {
    const people = b.members.map((m) => h("li", { class: "person" },
      h("span", { class: "person-name" }, m.name, m.id === snap.me.id ? " (you)" : ""),
      m.role === "observer" ? h("span", { class: "badge observer" }, "Observer") : null,
      m.group_tag ? h("span", { class: "tag" }, m.group_tag) : null));
    const staff = b.staff.map((s) => h("li", { class: "person" },
      h("span", { class: "person-name" }, s.name),
      h("span", { class: "badge" }, `${roleLabel(s.role)}, visiting`)));
    $("#breakout-members").replaceChildren(...people, ...staff);
    $("#breakout-members-h").textContent = `In this room (${b.members.length})`;
    const visiting = b.staff.map((s) => s.name);
    $("#breakout-staff").textContent = visiting.length ? `${visiting.join(" and ")} ${visiting.length === 1 ? "is" : "are"} visiting this room.` : "";
    show($("#breakout-staff"), visiting.length > 0);
  }

  function renderHelp(b, env) {
    const on = Boolean(b.help_at);
    helpButton.setAttribute("aria-pressed", on ? "true" : "false");
    $("#breakout-help-note").textContent = on
      ? `Help asked for at ${formatTime(b.help_at)}: a facilitator will come. Press again to withdraw the request.`
      : "Calls a facilitator to this room. Everyone in the room sees that help was asked for.";
    if (helpWas !== null && helpWas !== on && env && env.type === "room") {
      announce(on ? "Someone in your room asked a facilitator for help." : "The help request for your room was answered.");
    }
    helpWas = on;
  }

  function renderWarning(b) {
    const r = b.round;
    const warned = Boolean(r.warned_at);
    show($("#breakout-warning"), warned);
    if (!warned) return;
    const left = secondsUntil(live, r.ends_at);
    const text = `This room closes at ${formatTime(r.ends_at)}, in about ${minutesText(left)}. Time to wrap up.`;
    $("#breakout-warning-text").textContent = text;
    const key = `${r.id}|${r.warned_at}`;
    if (key !== warnedKey) {
      warnedKey = key;
      announce(text, { assertive: true });
    }
  }

  function renderSwitch(snap, b, round) {
    const open = Boolean(round && round.choosing) && snap.me.role !== "observer";
    show($("#breakout-switch"), open);
    if (!open) return;
    const select = $("#breakout-switch-select");
    const chosen = select.value;
    const others = round.rooms.filter((r) => r.id !== b.room.id);
    select.replaceChildren(...others.map((r) => h("option", { value: r.id, dataset: { name: r.name } },
      `${r.name} (${plural(r.count, "person", "people")})`)));
    if (others.some((r) => String(r.id) === chosen)) select.value = chosen;
    $("#breakout-switch-go").disabled = others.length === 0;
  }

  function renderLobby(snap, round) {
    $("#breakout-lobby-ends").textContent = `left, until ${formatTime(round.ends_at)}`;
    const choosing = round.choosing && snap.me.role !== "observer";
    $("#breakout-lobby-h").textContent = choosing ? "Choose a breakout room" : "Breakout rooms are open";
    $("#breakout-lobby-note").textContent = choosing
      ? "Pick the room you would like to join. You can change rooms while choosing is open."
      : "You are in the main room. A facilitator may place you in a room.";
    const list = $("#breakout-choose");
    show(list, choosing);
    if (!choosing) { list.replaceChildren(); return; }
    const err = $("#breakout-choose-error");
    // Every event redraws the list (counts change as people choose): the Join button that had the
    // keyboard keeps it.
    keepFocus(list, () => list.replaceChildren(...round.rooms.map((r) => h("li", { class: "choose-item" },
      h("span", { class: "choose-name" }, r.name),
      h("span", { class: "hint" }, plural(r.count, "person", "people")),
      h("button", { type: "button", class: "button small primary", "aria-label": `Join ${r.name}`,
        dataset: { fkey: `join-${r.id}` }, onclick: () => choose(r.id, r.name, err) }, "Join")))));
  }

  function tick() {
    const snap = live.snapshot;
    if (!snap) return;
    const b = snap.breakout;
    const round = b ? b.round : snap.breakouts && snap.breakouts.round;
    if (!round) return;
    const left = secondsUntil(live, round.ends_at);
    const clock = b ? $("#breakout-clock") : $("#breakout-lobby-clock");
    clock.textContent = left > 0 ? formatClock(left) : "0:00";
    if (b) {
      $("#breakout-clock-box").classList.toggle("soon", Boolean(round.warned_at) || left <= 60);
      if (left <= 0) $("#breakout-ends").textContent = "Time is up: returning to the main room…";
    }
  }
  setInterval(tick, 1000);
}
