// Running the agenda from the console: start, next, previous, extend, stop, a go-round for a
// check-in; the running item and its clock (from its stored deadline and server time), the
// planned end, long stretches without a break and the break prompt.
import { $, show, announce, formatTime, plural } from "./dom.js";
import { send } from "./acting.js";
import { presentParticipants, serverNow } from "./floor-view.js";
import { KIND_NAMES, clockText, minutes, plannedEnd, runningItem, secondsLeft, secondsSpent } from "./agenda-view.js";

const SNOOZE_MS = 10 * 60 * 1000;

export function setupAgendaRun(live) {
  let snoozedUntil = 0;
  let overAnnounced = null;
  const snap = () => live.snapshot;
  const currentId = () => (snap().agenda ? snap().agenda.current_id : null);
  const act = (name, data, done) => send(live, name, data, { error: $("#agenda-error"), done });

  $("#agenda-next").addEventListener("click", () => act("agenda.next", { current_id: currentId() },
    (ack) => (ack.item_id ? "Next item started." : "That was the last item: the agenda is done.")));
  $("#agenda-begin").addEventListener("click", () => act("agenda.next", { current_id: null }, "The agenda has started."));
  $("#agenda-prev").addEventListener("click", () => act("agenda.previous", { current_id: currentId() }, "Back to the previous item."));
  $("#agenda-extend").addEventListener("click", () => act("agenda.extend", { seconds: 300 }, "Five more minutes for this item."));
  $("#agenda-stop").addEventListener("click", () => act("agenda.stop", {}, "The agenda clock is stopped."));
  $("#agenda-goround").addEventListener("click", () => {
    const ids = presentParticipants(snap()).map((p) => p.id);
    if (!ids.length) { announce("Nobody is here for a go-round yet.", { assertive: true }); return; }
    const seconds = Number(($("#round-seconds") || {}).value) || 60;
    act("goround.start", { participant_ids: ids, seconds, shuffle: false }, "Go-round started.");
  });
  $("#agenda-add-break").addEventListener("click", () => act("agenda.add",
    { title: "Break", kind: "break", planned_seconds: 600, after_id: currentId() }, "A 10-minute break is next on the agenda."));
  $("#agenda-break-later").addEventListener("click", () => {
    snoozedUntil = Date.now() + SNOOZE_MS;
    tick();
    $("#agenda-next").focus();
  });
  $("#agenda-settings-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    send(live, "agenda.settings", { break_after_minutes: Number($("#agenda-break-after").value) },
      { error: $("#agenda-error"), form: $("#agenda-settings-form"), done: "Break reminder saved." });
  });

  function render(s) {
    const item = runningItem(s);
    show($("#agenda-now"), Boolean(item));
    const anyLeft = s.agenda.items.some((i) => i.state === "pending");
    show($("#agenda-idle"), !item && anyLeft);
    $("#agenda-begin").textContent = s.agenda.items.some((i) => i.state !== "pending") ? "Continue with the next item" : "Start the agenda";
    if (item) {
      $("#agenda-now-kind").textContent = KIND_NAMES[item.kind] + (item.presenter ? ` · ${item.presenter.name}` : "");
      $("#agenda-now-title").textContent = item.title;
      const index = s.agenda.items.indexOf(item);
      $("#agenda-prev").disabled = index === 0;
      $("#agenda-next").textContent = index === s.agenda.items.length - 1 ? "Finish the agenda" : "Next item";
      show($("#agenda-goround"), item.kind === "checkin" && !(s.floor && s.floor.goround));
    }
    const priv = s.private.agenda;
    if (document.activeElement !== $("#agenda-break-after")) $("#agenda-break-after").value = String(priv.break_after_minutes);
    const stretches = priv.long_stretches.map((st) => {
      const from = s.agenda.items.find((i) => i.id === st.from_id);
      const to = s.agenda.items.find((i) => i.id === st.to_id);
      return `${from.title} to ${to.title} (${minutes(st.seconds)})`;
    });
    $("#agenda-stretches").textContent = stretches.length
      ? `Long stretches without a break: ${stretches.join("; ")}. Consider a screen break.` : "";
    show($("#agenda-stretches"), stretches.length > 0);
    tick();
  }

  function tick() {
    const s = snap();
    if (!s || !s.agenda || !s.private || !s.private.agenda) return;
    const item = runningItem(s);
    if (item) {
      const left = secondsLeft(live, item);
      $("#agenda-clock").textContent = clockText(left);
      $("#agenda-clock").classList.toggle("over", left < 0);
      $("#agenda-clock-note").textContent = left < 0
        ? `over the time box (${minutes(secondsSpent(live, item))} so far)` : "left of the time box";
      if (left < 0 && overAnnounced !== item.id) { overAnnounced = item.id; announce(`Time is up for ${item.title}.`); }
    }
    const total = s.agenda.items.reduce((n, i) => n + i.planned_seconds + i.extended_seconds, 0);
    $("#agenda-summary").textContent = s.agenda.items.length
      ? `${s.agenda.items.length} items · ${minutes(total)} planned · planned end ${formatTime(plannedEnd(live, s).toISOString())}` : "";
    const due = s.private.agenda.break_due_at;
    const next = item ? s.agenda.items[s.agenda.items.indexOf(item) + 1] : null;
    const breakNext = Boolean(next && next.kind === "break" && next.state === "pending");
    const prompt = Boolean(due) && !breakNext && serverNow(live) >= Date.parse(due) && Date.now() >= snoozedUntil;
    const box = $("#agenda-break-prompt");
    if (prompt && box.hidden) {
      $("#agenda-break-text").textContent =
        `It has been ${plural(s.private.agenda.break_after_minutes, "minute", "minutes")} without a break. A short screen break helps everyone.`;
    }
    show(box, prompt);
  }

  setInterval(tick, 1000);
  return render;
}
