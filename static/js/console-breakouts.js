// Breakout rooms, facilitator side: prepare a round (rooms, time, warning), assign people
// (random, balanced by group tag, the previous round's groups, by hand, or let them choose),
// preview and adjust, open; while rooms run: the countdown, extend or shorten, broadcast, move
// people, visit a room, help requests, place late joiners, close all.
import { $, $$, h, show, announce, formatClock, formatTime, plural } from "./dom.js";
import { setupChatForm } from "./room-chat.js";
import { send } from "./acting.js";
import { needs } from "./console-attention.js";
import { secondsUntil } from "./floor-view.js";
import { setupBreakoutCreate } from "./console-breakouts-create.js";
import { personRow, roomCard, showRoomChat, withFocusKept } from "./console-breakouts-rooms.js";

export { showRoomChat };

const MODE_LABELS = { random: "randomly", balanced: "balanced by group", reuse: "the previous round's groups" };
const CLOSE_REASONS = { ended: "time up", closed: "closed early" };

function durationText(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  if (!m) return `${s} s`;
  return s ? `${m} min ${s} s` : `${m} min`;
}

export function setupConsoleBreakouts(live) {
  const panel = $("#breakouts");
  const form = $("#bo-create");
  const error = $("#bo-error");
  let helpSeen = new Map(); // room id -> help_at already announced

  const active = (snap) => (snap.private.breakouts || []).find((r) => r.state !== "closed") || null;
  const current = () => (live.snapshot ? active(live.snapshot) : null);
  const myId = () => live.snapshot && live.snapshot.me.user_id;

  const act = (name, data, done) => send(live, name, data, { error, done });
  setupBreakoutCreate(live);

  // ---- a round being prepared or running -------------------------------------------------
  for (const button of $$("[data-mode]", panel)) {
    button.addEventListener("click", () => {
      const rnd = current();
      if (!rnd) return;
      const mode = button.dataset.mode;
      act("breakout.auto", { round_id: rnd.id, mode, include_observers: $("#bo-observers").checked },
        (ack) => `${plural(ack.assigned, "person", "people")} assigned ${MODE_LABELS[mode]}. Adjust below, then open the rooms.`);
    });
  }
  for (const button of $$("[data-extend]", panel)) {
    button.addEventListener("click", () => {
      const rnd = current();
      if (!rnd) return;
      const seconds = Number(button.dataset.extend);
      act("breakout.extend", { round_id: rnd.id, seconds },
        (ack) => `The rooms now end at ${formatTime(ack.round.ends_at)}.`);
    });
  }
  $("#bo-choosing-live").addEventListener("change", (e) => {
    const rnd = current();
    if (!rnd) return;
    const open = e.target.checked;
    act("breakout.choosing", { round_id: rnd.id, open },
      open ? "Participants may now choose their room." : "Participants can no longer choose their room.")
      .then((ack) => { if (!ack.ok) e.target.checked = !open; });
  });
  $("#bo-fill").addEventListener("click", () => {
    const rnd = current();
    if (rnd) act("breakout.fill", { round_id: rnd.id }, (ack) => (ack.placed ? `${plural(ack.placed, "person", "people")} placed.` : "Everyone is already in a room."));
  });
  $("#bo-open").addEventListener("click", () => {
    const rnd = current();
    if (rnd) act("breakout.open", { round_id: rnd.id }, (ack) => `Rooms open until ${formatTime(ack.round.ends_at)}.`);
  });
  $("#bo-discard").addEventListener("click", () => {
    const rnd = current();
    if (rnd && window.confirm("Discard these rooms? Nobody has seen them yet.")) {
      act("breakout.discard", { round_id: rnd.id }, "Rooms discarded.").then((ack) => { if (ack.ok) $("#bo-count").focus(); });
    }
  });
  $("#bo-close").addEventListener("click", () => {
    const rnd = current();
    if (rnd && window.confirm("Close every room now and bring everyone back to the main room?")) {
      act("breakout.close", { round_id: rnd.id }, "All rooms closed: everyone is back in the main room.");
    }
  });
  $("#bo-return").addEventListener("click", () => {
    const rnd = current();
    if (rnd) act("breakout.visit", { round_id: rnd.id, room_id: null }, "You are back in the main room.");
  });
  setupChatForm($("#bo-broadcast"), async (text) => {
    const rnd = current();
    if (!rnd) return { ok: false, error: { code: "not_open", message: "No rooms are running.", fields: {} } };
    const ack = await live.call("breakout.broadcast", { round_id: rnd.id, text });
    if (ack.ok) announce(`Sent to ${plural(ack.rooms, "room", "rooms")}.`);
    return ack;
  });

  function eligible(snap) {
    return snap.private.people.filter((p) => !p.removed && p.rules_version_acked !== null && !p.left_at
      && (p.role === "participant" || p.role === "observer"));
  }

  function render(snap, env) {
    const rounds = snap.private.breakouts || [];
    const rnd = active(snap);
    show(form, !rnd);
    show($("#bo-round"), Boolean(rnd));
    renderHistory(snap, rounds.filter((r) => r.state === "closed"));
    renderHelp(snap, env);
    if (!rnd) {
      $("#bo-summary").textContent = "No rooms open.";
      return;
    }
    const draft = rnd.state === "draft";
    const mine = myId();
    show($("#bo-draft"), draft);
    show($("#bo-running"), !draft);
    show($("#bo-open"), draft);
    show($("#bo-discard"), draft);
    show($("#bo-close"), !draft);
    const visiting = rnd.rooms.find((r) => r.staff.some((s) => s.user_id === mine));
    show($("#bo-return"), Boolean(visiting) && !draft);
    $("#bo-reuse").disabled = !rounds.some((r) => r.state === "closed");
    $("#bo-choosing-live").checked = rnd.choosing;
    $("#bo-fill").textContent = draft ? "Place everyone not in a room" : "Place late joiners";
    const placed = rnd.rooms.reduce((n, r) => n + r.members.length, 0);
    $("#bo-summary").textContent = draft
      ? `Preview: ${plural(rnd.rooms.length, "room", "rooms")}, ${durationText(rnd.duration_seconds)}, ${plural(placed, "person", "people")} assigned${rnd.mode ? ` (${MODE_LABELS[rnd.mode]})` : ""}`
      : `${plural(rnd.rooms.length, "room", "rooms")} running, ${plural(placed, "person", "people")} in rooms`;
    $("#bo-draft-note").textContent = `A preview: nobody sees these rooms until you open them. They will run ${durationText(rnd.duration_seconds)}`
      + (rnd.warn_seconds ? `, with a warning ${durationText(rnd.warn_seconds)} before the end.` : ", with no warning.");

    withFocusKept(panel, () => {
      $("#bo-rooms").replaceChildren(...rnd.rooms.map((room) => roomCard(act, rnd, room, mine)));
      const inRoom = new Set(rnd.rooms.flatMap((r) => r.members.map((m) => m.id)));
      const waiting = eligible(snap).filter((p) => !inRoom.has(p.id));
      $("#bo-unassigned").replaceChildren(...waiting.map((p) => personRow(act, rnd, p, null)));
      $("#bo-unassigned-h").textContent = draft ? `Not in a room (${waiting.length})` : `In the main room (${waiting.length})`;
      show($("#bo-unassigned-box"), waiting.length > 0);
    });
    tick();
  }

  function renderHelp(snap, env) {
    const rooms = needs(snap).help;
    const alert = $("#bo-help-alert");
    show($("#bo-help-box"), rooms.length > 0);
    alert.textContent = rooms.length ? `Help asked for in ${rooms.map((r) => r.name).join(", ")}.` : "";
    const now = new Map(rooms.map((r) => [r.id, r.help_at]));
    if (env) {
      for (const r of rooms) {
        if (helpSeen.get(r.id) !== r.help_at) announce(`${r.name} asks for help.`, { assertive: true });
      }
    }
    helpSeen = now;
  }

  function renderHistory(snap, closed) {
    show($("#bo-history"), closed.length > 0);
    $("#bo-history-list").replaceChildren(...closed.slice().reverse().map((r, i) => h("li", { class: "bo-past" },
      h("p", {}, `${formatTime(r.opened_at)}–${formatTime(r.closed_at)}: ${plural(r.rooms.length, "room", "rooms")}, `
        + `${CLOSE_REASONS[r.close_reason] || r.close_reason}.`),
      h("div", { class: "button-row" }, r.rooms.map((room) => h("button", { type: "button", class: "button small quiet",
        "aria-label": `${room.name} chat, round at ${formatTime(r.opened_at)}`, onclick: () => showRoomChat(room.id) },
        `${room.name} chat`))))));
  }

  function tick() {
    const rnd = current();
    if (!rnd || rnd.state !== "open") return;
    const left = secondsUntil(live, rnd.ends_at);
    $("#bo-clock").textContent = left > 0 ? formatClock(left) : "0:00";
    $(".bo-clock", panel).classList.toggle("soon", left <= Math.max(60, rnd.warn_seconds));
    let note = `until ${formatTime(rnd.ends_at)}`;
    if (rnd.warned_at) note += ` · warning sent at ${formatTime(rnd.warned_at)}`;
    else if (rnd.warn_seconds) note += ` · warning ${durationText(rnd.warn_seconds)} before the end`;
    if (left <= 0) note = "Time is up: bringing everyone back…";
    $("#bo-clock-note").textContent = note;
  }
  setInterval(tick, 1000);

  const RENDER_ON = ["breakouts", "people", "meeting"];
  live.onChange((snap, env) => {
    if (!snap.private || !snap.private.breakouts) return;
    if (env && !RENDER_ON.includes(env.type)) return;
    render(snap, env);
  });
}
