// "Running now" in the console's now column: the agenda item with its clock, the breakout rooms
// with theirs, each open poll with its answers so far. Each is a link that opens the tab acting
// on it; its words are written in full (the tiles wrap, nothing is cut to "…").
import { $, h, formatClock, plural } from "./dom.js";
import { secondsUntil } from "./floor-view.js";

// [key, tab, label, value, note, tone]
export function runningFacts(live, snap) {
  const facts = [];
  const agenda = snap.agenda && (snap.agenda.items || []).find((i) => i.id === snap.agenda.current_id);
  if (agenda) {
    const left = agenda.ends_at ? secondsUntil(live, agenda.ends_at) : null;
    facts.push(["agenda", "agenda", "Agenda", agenda.title,
      left === null ? "clock stopped" : left < 0 ? `over by ${formatClock(-left)}` : `${formatClock(left)} left`,
      left !== null && left < 0 ? "warn" : "calm"]);
  }
  const round = (snap.private.breakouts || []).find((r) => r.state === "open");
  if (round && round.ends_at) {
    const left = Math.max(0, secondsUntil(live, round.ends_at));
    facts.push(["breakouts", "breakouts", "Breakouts", plural(round.rooms.length, "room", "rooms"), `${formatClock(left)} left`, "calm"]);
  }
  for (const poll of (snap.private.polls || []).filter((p) => p.state === "open")) {
    const voters = poll.results ? poll.results.voters : 0;
    facts.push([`poll-${poll.id}`, "polls", "Poll", poll.question, `${plural(voters, "answer", "answers")} so far`, "calm"]);
  }
  return facts;
}

export function setupConsoleGlance(live) {
  const list = $("#glance-tiles");
  if (!list) return;
  const render = (snap) => {
    if (!snap || !snap.private) return;
    const facts = runningFacts(live, snap);
    const wanted = facts.map((f) => f[0]).join(",") || "none";
    if (list.dataset.keys !== wanted) {
      list.dataset.keys = wanted;
      list.replaceChildren(...(facts.length ? facts : [["none", "agenda", "Running", "Nothing", "no agenda item, poll or breakout running", "calm"]])
        .map(([key, tab]) => h("li", {}, h("a", { class: "tile", id: `g-${key}`, href: `#tp-${tab}`, dataset: { openTab: tab } },
          h("span", { class: "tile-label" }), " ", h("span", { class: "tile-value", "data-v": "" }), " ",
          h("span", { class: "tile-note", "data-n": "" })))));
    }
    for (const [key, , label, value, note, tone] of facts.length ? facts : [["none", "", "Running", "Nothing", "no agenda item, poll or breakout running", "calm"]]) {
      const el = document.getElementById(`g-${key}`);
      if (!el) continue;
      $(".tile-label", el).textContent = label;
      $("[data-v]", el).textContent = value;
      $("[data-n]", el).textContent = note;
      el.dataset.tone = tone;
    }
  };
  live.onChange((snap) => render(snap));
  setInterval(() => render(live.snapshot), 1000);
}
