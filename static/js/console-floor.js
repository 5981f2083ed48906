// Console panels for the floor: speaker and clock, queue, go-round, balance chart, shortcuts.
import { $, $$, h, show, announce, formatClock } from "./dom.js";
import { KIND_LABELS, notYetSpoken, ordinal, presentParticipants, secondsSince, secondsUntil, talkTotals } from "./floor-view.js";
import { balanceIndex } from "./balance.js";

export function setupFloor(live) {
  let lastSpeaker = null;

  async function act(name, data = {}) {
    const ack = await live.call(name, data);
    const err = $("#floor-error");
    err.hidden = ack.ok;
    if (!ack.ok) {
      err.textContent = ack.error.message;
      announce(ack.error.message, { assertive: true });
    }
    return ack;
  }

  const participants = (snap) => snap.private.people.filter((p) => p.role === "participant");

  const talk = (snap) => talkTotals(live, snap);

  function renderSpeaker(snap) {
    const floor = snap.floor;
    const speaker = floor.speaker;
    $("#speaker-name").textContent = speaker ? `${speaker.name} has the floor` : "Nobody has the floor.";
    show($("#speaker-clock"), Boolean(speaker));
    $("#end-turn").disabled = !speaker || Boolean(floor.goround);
    $("#call-next").disabled = floor.queue_length === 0 || Boolean(floor.goround);
    const round = floor.goround;
    show($("#round-box"), Boolean(round));
    if (round) {
      const next = round.order[round.index + 1];
      $("#round-text").textContent = `Go-round: ${round.index + 1} of ${round.order.length}, ${round.seconds} s each.` +
        (next ? ` Next: ${next.name}.` : " This is the last person.") +
        (round.passes.length ? ` Passed: ${round.passes.length}.` : "");
    }
    const id = speaker ? speaker.participant_id : null;
    if (id !== lastSpeaker && speaker) announce(`${speaker.name} has the floor.`);
    lastSpeaker = id;
  }

  function tickSpeaker() {
    const snap = live.snapshot;
    if (!snap || !snap.floor || !snap.floor.speaker) return;
    const s = snap.floor.speaker;
    if (s.ends_at) {
      const left = secondsUntil(live, s.ends_at);
      $("#speaker-clock").textContent = (left < 0 ? "+" : "") + formatClock(Math.abs(left));
      $("#speaker-clock").classList.toggle("over", left < 0);
      $("#speaker-note").textContent = left < 0 ? "over the round's time box" : "left in this turn";
    } else {
      $("#speaker-clock").textContent = formatClock(secondsSince(live, s.started_at));
      $("#speaker-clock").classList.remove("over");
      $("#speaker-note").textContent = s.source === "queue" ? `${KIND_LABELS[s.hand_kind] || "From the queue"}` : "Called directly";
    }
  }

  function renderQueue(snap) {
    const hands = snap.private.queue.hands;
    $("#queue-count").textContent = hands.length ? `(${hands.length})` : "";
    show($("#queue-empty"), hands.length === 0);
    $("#queue-clear").disabled = hands.length === 0;
    for (const radio of $$("input[name=queue-mode]")) radio.checked = radio.value === snap.floor.mode;
    const totals = talk(snap);
    $("#queue").replaceChildren(...hands.map((hand, i) => {
      const spoken = totals.get(hand.participant_id);
      const name = hand.name;
      return h("li", { class: `queue-item kind-${hand.kind}`, dataset: { participantId: hand.participant_id } },
        h("span", { class: "queue-pos", "aria-hidden": "true" }, String(i + 1)),
        h("span", { class: "queue-who" },
          h("span", { class: "person-name" }, name),
          h("span", { class: `badge kind ${hand.kind}` }, KIND_LABELS[hand.kind]),
          hand.group_tag ? h("span", { class: "tag" }, hand.group_tag) : null,
          h("span", { class: "hint" }, spoken && spoken.turns ? ` ${spoken.turns} ${spoken.turns === 1 ? "turn" : "turns"} so far` : " not spoken yet")),
        h("span", { class: "queue-actions" },
          h("button", { type: "button", class: "button small primary", "aria-label": `Give the floor to ${name}`,
            onclick: () => act("floor.call", { participant_id: hand.participant_id }) }, "Call"),
          h("button", { type: "button", class: "button small quiet", "aria-label": `Move ${name} up`, disabled: i === 0,
            onclick: () => act("queue.move", { participant_id: hand.participant_id, position: i }) }, "↑"),
          h("button", { type: "button", class: "button small quiet", "aria-label": `Move ${name} down`, disabled: i === hands.length - 1,
            onclick: () => act("queue.move", { participant_id: hand.participant_id, position: i + 2 }) }, "↓"),
          h("button", { type: "button", class: "button small quiet", "aria-label": `Lower ${name}'s hand`,
            onclick: () => act("queue.lower", { participant_id: hand.participant_id }) }, "Lower")));
    }));
  }

  function renderBalance(snap) {
    const totals = talk(snap);
    const everyone = participants(snap);
    const present = presentParticipants(snap);
    const seconds = (p) => (totals.get(p.id) || {}).talk_seconds || 0;
    const turns = (p) => (totals.get(p.id) || {}).turns || 0;
    const index = balanceIndex(present.map(seconds));
    $("#balance-index").textContent = index === null ? "—" : index.toFixed(2);
    const notYet = notYetSpoken(live, snap, totals);
    $("#not-yet-count").textContent = `(${notYet.length})`;
    $("#not-yet").replaceChildren(...(notYet.length ? notYet.map((p) => h("li", {},
      h("button", { type: "button", class: "chip-button", "aria-label": `Invite ${p.name}: give them the floor`,
        onclick: () => act("floor.call", { participant_id: p.id }) }, p.name))) : [h("li", { class: "hint" }, "Everyone present has spoken.")]));

    const shown = everyone.filter((p) => p.presence !== "left" || turns(p) > 0)
      .sort((a, b) => seconds(b) - seconds(a) || a.name.localeCompare(b.name));
    const total = shown.reduce((sum, p) => sum + seconds(p), 0);
    const max = Math.max(1, ...shown.map(seconds));
    $("#balance-rows").replaceChildren(...shown.map((p) => {
      const s = seconds(p);
      const none = turns(p) === 0;
      return h("tr", { class: none ? "not-spoken" : "" },
        h("th", { scope: "row" }, p.name, p.presence === "left" ? h("span", { class: "hint" }, " (left)") : null,
          none ? h("span", { class: "badge attention" }, "not yet") : null),
        h("td", { class: "bar-cell" },
          h("span", { class: "bar-track", "aria-hidden": "true" },
            h("span", { class: "bar", style: { width: `${Math.max(none ? 0 : 2, (100 * s) / max)}%` } })),
          h("span", { class: "bar-label" }, formatClock(s))),
        h("td", {}, total > 0 ? `${Math.round((100 * s) / total)}%` : "0%"),
        h("td", {}, String(turns(p))));
    }));

    const tags = new Map();
    for (const p of present) {
      const tag = p.group_tag || "No group";
      const row = tags.get(tag) || { people: 0, seconds: 0 };
      row.people += 1;
      row.seconds += seconds(p);
      tags.set(tag, row);
    }
    const useGroups = snap.meeting.group_tags.length > 0 && tags.size > 0;
    show($("#group-balance"), useGroups);
    if (useGroups) {
      const presentTotal = present.reduce((sum, p) => sum + seconds(p), 0);
      $("#group-rows").replaceChildren(...[...tags.entries()].sort((a, b) => b[1].seconds - a[1].seconds).map(([tag, row]) => {
        const talkShare = presentTotal > 0 ? row.seconds / presentTotal : 0;
        const headShare = row.people / present.length;
        return h("tr", {},
          h("th", { scope: "row" }, tag),
          h("td", { class: "bar-cell" },
            h("span", { class: "bar-track", "aria-hidden": "true" },
              h("span", { class: "bar", style: { width: `${Math.round(100 * talkShare)}%` } }),
              h("span", { class: "bar-marker", title: "share of people", style: { left: `${Math.round(100 * headShare)}%` } })),
            h("span", { class: "bar-label" }, `${Math.round(100 * talkShare)}%`)),
          h("td", {}, `${row.people} (${Math.round(100 * headShare)}%)`));
      }));
    }
  }

  function renderRoundForm(snap) {
    const box = $("#round-people");
    const people = participants(snap).filter((p) => p.presence !== "left" && p.rules_version_acked !== null);
    const checked = new Set($$("input", box).filter((i) => i.checked).map((i) => Number(i.value)));
    const known = new Set($$("input", box).map((i) => Number(i.value)));
    box.replaceChildren(...people.map((p) => h("label", { class: "choice" },
      h("input", { type: "checkbox", value: p.id, checked: !known.has(p.id) || checked.has(p.id) }), p.name)));
    if (!people.length) box.replaceChildren(h("p", { class: "hint" }, "Nobody is here to take part yet."));
    $("#round-form button[type=submit]").disabled = Boolean(snap.floor.goround) || !people.length;
  }

  // Record that someone is speaking who did not raise a hand.
  function decorateRoster(snap) {
    for (const row of $$("#people tr")) {
      const id = Number(row.dataset.personId);
      const person = snap.private.people.find((p) => p.id === id);
      if (!person || person.role !== "participant") continue;
      const cell = row.lastElementChild;
      const speaking = Boolean(snap.floor.speaker && snap.floor.speaker.participant_id === id);
      let button = $("[data-speak]", cell);
      if (!button) {
        button = h("button", { type: "button", class: "button small", dataset: { speak: "" },
          onclick: () => act("floor.call", { participant_id: id }) });
        cell.prepend(button, " ");
      }
      button.disabled = speaking || Boolean(snap.floor.goround);
      button.textContent = speaking ? "Speaking" : "Speaking now";
      button.setAttribute("aria-label", speaking ? `${person.name} has the floor`
        : `${person.name} is speaking: give them the floor`);
    }
  }

  live.onChange((snap) => {
    if (!snap.floor) return;
    renderSpeaker(snap);
    tickSpeaker();
    renderQueue(snap);
    renderBalance(snap);
    renderRoundForm(snap);
    decorateRoster(snap);
  });
  setInterval(() => {
    const snap = live.snapshot;
    if (!snap || !snap.floor) return;
    tickSpeaker();
    if (snap.floor.speaker) renderBalance(snap);
  }, 1000);

  $("#call-next").addEventListener("click", () => act("floor.next"));
  $("#end-turn").addEventListener("click", () => act("floor.end"));
  $("#queue-clear").addEventListener("click", () => {
    if (window.confirm("Lower every raised hand?")) act("queue.clear");
  });
  for (const radio of $$("input[name=queue-mode]")) {
    radio.addEventListener("change", () => act("queue.mode", { mode: radio.value }).then((ack) => {
      if (ack.ok) announce(radio.value === "quiet" ? "New points now ordered quieter voices first." : "New points now ordered first come, first served.");
    }));
  }
  $("#round-next").addEventListener("click", () => {
    const round = live.snapshot.floor.goround;
    if (round) act("goround.next", { index: round.index });
  });
  $("#round-stop").addEventListener("click", () => act("goround.stop"));
  $("#round-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const ids = $$("#round-people input").filter((i) => i.checked).map((i) => Number(i.value));
    const seconds = Number($("#round-seconds").value);
    const ack = await live.call("goround.start", { participant_ids: ids, seconds,
      shuffle: $("input[name=round-order]:checked").value === "shuffled" });
    const err = $("#round-error");
    err.hidden = ack.ok;
    if (!ack.ok) {
      const fields = ack.error.fields || {};
      err.textContent = fields.seconds ? "Choose between 10 and 1800 seconds each." :
        fields.participant_ids ? "Choose at least one person." : ack.error.message;
    } else announce("Go-round started.");
  });

  document.addEventListener("keydown", (e) => {
    if (!$("#shortcuts-on").checked || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    const key = e.key.toLowerCase();
    if (key === "n") { e.preventDefault(); act("floor.next"); }
    else if (key === "e") { e.preventDefault(); act("floor.end"); }
    else if (key === "r") { e.preventDefault(); $("#round-next").click(); }
    else if (key === "a") {
      const next = $("#agenda-next");
      if (next && !next.disabled && next.offsetParent !== null) { e.preventDefault(); next.click(); }
    } else if (e.key === "?") {
      e.preventDefault();
      const help = $("#shortcuts");
      help.open = true;
      $("summary", help).focus();
    }
  });
}
