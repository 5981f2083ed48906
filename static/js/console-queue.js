// The hands in the console's now column: who is next, with Call, move up or down, lower; and
// the order of new points (in the Balance tab).
import { $, $$, h, show, keepFocus } from "./dom.js";
import { send } from "./acting.js";
import { KIND_LABELS, connectionNote, talkTotals } from "./floor-view.js";
import { floorAct } from "./console-floor.js";

export function setupConsoleQueue(live) {
  const act = (name, data) => floorAct(live, name, data);

  function render(snap) {
    const hands = snap.private.queue.hands;
    $("#queue-count").textContent = hands.length ? `(${hands.length})` : "";
    show($("#queue-empty"), hands.length === 0);
    $("#queue-clear").disabled = hands.length === 0;
    for (const radio of $$("input[name=queue-mode]")) radio.checked = radio.value === snap.floor.mode;
    const totals = talkTotals(live, snap);
    const list = $("#queue");
    // The list is drawn again on every change: the keyboard stays on the same button (data-fkey),
    // or, when that button is gone or disabled (the hand was called or lowered, or moved to an end),
    // on the nearest one that makes sense.
    const active = document.activeElement;
    const was = list.contains(active) ? { key: active.dataset.fkey, at: [...list.children].indexOf(active.closest("li")) } : null;
    keepFocus(list, () => list.replaceChildren(...hands.map((hand, i) => {
      const spoken = totals.get(hand.participant_id);
      const name = hand.name;
      const pid = hand.participant_id;
      const away = connectionNote(snap, pid);
      const who = away ? `${name} (${away})` : name;
      return h("li", { class: `queue-item kind-${hand.kind}${away ? " not-connected" : ""}`, dataset: { participantId: pid } },
        h("span", { class: "queue-pos", "aria-hidden": "true" }, String(i + 1)),
        h("span", { class: "queue-who" },
          h("span", { class: "person-name" }, name),
          away ? h("span", { class: "mark warn" }, away === "reconnecting" ? "Reconnecting" : "Away") : null,
          h("span", { class: `badge kind ${hand.kind}` }, KIND_LABELS[hand.kind]),
          hand.group_tag ? h("span", { class: "tag" }, hand.group_tag) : null,
          h("span", { class: "hint" }, spoken && spoken.turns ? ` ${spoken.turns} ${spoken.turns === 1 ? "turn" : "turns"} so far` : " not spoken yet")),
        h("span", { class: "queue-actions" },
          h("button", { type: "button", class: "button small primary", "aria-label": `Give the floor to ${who}`,
            dataset: { fkey: `call-${pid}` }, onclick: () => act("floor.call", { participant_id: pid }) }, "Call"),
          h("button", { type: "button", class: "button small quiet", "aria-label": `Move ${name} up`, disabled: i === 0,
            dataset: { fkey: `up-${pid}` }, onclick: () => act("queue.move", { participant_id: pid, position: i }) }, "↑"),
          h("button", { type: "button", class: "button small quiet", "aria-label": `Move ${name} down`, disabled: i === hands.length - 1,
            dataset: { fkey: `down-${pid}` }, onclick: () => act("queue.move", { participant_id: pid, position: i + 2 }) }, "↓"),
          h("button", { type: "button", class: "button small quiet", "aria-label": `Lower ${name}'s hand`,
            dataset: { fkey: `lower-${pid}` }, onclick: () => act("queue.lower", { participant_id: pid }) }, "Lower")));
    })));
    if (was && was.key && !list.contains(document.activeElement)) {
      const pid = was.key.split("-")[1];
      const row = list.children[Math.min(was.at, list.children.length - 1)];
      const next = $(`[data-fkey="up-${pid}"]:not(:disabled), [data-fkey="down-${pid}"]:not(:disabled)`, list)
        || (row && $("[data-fkey^=call-]", row)) || $("#end-turn:not(:disabled)") || $("#call-next:not(:disabled)");
      if (next) next.focus();
    }
  }

  live.onChange((snap) => { if (snap.floor && snap.private && snap.private.queue) render(snap); });
  $("#queue-clear").addEventListener("click", () => {
    if (window.confirm("Lower every raised hand?")) act("queue.clear");
  });
  for (const radio of $$("input[name=queue-mode]")) {
    radio.addEventListener("change", () => send(live, "queue.mode", { mode: radio.value }, {
      done: radio.value === "quiet" ? "New points now ordered quieter voices first." : "New points now ordered first come, first served." }));
  }
}
