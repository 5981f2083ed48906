// The participant's room: ground rules gate, the actions bar (hand, reactions, support), the now
// card, the tabs, own mic/camera status, who is here, leave.
import { $, $$, h, show, announce, formatClock, plural, STATE_LABELS } from "./dom.js";
import { Live } from "./live.js";
import { send } from "./acting.js";
import { wantNow } from "./room-now.js";
import { setupTabs, setBadge } from "./room-tabs.js";
import { loadIdentity, forgetIdentity } from "./identity.js";
import { renderRules } from "./rules-view.js";
import { KIND_LABELS, ordinal, secondsSince, secondsUntil, clockSpeaker } from "./floor-view.js";
import { setupRoomPolls } from "./room-polls.js";
import { setupRoomSignals } from "./room-signals.js";
import { setupRoomBreakout } from "./room-breakout.js";
import { setupRoomChat } from "./room-chat.js";
import { setupRoomAgenda } from "./room-agenda.js";

const root = $("#room");
const code = root.dataset.code;
const identity = loadIdentity(code);
const views = ["connecting", "gate", "room", "ended", "removed", "invalid"];
let current = "connecting";
let lastState = null;

// The rules as this browser last saw them accepted, to mark what changed when they change (kept
// across reloads: someone who reloads while a change waits still sees what is new).
const RULES_KEY = `facilitator:rules:${code}`;
function acceptedRules() {
  try { return JSON.parse(localStorage.getItem(RULES_KEY) || "null"); } catch { return null; }
}
function keepAcceptedRules(rules) {
  try { localStorage.setItem(RULES_KEY, JSON.stringify({ version: rules.version, items: rules.items })); } catch { /* private mode */ }
}

function showView(name) {
  if (current === name) return;
  current = name;
  for (const v of views) show($(`#view-${v}`), v === name);
  const heading = $(`#view-${name} h1`);
  if (heading) heading.focus();
}

function invalid(reason) {
  forgetIdentity(code);
  $("#invalid-reason").textContent = reason;
  showView("invalid");
}

if (!identity) {
  window.location.replace(root.dataset.joinUrl);
} else {
  const live = new Live({ token: identity.token });
  const banner = $("#conn-banner");

  // A long outage gets advice: what to check, and that the facilitator knows (and may call, as agreed).
  const STILL_DOWN_MS = 20000;
  let stillDown = null;
  live.onStatus((status, detail) => {
    if (status !== "reconnecting") { clearTimeout(stillDown); stillDown = null; }
    if (status === "reconnecting") {
      if (stillDown === null) {
        banner.textContent = "Connection lost. Reconnecting… You do not need to do anything; you will keep your place.";
        stillDown = setTimeout(() => {
          banner.textContent = "Still reconnecting. Check your Wi-Fi or mobile data, or reload this page: you keep your place. " +
            "The facilitators can see that your connection dropped.";
          announce("Still reconnecting. Check your Wi-Fi or mobile data.");
        }, STILL_DOWN_MS);
      }
      banner.hidden = false;
    } else if (status === "live") {
      if (!banner.hidden) announce("Reconnected.");
      banner.hidden = true;
    } else if (status === "refused") {
      banner.hidden = true;
      if (detail && detail.code === "removed") showView("removed");
      else invalid(detail && detail.message ? detail.message : "Please join again.");
    } else if (status === "closed" && detail && detail.reason === "server") {
      banner.hidden = true;
      showView("removed");
    }
  });

  live.onChange((snap, env) => render(snap, env));
  // Feature panels inside the room; each draws itself from the same live snapshot.
  for (const setup of [setupRoomPolls, setupRoomSignals, setupRoomBreakout, setupRoomChat, setupRoomAgenda]) setup(live);

  setupTabs();
  // The fixed actions bar changes height (a hand up, an error line): the page keeps room under it,
  // and focus is scrolled clear of it (and of the sticky tab list), room.css's scroll-padding.
  const bar = $("#action-bar");
  const tabList = $("#room-tabs");
  const measure = new ResizeObserver(() => {
    document.documentElement.style.setProperty("--bar-h", `${bar.offsetHeight}px`);
    document.documentElement.style.setProperty("--tabs-h", `${tabList.offsetHeight}px`);
  });
  measure.observe(bar);
  measure.observe(tabList);
  let changeShownFor = null;  // the rules version whose change is on screen
  let keptVersion = null;     // the rules version last kept as accepted

  function render(snap, env) {
    const { meeting, rules, me } = snap;
    if (me.removed) { showView("removed"); return; }
    if (meeting.state === "ended") { showView("ended"); return; }
    // Only someone who has never accepted is held at the gate (the server, audience.standing, lets
    // in anyone who accepted any version). A later change is shown over the room: the speaker
    // keeps the floor, and everyone keeps the room while they read.
    if (snap.gate || me.rules_version_acked === null) {
      renderRules($("#gate-rules"), rules);
      showView("gate");
      return;
    }
    renderRules($("#room-rules"), rules);
    const stale = me.rules_version_acked < rules.version;
    if (!stale && keptVersion !== rules.version) { keepAcceptedRules(rules); keptVersion = rules.version; }
    renderRulesChange(snap, stale);
    renderRoom(snap, env);
    showView("room");
  }

  function renderRulesChange(snap, stale) {
    const { rules } = snap;
    const card = $("#rules-change");
    setBadge("rules", stale ? "!" : "", "changed, please accept");
    $("#rules-room-note").textContent = stale
      ? "These rules changed. Please accept them (at the top of the page)."
      : "The rules everyone in this session accepted.";
    if (!stale) { changeShownFor = null; wantNow(card, false); return; }
    if (changeShownFor !== rules.version) {
      const before = acceptedRules();
      const accepted = before && before.version < rules.version ? before.items : null;
      renderRules($("#change-rules"), rules, accepted, { only: "changed" });
      renderRules($("#change-all-rules"), rules, accepted);
      // Without the earlier version (another browser), the whole list is shown, nothing marked.
      $("#gate-changed").textContent = accepted
        ? "Please read what changed (marked below) and accept. You stay in the session while you read."
        : "Please read them again and accept. You stay in the session while you read.";
      show($("#change-all"), Boolean(accepted));
      if (changeShownFor === null) {
        announce("The ground rules have changed. Please read what changed, at the top of the page, and accept. You stay in the session.", { assertive: true });
      }
      changeShownFor = rules.version;
    }
    wantNow(card, true);
  }

  function renderRoom(snap, env) {
    const { meeting, me, roster } = snap;
    $("#view-room").classList.toggle("observing", me.role === "observer");
    $("#room-title").textContent = meeting.title;
    const badge = $("#room-state");
    badge.textContent = STATE_LABELS[meeting.state] || meeting.state;
    badge.className = `badge state-${meeting.state}`;
    $("#room-you").textContent = `You are ${me.name}${me.role === "observer" ? " (observing)" : ""}`;
    const notes = {
      open: "The session has not started yet. This is the lobby: feel free to say hello.",
      live: "",
      paused: "Break time. Stand up, stretch, look away from the screen. The session will resume soon.",
      draft: "",
    };
    $("#state-note").textContent = notes[meeting.state] || "";
    if (lastState && lastState !== meeting.state) announce(`The session is now: ${STATE_LABELS[meeting.state]}.`);
    lastState = meeting.state;

    renderFloor(snap, env);
    const observer = me.role === "observer";
    show($("#my-status"), !observer);
    setToggle($("#mic-toggle"), me.mic === "on", me.mic === "on" ? "On" : "Muted");
    setToggle($("#cam-toggle"), me.camera === "on", me.camera === "on" ? "On" : "Off");

    const present = (roster || []).filter((p) => p.present);
    const items = present.map((p) => h("li", { class: "person" },
      h("span", { class: "avatar", "aria-hidden": "true" }, initials(p.name)),
      h("span", { class: "person-name" }, p.name, p.id === me.id ? " (you)" : ""),
      p.role === "observer" ? h("span", { class: "badge observer" }, "Observer") : null,
      p.group_tag ? h("span", { class: "tag" }, p.group_tag) : null));
    const facs = meeting.facilitators.map((name) => h("li", { class: "person" },
      h("span", { class: "avatar fac", "aria-hidden": "true" }, initials(name)),
      h("span", { class: "person-name" }, name), h("span", { class: "badge" }, "Facilitator")));
    $("#roster").replaceChildren(...facs, ...items);
    $("#people-h").textContent = `Who is here (${present.length + facs.length})`;
  }

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
  document.addEventListener("keydown", (e) => {
    if (!(e.altKey && e.shiftKey && e.code === "KeyH") || current !== "room") return;
    e.preventDefault();
    const snap = live.snapshot;
    if (snap && snap.hand && snap.hand.raised) floorCall("hand.lower");
    else floorCall("hand.raise", { kind: "new" });
  });

  function setToggle(button, pressed, stateText) {
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    $(".toggle-state", button).textContent = stateText;
  }

  async function acceptRules(button, error, done) {
    const snap = live.snapshot;
    if (!snap) return;
    button.disabled = true;
    const ack = await send(live, "rules.ack", { version: snap.rules.version }, { error, done });
    button.disabled = false;
    if (!ack.ok) {
      if (ack.error && ack.error.code === "rules_changed") live.sync();
      return;
    }
    keepAcceptedRules(snap.rules);
    await live.sync(); // enter the room (or refresh it): the server moves this connection in
  }
  $("#accept").addEventListener("click", () => acceptRules($("#accept"), $("#gate-error"), "Thank you. You are in the session."));
  $("#accept-change").addEventListener("click", async () => {
    await acceptRules($("#accept-change"), $("#rules-change-error"), "Thank you. You accepted the changed rules.");
    if ($("#rules-change").contains(document.activeElement) || document.activeElement === document.body) $("#room-title").focus();
  });

  async function toggle(field, onValue, offValue) {
    const snap = live.snapshot;
    const next = snap.me[field] === onValue ? offValue : onValue;
    await send(live, "me.status", { [field]: next }, {
      done: `${field === "mic" ? "Microphone" : "Camera"} status: ${next === onValue ? "on" : (field === "mic" ? "muted" : "off")}.` });
  }
  $("#mic-toggle").addEventListener("click", () => toggle("mic", "on", "muted"));
  $("#cam-toggle").addEventListener("click", () => toggle("camera", "on", "off"));

  for (const button of $$("[data-leave]")) {
    button.addEventListener("click", async () => {
      if (!window.confirm("Leave the session? You can come back with the same link.")) return;
      await send(live, "me.leave", {}); // leaving goes ahead even if the server could not be told
      live.close();
      window.location.assign(root.dataset.afterUrl);
    });
  }
}

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join("") || "?";
}
