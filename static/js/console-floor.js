// The floor in the console's now column: who has it and the clock, End turn and Call next, the
// go-round's progress, and the single-key shortcuts. The hands (console-queue.js), the balance
// (console-balance.js) and the go-round form (console-goround.js) are panels of their own.
import { $, show, announce, formatClock } from "./dom.js";
import { send } from "./acting.js";
import { KIND_LABELS, clockSpeaker, secondsSince, secondsUntil } from "./floor-view.js";

// Who was passed over (their connection dropped) is said in the ack of floor.next, floor.call,
// goround.start and goround.next: shown under the speaker for a while, and announced.
let noticeTimer = null;
export function floorNotice(message) {
  const el = $("#floor-notice");
  if (!el || !message) return;
  el.textContent = message;
  el.hidden = false;
  announce(message, { assertive: true });
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { el.hidden = true; }, 20000);
}

export async function floorAct(live, name, data = {}) {
  const ack = await send(live, name, data, { error: $("#floor-error") });
  if (ack.ok) floorNotice(ack.message);
  return ack;
}

// Who the running round moved to its end or passed over because their connection dropped
// (facilitators only: private.queue.goround).
function awayText(snap) {
  const away = snap.private && snap.private.queue && snap.private.queue.goround;
  if (!away || !away.running) return "";
  const names = (list) => list.map((p) => p.name).join(", ");
  return (away.deferred.length ? ` Not connected, turn moved to the end: ${names(away.deferred)}.` : "") +
    (away.skipped.length ? ` Passed over (not connected): ${names(away.skipped)}.` : "");
}

export function setupFloor(live) {
  let lastSpeaker = null;
  const act = (name, data) => floorAct(live, name, data);

  function renderSpeaker(snap) {
    const floor = snap.floor;
    const speaker = floor.speaker;
    $("#speaker-name").textContent = speaker ? `${speaker.name} has the floor` : "Nobody has the floor.";
    show($("#speaker-clock"), Boolean(speaker));
    if (!speaker) { $("#speaker-note").textContent = ""; $("#speaker-clock-text").textContent = ""; }
    $("#end-turn").disabled = !speaker || Boolean(floor.goround);
    $("#call-next").disabled = floor.queue_length === 0 || Boolean(floor.goround);
    const round = floor.goround;
    show($("#round-box"), Boolean(round));
    if (round) {
      const next = round.order[round.index + 1];
      $("#round-text").textContent = `Go-round: ${round.index + 1} of ${round.order.length}, ${round.seconds} s each.` +
        (next ? ` Next: ${next.name}.` : " This is the last person.") +
        (round.passes.length ? ` Passed: ${round.passes.length}.` : "") + awayText(snap);
    }
    const id = speaker ? speaker.participant_id : null;
    if (id !== lastSpeaker && speaker) announce(`${speaker.name} has the floor.`);
    lastSpeaker = id;
  }

  // The digits change every second and are hidden from screen readers; #speaker-clock-text says
  // the same in words, changed once a minute; a turn with a time box is announced politely at
  // one minute left and when its time is up (floor-view.js).
  let speaking = null;
  const speak = clockSpeaker({
    onWords: (words) => { $("#speaker-clock-text").textContent = `Turn clock: ${words}`; },
    onMinute: () => announce(`One minute left for ${speaking.name}.`),
    onUp: () => announce(`Time is up for ${speaking.name}.`),
  });
  function speakClock(s, seconds, counting) {
    speaking = s;
    speak(`${s.participant_id}|${s.started_at}`, seconds, counting);
  }

  function tickSpeaker() {
    const snap = live.snapshot;
    if (!snap || !snap.floor || !snap.floor.speaker) return;
    const s = snap.floor.speaker;
    const clock = $("#speaker-clock");
    if (s.ends_at) {
      const left = secondsUntil(live, s.ends_at);
      clock.textContent = (left < 0 ? "+" : "") + formatClock(Math.abs(left));
      clock.classList.toggle("over", left < 0);
      $("#speaker-note").textContent = left < 0 ? "over the round's time box" : "left in this turn";
      speakClock(s, left, "down");
    } else {
      const since = secondsSince(live, s.started_at);
      clock.textContent = formatClock(since);
      clock.classList.remove("over");
      $("#speaker-note").textContent = s.source === "queue" ? `${KIND_LABELS[s.hand_kind] || "From the queue"}` : "Called directly";
      speakClock(s, since, "up");
    }
  }

  live.onChange((snap) => {
    if (!snap.floor) return;
    renderSpeaker(snap);
    tickSpeaker();
  });
  setInterval(tickSpeaker, 1000);

  $("#call-next").addEventListener("click", () => act("floor.next"));
  $("#end-turn").addEventListener("click", () => act("floor.end"));
  $("#round-next").addEventListener("click", () => {
    const round = live.snapshot.floor.goround;
    if (round) act("goround.next", { index: round.index });
  });
  $("#round-stop").addEventListener("click", () => act("goround.stop"));

  document.addEventListener("keydown", (e) => {
    if (!$("#shortcuts-on").checked || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    const key = e.key.toLowerCase();
    if (key === "n") { e.preventDefault(); act("floor.next"); }
    else if (key === "e") { e.preventDefault(); act("floor.end"); }
    else if (key === "r") { e.preventDefault(); $("#round-next").click(); }
    else if (key === "a") {
      // The agenda's controls may be in a tab not shown: the running item is what counts.
      const next = $("#agenda-next");
      if (next && !next.disabled && !$("#agenda-now").hidden) { e.preventDefault(); next.click(); }
    } else if (e.key === "?") {
      e.preventDefault();
      const help = $("#shortcuts");
      help.open = true;
      $("summary", help).focus();
    }
  });
}
