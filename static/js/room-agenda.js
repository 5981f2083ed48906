// The agenda, participant side: the running item (highlighted) with its clock from the stored
// deadline, a calm "running a little over" instead of a number, the planned end, the pinned
// "what I heard" summary, and the break screen while a break runs (it goes by itself at the end).
import { $, h, show, announce, formatTime } from "./dom.js";
import { KIND_NAMES, clockText, minutes, plannedEnd, presenterText, runningItem, secondsLeft } from "./agenda-view.js";

export function setupRoomAgenda(live) {
  const view = $("#view-room");
  let onBreak = false;
  let lastItem = null;
  let lastHeard = null;

  function breakItem(snap) {
    const item = runningItem(snap);
    return item && item.kind === "break" && secondsLeft(live, item) > 0 ? item : null;
  }

  function setBreak(item) {
    const now = Boolean(item);
    if (now === onBreak) return;
    onBreak = now;
    view.classList.toggle("on-break", now);
    show($("#break-screen"), now);
    if (now) {
      $("#break-until").textContent = `Back at ${formatTime(item.ends_at)}`;
      announce(`Break until ${formatTime(item.ends_at)}. Stand up, stretch and look away from the screen.`);
      $("#break-h").focus();
    } else {
      announce("The break is over. Welcome back.");
      const title = $("#room-title");
      if (title) title.focus();
    }
  }

  function render(snap) {
    if (!snap || !snap.agenda) return;
    const { items } = snap.agenda;
    const item = runningItem(snap);
    show($("#agenda"), items.length > 0);
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
