// The console's "at a glance" row: who is here, the floor, hands, who has not spoken, what is
// running, and what needs the facilitator now. Read-only: each tile links to the panel that acts.
import { $, formatClock } from "./dom.js";
import { KIND_LABELS, notYetSpoken, secondsSince, secondsUntil } from "./floor-view.js";

const SIGNAL_WORDS = { need_break: "need a break", slow_down: "ask to slow down", cant_hear: "can't hear" };

function tile(id, value, note, tone = "calm") {
  const el = $(`#${id}`);
  $("[data-v]", el).textContent = value;
  $("[data-n]", el).textContent = note;
  el.dataset.tone = tone;
}

function names(list, max = 3) {
  const shown = list.slice(0, max).map((p) => p.name);
  return list.length > max ? `${shown.join(", ")} +${list.length - max}` : shown.join(", ");
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function here(snap) {
  const people = snap.private.people.filter((p) => p.role !== "observer");
  const count = (state) => people.filter((p) => p.presence === state).length;
  const reconnecting = count("reconnecting");
  const left = count("left");
  const note = [reconnecting ? `${reconnecting} reconnecting` : "", left ? `${left} left` : ""].filter(Boolean).join(" · ");
  tile("g-here", `${count("connected")} connected`, note || (people.length ? "everyone connected" : "nobody yet"),
    reconnecting ? "warn" : "calm");
}

function floor(live, snap) {
  const s = snap.floor && snap.floor.speaker;
  if (!s) {
    tile("g-floor", "Open", snap.floor && snap.floor.goround ? "go-round running" : "nobody has the floor");
    return;
  }
  if (s.ends_at) {
    const left = secondsUntil(live, s.ends_at);
    tile("g-floor", s.name, left < 0 ? `over by ${formatClock(-left)}` : `${formatClock(left)} left`, left < 0 ? "warn" : "calm");
  } else {
    tile("g-floor", s.name, `speaking ${formatClock(secondsSince(live, s.started_at))}`);
  }
}

function hands(snap) {
  const list = snap.private.queue.hands;
  if (!list.length) return tile("g-hands", "0", "no hands raised");
  const next = list[0];
  tile("g-hands", String(list.length), `next: ${next.name} (${KIND_LABELS[next.kind].toLowerCase()})`);
}

function notYet(live, snap) {
  const list = notYetSpoken(live, snap);
  tile("g-notyet", String(list.length), list.length ? names(list) : "everyone present has spoken");
}

function running(live, snap) {
  const items = [];
  const agenda = snap.agenda && (snap.agenda.items || []).find((i) => i.id === snap.agenda.current_id);
  if (agenda) {
    const left = agenda.ends_at ? secondsUntil(live, agenda.ends_at) : null;
    items.push([`Agenda: ${agenda.title}`, left === null ? "" : left < 0 ? `over by ${formatClock(-left)}` : `${formatClock(left)} left`,
      left !== null && left < 0 ? "warn" : "calm", "#agenda-h"]);
  }
  const round = snap.breakouts && snap.breakouts.round;
  if (round && round.ends_at) {
    const left = Math.max(0, secondsUntil(live, round.ends_at));
    items.push([`Breakouts: ${plural(round.rooms.length, "room", "rooms")}`, `${formatClock(left)} left`, "calm", "#breakouts-h"]);
  }
  for (const poll of (snap.private.polls || []).filter((p) => p.state === "open")) {
    const voters = poll.results ? poll.results.voters : 0;
    items.push([`Poll: ${poll.question}`, `${plural(voters, "answer", "answers")} so far`, "calm", "#polls-admin-h"]);
  }
  const el = $("#g-running");
  if (!items.length) {
    el.setAttribute("href", "#polls-admin-h");
    return tile("g-running", "Nothing", "no poll, breakout or agenda item running");
  }
  const [value, note, tone, href] = items[0];
  el.setAttribute("href", href);
  tile("g-running", value, items.length > 1 ? `${note} · and ${items.length - 1} more` : note, tone);
}

function attention(live, snap) {
  const p = snap.private;
  const support = (p.support || []).filter((r) => !r.acknowledged_at && !r.withdrawn_at).length;
  const drops = (p.drop_alerts || []).length;
  const counts = (p.signals && p.signals.counts) || {};
  const parts = [];
  if (drops) parts.push(plural(drops, "dropped connection", "dropped connections"));
  if (support) parts.push(plural(support, "support request", "support requests"));
  for (const [kind, words] of Object.entries(SIGNAL_WORDS)) if (counts[kind]) parts.push(`${counts[kind]} ${words}`);
  const due = snap.private.agenda && snap.private.agenda.break_due_at;
  if (due && secondsUntil(live, due) <= 0) parts.push("time for a screen break");
  const urgent = drops + support;
  const el = $("#g-attention");
  el.setAttribute("href", drops ? "#drops-h" : "#attention-h");
  if (!parts.length) return tile("g-attention", "All calm", "no signals or alerts");
  tile("g-attention", urgent ? plural(urgent, "person needs you", "people need you") : plural(parts.length, "signal", "signals"),
    parts.join(" · "), urgent ? "alert" : "warn");
}

export function setupConsoleGlance(live) {
  if (!$(".glance")) return;
  const render = (snap) => {
    if (!snap || !snap.private) return;
    here(snap);
    floor(live, snap);
    hands(snap);
    notYet(live, snap);
    running(live, snap);
    attention(live, snap);
  };
  live.onChange((snap) => render(snap));
  setInterval(() => render(live.snapshot), 1000);
}
