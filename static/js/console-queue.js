// The hands in the console's now column: who is next, with Call, move up or down, lower; and
// the order of new points (in the Balance tab).
import { $, $$, h, show } from "./dom.js";
import { send } from "./acting.js";
import { KIND_LABELS, talkTotals } from "./floor-view.js";
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

  live.onChange((snap) => { if (snap.floor && snap.private && snap.private.queue) render(snap); });
  $("#queue-clear").addEventListener("click", () => {
    if (window.confirm("Lower every raised hand?")) act("queue.clear");
  });
  for (const radio of $$("input[name=queue-mode]")) {
    radio.addEventListener("change", () => send(live, "queue.mode", { mode: radio.value }, {
      done: radio.value === "quiet" ? "New points now ordered quieter voices first." : "New points now ordered first come, first served." }));
  }
}
