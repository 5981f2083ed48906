// Breakout rooms, facilitator side: prepare a round (rooms, time, warning), assign people
// (random, balanced by group tag, the previous round's groups, by hand, or let them choose),
// preview and adjust, open; while rooms run: the countdown, extend or shorten, broadcast, move
// people, visit a room, help requests, place late joiners, close all.
import { $, $$, h, show, announce, formatClock, formatTime } from "./dom.js";
import { setupChatForm } from "./room-chat.js";
import { send } from "./acting.js";

const MODE_LABELS = { random: "randomly", balanced: "balanced by group", reuse: "the previous round's groups" };
const CLOSE_REASONS = { ended: "time up", closed: "closed early" };

function secondsLeft(live, iso) {
  return (Date.parse(iso) - (Date.now() + live.clockOffsetMs)) / 1000;
}

function durationText(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  if (!m) return `${s} s`;
  return s ? `${m} min ${s} s` : `${m} min`;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// Ask the chat panel to show one room's chat (console-chat.js listens).
export function showRoomChat(roomId) {
  document.dispatchEvent(new CustomEvent("facilitator:room-chat", { detail: { roomId } }));
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

  // ---- creating a round -------------------------------------------------------------------
  for (const radio of $$("input[name=bo-naming]", form)) {
    radio.addEventListener("change", () => {
      const named = $("input[name=bo-naming]:checked", form).value === "names";
      show($("#bo-count-box"), !named);
      show($("#bo-names-box"), named);
    });
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const err = $("#bo-create-error");
    const named = $("input[name=bo-naming]:checked", form).value === "names";
    const minutes = Number($("#bo-minutes").value || 0);
    const seconds = Number($("#bo-seconds").value || 0);
    const data = {
      duration_seconds: Math.round(minutes * 60 + seconds),
      warn_seconds: Math.round(Number($("#bo-warn").value || 0)),
      choosing: $("#bo-choosing").checked,
    };
    if (named) data.names = $("#bo-names").value.split("\n").map((n) => n.trim()).filter(Boolean);
    else data.rooms = Math.round(Number($("#bo-count").value));
    const ack = await send(live, "breakout.create", data, { error: err, form });
    if (!ack.ok) return;
    announce(`${plural(ack.round.rooms.length, "room", "rooms")} prepared. Now assign people, then open the rooms.`);
    requestAnimationFrame(() => { const b = $("#bo-draft [data-mode=random]"); if (b) b.focus(); });
  });

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

  // Keep the keyboard where it was across a re-render: elements carry a stable data-fkey.
  // A room picked in a select but not yet applied with its button is kept too.
  function withFocusKept(fn) {
    const activeEl = document.activeElement;
    const key = activeEl && panel.contains(activeEl) ? activeEl.dataset.fkey : null;
    const pending = new Map($$("select.bo-move", panel).filter((s) => s.dataset.initial !== s.value)
      .map((s) => [s.id, s.value]));
    fn();
    for (const [id, value] of pending) {
      const select = document.getElementById(id);
      if (select && Array.from(select.options).some((o) => o.value === value) && select.value !== value) {
        select.value = value;
        select.dispatchEvent(new Event("change"));
      }
    }
    if (key) {
      const again = panel.querySelector(`[data-fkey="${CSS.escape(key)}"]`);
      if (again && again !== document.activeElement) again.focus();
    }
  }

  function personRow(rnd, person, roomId) {
    const options = [h("option", { value: "" }, roomId === null ? "Not in a room" : "Back to the main room")]
      .concat(rnd.rooms.map((r) => h("option", { value: r.id }, r.name)));
    const selectId = `bo-move-${person.id}`;
    const select = h("select", { id: selectId, class: "bo-move", dataset: { fkey: `sel-${person.id}` } }, options);
    select.value = roomId === null ? "" : String(roomId);
    select.dataset.initial = select.value;
    const button = h("button", { type: "button", class: "button small", disabled: true,
      dataset: { fkey: `mv-${person.id}` }, "aria-label": `Move ${person.name}` }, "Move");
    select.addEventListener("change", () => {
      button.disabled = select.value === (roomId === null ? "" : String(roomId));
    });
    button.addEventListener("click", async () => {
      const target = select.value ? Number(select.value) : null;
      const where = target === null ? "the main room" : rnd.rooms.find((r) => r.id === target).name;
      const ack = await act("breakout.assign", { round_id: rnd.id, participant_id: person.id, room_id: target },
        `${person.name} is now in ${where}.`);
      if (ack.ok) requestAnimationFrame(() => { const s = $(`#${selectId}`); if (s) s.focus(); });
    });
    return h("li", { class: "bo-member" },
      h("span", { class: "bo-member-name" },
        h("span", { class: "person-name" }, person.name),
        person.role === "observer" ? h("span", { class: "badge observer" }, "Observer") : null,
        person.group_tag ? h("span", { class: "tag" }, person.group_tag) : null),
      h("span", { class: "bo-move-row" },
        h("label", { for: selectId, class: "visually-hidden" }, `Room for ${person.name}`),
        select, button));
  }

  function roomCard(rnd, room, mine) {
    const running = rnd.state === "open";
    const headId = `bo-room-${room.id}-h`;
    const help = running && room.help_at;
    const visitingHere = room.staff.some((s) => s.user_id === mine);
    return h("article", { class: `bo-room${help ? " help" : ""}${visitingHere ? " here" : ""}`, "aria-labelledby": headId,
      dataset: { roomId: room.id } },
      h("div", { class: "bo-room-head" },
        h("h3", { id: headId }, h("span", { class: "bo-room-name" }, room.name), h("span", { class: "count" }, ` (${room.members.length})`)),
        help ? h("span", { class: "badge help-badge" }, `Asks for help since ${formatTime(room.help_at)}`) : null,
        visitingHere ? h("span", { class: "badge here-badge" }, "You are here") : null),
      room.members.length
        ? h("ul", { class: "bo-members", "aria-label": `People in ${room.name}` }, room.members.map((m) => personRow(rnd, m, room.id)))
        : h("p", { class: "empty" }, "Nobody yet."),
      room.staff.length ? h("p", { class: "hint" }, "Visiting: ", room.staff.map((s) => s.name).join(", ")) : null,
      running ? h("div", { class: "button-row" },
        help ? h("button", { type: "button", class: "button small primary", dataset: { fkey: `help-${room.id}` },
          "aria-label": `Clear help request: ${room.name}`,
          onclick: () => act("breakout.help_clear", { room_id: room.id }, `${room.name}'s help request cleared.`) }, "Clear help request") : null,
        visitingHere ? null : h("button", { type: "button", class: "button small", dataset: { fkey: `visit-${room.id}` },
          "aria-label": `Visit ${room.name}`,
          onclick: () => act("breakout.visit", { round_id: rnd.id, room_id: room.id }, `You are visiting ${room.name}.`)
            .then((ack) => { if (ack.ok) showRoomChat(room.id); }) }, "Visit"),
        h("button", { type: "button", class: "button small quiet", dataset: { fkey: `chat-${room.id}` },
          "aria-label": `Read chat: ${room.name}`, onclick: () => showRoomChat(room.id) }, "Read chat")) : null);
  }

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
    renderHelp(snap, rnd, env);
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

    withFocusKept(() => {
      $("#bo-rooms").replaceChildren(...rnd.rooms.map((room) => roomCard(rnd, room, mine)));
      const inRoom = new Set(rnd.rooms.flatMap((r) => r.members.map((m) => m.id)));
      const waiting = eligible(snap).filter((p) => !inRoom.has(p.id));
      $("#bo-unassigned").replaceChildren(...waiting.map((p) => personRow(rnd, p, null)));
      $("#bo-unassigned-h").textContent = draft ? `Not in a room (${waiting.length})` : `In the main room (${waiting.length})`;
      show($("#bo-unassigned-box"), waiting.length > 0);
    });
    tick();
  }

  function renderHelp(snap, rnd, env) {
    const rooms = rnd && rnd.state === "open" ? rnd.rooms.filter((r) => r.help_at) : [];
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
    const left = secondsLeft(live, rnd.ends_at);
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
