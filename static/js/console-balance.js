// Turn-taking balance in the console: the index and who has not spoken yet (now column, each
// name a button that gives them the floor), talk time per person and per group (Balance tab).
import { $, h, show, formatClock, keepFocus } from "./dom.js";
import { connectionNote, notYetSpoken, presentParticipants, talkTotals } from "./floor-view.js";
import { balanceIndex } from "./balance.js";
import { floorAct } from "./console-floor.js";

function groupRows(present, seconds) {
  const tags = new Map();
  for (const p of present) {
    const tag = p.group_tag || "No group";
    const row = tags.get(tag) || { people: 0, seconds: 0 };
    row.people += 1;
    row.seconds += seconds(p);
    tags.set(tag, row);
  }
  return tags;
}

export function setupConsoleBalance(live) {
  let notYetDrawn = null;   // what the "Not spoken yet" chips show: drawn again only when it changes

  function renderNotYet(snap, notYet) {
    const shown = notYet.map((p) => [p.id, p.name, connectionNote(snap, p.id)]);
    const key = JSON.stringify(shown);
    if (key === notYetDrawn) return;
    notYetDrawn = key;
    const list = $("#not-yet");
    keepFocus(list, () => list.replaceChildren(...(shown.length ? shown.map(([id, name, away]) => h("li", {},
      h("button", { type: "button", class: `chip-button${away ? " not-connected" : ""}`, dataset: { fkey: `invite-${id}` },
        "aria-label": `Invite ${name}${away ? ` (${away})` : ""}: give them the floor`,
        onclick: () => floorAct(live, "floor.call", { participant_id: id }) },
        name, away ? h("span", { class: "conn-note" }, ` (${away})`) : null)))
      : [h("li", { class: "hint" }, "Everyone present has spoken.")])));
  }

  function render(snap) {
    const totals = talkTotals(live, snap);
    const everyone = snap.private.people.filter((p) => p.role === "participant");
    const present = presentParticipants(snap);
    const seconds = (p) => (totals.get(p.id) || {}).talk_seconds || 0;
    const turns = (p) => (totals.get(p.id) || {}).turns || 0;
    const index = balanceIndex(present.map(seconds));
    $("#balance-index").textContent = index === null ? "—" : index.toFixed(2);
    const notYet = notYetSpoken(live, snap, totals);
    $("#not-yet-count").textContent = `(${notYet.length})`;
    renderNotYet(snap, notYet);

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

    const tags = groupRows(present, seconds);
    const useGroups = snap.meeting.group_tags.length > 0 && tags.size > 0;
    show($("#group-balance"), useGroups);
    if (!useGroups) return;
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

  live.onChange((snap) => { if (snap.floor && snap.private) render(snap); });
  setInterval(() => {
    const snap = live.snapshot;
    if (snap && snap.floor && snap.floor.speaker && snap.private) render(snap);
  }, 1000);
}
