// The agenda, participant side: the running item (highlighted) with its clock from the stored
// deadline, a calm "running a little over" instead of a number, the planned end, the pinned
// "what I heard" summary (all in the Agenda tab, whose badge says when they change), and the break
// screen while a break runs: a now card (it goes by itself at the end), with the actions bar and
// the tabs (support, the private message to the facilitators) still there.
import { $, h, show, announce, formatTime } from "./dom.js";
import { wantNow } from "./room-now.js";
import { onTabSelect, selectedTab, setBadge } from "./room-tabs.js";
import { KIND_NAMES, clockText, minutes, plannedEnd, presenterText, runningItem, secondsLeft } from "./agenda-view.js";

export function setupRoomAgenda(live) {
  const view = $("#view-room");
  let onBreak = false;
  let lastItem = null;
  let lastHeard = null;
  let seenKey = null;    // what the agenda tab showed when last looked at (or at the first render)

  onTabSelect((name) => { if (name === "agenda") { seenKey = agendaKey(live.snapshot); setBadge("agenda", ""); } });

  function agendaKey(snap) {
    if (!snap || !snap.agenda) return null;
    const item = runningItem(snap);
    const summary = snap.heard && snap.heard.summary;
    return JSON.stringify([snap.agenda.items.map((i) => [i.id, i.title, i.state]), item ? item.id : null, summary ? summary.id : null]);
  }

  function breakItem(snap) {
    const item = runningItem(snap);
    return item && item.kind === "break" && secondsLeft(live, item) > 0 ? item : null;
  }

  function setBreak(item) {
    const now = Boolean(item);
    if (now === onBreak) return;
    onBreak = now;
    // The break steps the floor aside (room.css "break-on"); the actions bar, with "I need
    // support", and the private message to the facilitators stay where they are.
    view.classList.toggle("break-on", now);
    wantNow($("#break-screen"), now);
    if (now) {
      $("#break-until").textContent = `Back at ${formatTime(item.ends_at)}`;
      announce(`Break until ${formatTime(item.ends_at)}. Stand up, stretch and look away from the screen.`);
    } else {
      announce("The break is over. Welcome back.");
    }
  }

  function render(snap) {
    if (!snap || !snap.agenda) return;
    const { items } = snap.agenda;
    const item = runningItem(snap);
    show($("#agenda-room-empty"), items.length === 0);
    const key = agendaKey(snap);
    if (seenKey === null || selectedTab() === "agenda") seenKey = key;
    if (key !== seenKey) setBadge("agenda", "•", "changed");
    $("#agenda-room-list").replaceChildren(...items.map((i) => h("li", {
      class: `agenda-item state-${i.state}${i.kind === "break" ? " is-break" : ""}`,
      "aria-current": i.state === "running" ? "step" : null },
    h("span", { class: "agenda-title" }, i.title),
    h("span", { class: "hint" }, ` ${KIND_NAMES[i.kind]} · ${minutes(i.planned_seconds + i.extended_seconds)}`),
    presenterText(i) ? h("span", { class: "hint" }, ` · ${presenterText(i)}`) : null,
    i.state === "running" ? h("span", { class: "chip ok" }, "Now") : null,
    i.state === "done" ? h("span", { class: "visually-hidden" }, " (done)") : null)));
    show($("#agenda-room-now"), Boolean(item));
    if (item) $("#agenda-room-title").textContent = item.title + (item.presenter ? ` (${item.presenter.name})` : "");
    const id = item ? item.id : null;
    if (id !== lastItem && item && item.kind !== "break") announce(`Now on the agenda: ${item.title}.`);
    lastItem = id;
    const summary = snap.heard && snap.heard.summary;
    show($("#heard"), Boolean(summary));
    $("#heard-room-text").textContent = summary ? summary.text : "";
    const heardId = summary ? summary.id : null;
    if (heardId !== lastHeard && summary) announce(`The facilitator says what they heard: ${summary.text}`);
    lastHeard = heardId;
    tick();
  }

  function tick() {
    const snap = live.snapshot;
    if (!snap || !snap.agenda) return;
    const item = runningItem(snap);
    setBreak(breakItem(snap));
    if (item) {
      const left = secondsLeft(live, item);
      $("#agenda-room-clock").textContent = left >= 0 ? clockText(left) : "";
      $("#agenda-room-note").textContent = left >= 0 ? "left for this item" : "Running a little over time";
      $("#agenda-room-now").classList.toggle("over", left < 0);
      if (onBreak) $("#break-clock").textContent = clockText(Math.max(0, left));
    }
    $("#agenda-room-end").textContent = snap.agenda.items.some((i) => i.state !== "done")
      ? `Planned end ${formatTime(plannedEnd(live, snap).toISOString())}` : "";
  }

  live.onChange((snap) => render(snap));
  setInterval(tick, 1000);
}
