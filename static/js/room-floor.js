// The floor, participant side: the floor strip (who has the floor, hands raised, the go-round
// line), your turn (a now card with its clock, and Pass in a go-round), and the hand buttons in the
// actions bar (raise with a kind, Reply's reason when nobody has the floor, lower, Alt+Shift+H).
import { $, $$, show, announce, formatClock, plural } from "./dom.js";
import { send } from "./acting.js";
import { wantNow } from "./room-now.js";
import { roomView } from "./room-rules.js";
import { KIND_LABELS, ordinal, secondsSince, secondsUntil, clockSpeaker } from "./floor-view.js";

export function setupRoomFloor(live) {
  // The turn clock ticks every second, so it is hidden from screen readers; what they get instead
  // is coarse text (whole minutes) and two polite announcements: one minute left, and time up
  // (the words and cues are floor-view.js's, in the speaker's own voice).
  const spokenClock = clockSpeaker({
    you: true,
    onWords: (words) => { $("#my-clock-spoken").textContent = words; },
    onMinute: () => announce("One minute left in your turn."),
    onUp: () => announce("Your time is up. Take the time you need to finish."),
  });

  let lastSpeakerId = null;
  let lastPosition = null;

  live.onChange((snap, env) => {
    if (roomView(snap) === "room") renderFloor(snap, env);
  });

  function renderFloor(snap, env) {
    const { floor, me, hand } = snap;
    if (!floor) return;
    const speaker = floor.speaker;
    const mine = speaker && speaker.participant_id === me.id;
    wantNow($("#you-have-floor"), Boolean(mine));
    const round = floor.goround;
    show($("#pass-button"), Boolean(mine && round));
    $("#speaker-line").textContent = speaker
      ? (mine ? "" : `${speaker.name} has the floor.`)
      : (snap.meeting.state === "live" ? "Nobody has the floor right now." : "");
    const waiting = floor.queue_length;
    const order = floor.mode === "quiet" ? " New points: quieter voices first." : "";
    $("#queue-line").textContent = (waiting ? `${plural(waiting, "hand", "hands")} raised.` : "No hands raised.") + order;
    $("#floor").classList.toggle("mine", Boolean(mine));
    if (round) {
      const next = round.order[round.index + 1];
      const myIndex = round.order.findIndex((m, i) => i > round.index && m.participant_id === me.id);  // a moved turn: the one to come
      let text = `Go-round: ${round.index + 1} of ${round.order.length}.`;
      if (next) text += ` Next: ${next.participant_id === me.id ? "you" : next.name}.`;
      if (myIndex > round.index + 1) text += ` Your turn is ${ordinal(myIndex + 1)}.`;
      $("#round-line").textContent = text;
    }
    show($("#round-line"), Boolean(round));

    const observer = me.role === "observer";
    show($("#raise-box"), !observer && !mine);
    const raised = hand && hand.raised;
    show($("#raise-kinds"), !raised);
    show($("#my-hand"), Boolean(raised));
    // A reply needs someone to reply to: still focusable (Tab does not skip it), with the reason shown and read.
    const reply = $("[data-kind=reply]");
    if (speaker) reply.removeAttribute("aria-disabled");
    else reply.setAttribute("aria-disabled", "true");
    show($("#reply-reason"), !speaker);
    if (raised) {
      const kind = (KIND_LABELS[hand.kind] || "").toLowerCase();
      // No place in the queue (a position not known yet): say the hand is up, without an ordinal.
      $("#my-hand-text").textContent = hand.position
        ? `Your hand is up: ${ordinal(hand.position)} in the queue${kind ? ` (${kind})` : ""}.`
        : `Your hand is up${kind ? ` (${kind})` : ""}.`;
    }

    // Announce what changed for this person, briefly.
    const speakerId = speaker ? speaker.participant_id : null;
    // A refusal (or the reason Reply is unavailable) is about the floor as it was: it goes when the floor changes.
    if (speakerId !== lastSpeakerId || (raised ? hand.position : null) !== lastPosition) $("#floor-error").hidden = true;
    if (speakerId !== lastSpeakerId && env) {
      if (mine) announce(round ? "It is your turn in the round. You have the floor." : "You have the floor.", { assertive: true });
      else if (speaker) announce(`${speaker.name} has the floor.`);
    }
    lastSpeakerId = speakerId;
    const position = raised ? hand.position : null;
    if (position !== lastPosition && env && env.type === "hand") {
      if (position) announce(`You are ${ordinal(position)} in the queue.`);
      else if (raised) announce("Your hand is up.");
      else if (!mine) announce("Your hand is lowered.");
    }
    lastPosition = position;
    tick();
  }

  function tick() {
    const snap = live.snapshot;
    if (!snap || !snap.floor || !snap.floor.speaker) return;
    const speaker = snap.floor.speaker;
    if (speaker.participant_id !== snap.me.id) return;
    if (speaker.ends_at) {
      const left = secondsUntil(live, speaker.ends_at);
      $("#my-clock").textContent = formatClock(Math.abs(left));
      $("#my-clock-note").textContent = left >= 0 ? "left in your turn" : "over your time; take the time you need to finish";
      $("#my-clock").classList.toggle("over", left < 0);
      spokenClock(speaker.started_at, left, "down");
    } else {
      const spoken = secondsSince(live, speaker.started_at);
      $("#my-clock").textContent = formatClock(spoken);
      $("#my-clock-note").textContent = "speaking time";
      spokenClock(speaker.started_at, spoken, "up");
    }
  }
  setInterval(tick, 1000);

  function floorCall(name, data = {}) {
    return send(live, name, data, { error: $("#floor-error") });
  }

  for (const button of $$("[data-kind]")) {
    button.addEventListener("click", async () => {
      if (button.getAttribute("aria-disabled") === "true") {
        const err = $("#floor-error");
        err.textContent = "Nobody has the floor yet, so there is no one to reply to. Raise a new point instead.";
        err.hidden = false;
        return;
      }
      const ack = await floorCall("hand.raise", { kind: button.dataset.kind });
      if (ack.ok) $("#lower-button").focus();
    });
  }
  $("#lower-button").addEventListener("click", async () => {
    const ack = await floorCall("hand.lower");
    if (ack.ok) $("[data-kind=new]").focus();
  });
  $("#pass-button").addEventListener("click", () => floorCall("goround.pass"));
  // Alt+Shift+H raises a new point, or lowers the hand that is up (only with the room on screen).
  document.addEventListener("keydown", (e) => {
    if (!(e.altKey && e.shiftKey && e.code === "KeyH") || $("#view-room").hidden) return;
    e.preventDefault();
    const snap = live.snapshot;
    if (snap && snap.hand && snap.hand.raised) floorCall("hand.lower");
    else floorCall("hand.raise", { kind: "new" });
  });
}
