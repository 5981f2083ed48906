// The facilitator's "needs attention" panel: private support requests (with a sound), the
// need-a-break count, every standing signal with who, and reactions as they happen.
import { $, h, show, announce, formatTime } from "./dom.js";
import { send } from "./acting.js";
import { needs } from "./console-attention.js";

import { REACTION_EMOJI as EMOJI, signalName } from "./signals-names.js";

function chime() {
  try {
    const ctx = new (window.AudioContext || window.webkitAudioContext)();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 660;
    gain.gain.setValueAtTime(0.0001, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + 0.05);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.6);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.65);
  } catch (e) { /* no audio here: the visual alert remains */ }
}

export function setupConsoleSignals(live) {
  const seenPending = new Set();
  let first = true;
  let burstTimer = null;

  const act = (name, data) => send(live, name, data);

  live.onEvent_((env) => {
    if (env.type !== "reactions" || env.op !== "burst") return;
    $("#fac-burst").replaceChildren(...Object.entries(env.data.counts).filter(([, n]) => n > 0)
      .map(([kind, n]) => h("span", { class: "burst-item" }, `${EMOJI[kind] || kind} ${n}`)));
    $("#fac-burst").classList.add("visible");
    clearTimeout(burstTimer);
    burstTimer = setTimeout(() => $("#fac-burst").classList.remove("visible"), 3000);
  });

  live.onChange((snap) => {
    if (!snap.private || !snap.private.signals) return;
    const pending = needs(snap).support;
    for (const r of pending) {
      if (!seenPending.has(r.id) && !first) {
        chime();
        announce(`${r.name} needs support.`, { assertive: true });
      }
      seenPending.add(r.id);
    }
    first = false;
    $("#support-list").replaceChildren(...pending.map((r) => h("div", { class: "support-alert", dataset: { supportId: r.id } },
      h("span", {}, h("strong", {}, `${r.name} needs support`), ` since ${formatTime(r.raised_at)}`),
      h("button", { type: "button", class: "button small primary", "aria-label": `Acknowledge ${r.name}'s request: they will see it was seen`,
        onclick: () => act("support.ack", { request_id: r.id }) }, "Acknowledge"))));

    const { signals, counts } = snap.private.signals;
    $("#break-count").textContent = String(counts.need_break || 0);
    $("#break-label").textContent = counts.need_break === 1 ? "needs a break" : "need a break";
    $("#signal-list").replaceChildren(...signals.map((s) => h("li", {},
      h("span", { class: `chip ${s.kind === "need_break" ? "warn" : "off"}` }, signalName(s.kind)),
      h("span", { class: "person-name" }, s.name),
      h("span", { class: "hint" }, formatTime(s.raised_at)),
      h("button", { type: "button", class: "button small quiet", "aria-label": `Clear ${s.name}'s ${signalName(s.kind)} signal`,
        onclick: () => act("signal.clear", { participant_id: s.participant_id, kind: s.kind }) }, "Clear"))));
    show($("#signals-clear-all"), signals.length > 1);
    show($("#attention-none"), !signals.length);
  });
  $("#signals-clear-all").addEventListener("click", () => act("signal.clear_all", {}));
}
