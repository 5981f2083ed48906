// Reactions (momentary), standing signals (on until turned off), and the private support signal.
import { $, $$, h, show, announce } from "./dom.js";

const EMOJI = { thumbs_up: "👍", clap: "👏", heart: "❤️", laugh: "😄", agree: "✔️", disagree: "✖️" };
const SIGNAL_NAMES = { slow_down: "Slow down", need_break: "I need a break", cant_hear: "I can't hear", stepped_away: "I've stepped away" };

export function setupRoomSignals(live) {
  const error = $("#signals-error");
  let burstTimer = null;
  let lastSupport = null;

  function fail(ack) {
    error.hidden = ack.ok;
    if (!ack.ok) error.textContent = ack.error.code === "rate_limited"
      ? "That's a lot of reactions: wait a moment before the next one." : ack.error.message;
    return ack.ok;
  }

  for (const button of $$("[data-reaction]")) {
    button.addEventListener("click", async () => fail(await live.call("reaction.send", { kind: button.dataset.reaction })));
  }
  for (const button of $$("[data-signal]")) {
    button.addEventListener("click", async () => {
      const on = button.getAttribute("aria-pressed") === "true";
      const ack = await live.call(on ? "signal.lower" : "signal.raise", { kind: button.dataset.signal });
      if (fail(ack)) announce(`${SIGNAL_NAMES[button.dataset.signal]}: ${on ? "off" : "on"}.`);
    });
  }
  $("#support-send").addEventListener("click", async () => {
    const ack = await live.call("support.send", {});
    if (fail(ack)) announce("Sent. Only the facilitators can see it.");
  });
  $("#support-withdraw").addEventListener("click", async () => {
    if (fail(await live.call("support.withdraw", {}))) announce("Your support request was withdrawn.");
  });

  live.onEvent_((env) => {
    if (env.type !== "reactions" || env.op !== "burst") return;
    const shown = Object.entries(env.data.counts).filter(([, n]) => n > 0)
      .map(([kind, n]) => h("span", { class: "burst-item" }, `${EMOJI[kind] || kind} ${n}`));
    $("#reaction-burst").replaceChildren(...shown);
    $("#reaction-burst").classList.add("visible");
    clearTimeout(burstTimer);
    burstTimer = setTimeout(() => $("#reaction-burst").classList.remove("visible"), 3000);
  });

  live.onChange((snap) => {
    if (!snap.my_signals) return;
    const observer = snap.me.role === "observer";
    show($("#reaction-buttons"), !observer);
    const on = new Set(snap.my_signals.signals.map((s) => s.kind));
    for (const button of $$("[data-signal]")) {
      button.setAttribute("aria-pressed", on.has(button.dataset.signal) ? "true" : "false");
    }
    const request = snap.support && snap.support.request;
    const waiting = request && !request.acknowledged_at && !request.withdrawn_at;
    const seen = request && request.acknowledged_at;
    $("#support-state").textContent = waiting ? "Sent. A facilitator will see it shortly."
      : seen ? "A facilitator has seen your request and will be in touch." : "";
    show($("#support-withdraw"), Boolean(waiting));
    $("#support-send").disabled = Boolean(waiting);
    const key = request ? `${request.id}:${request.acknowledged_at}` : null;
    if (seen && key !== lastSupport && lastSupport !== null) announce("A facilitator has seen your support request.", { assertive: true });
    lastSupport = key;
  });
}
