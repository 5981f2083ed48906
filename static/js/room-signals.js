// Reactions (momentary) and the private support signal, in the actions bar; standing signals (on
// until turned off), in the People tab. Every action goes through acting.send.
import { $, $$, h, show, announce } from "./dom.js";
import { send } from "./acting.js";
import { MY_SIGNAL_NAMES, REACTION_EMOJI } from "./signals-names.js";

export function setupRoomSignals(live) {
  const barError = $("#signals-error");
  let burstTimer = null;
  let lastSupport = null;

  for (const button of $$("[data-reaction]")) {
    button.addEventListener("click", async () => {
      const ack = await send(live, "reaction.send", { kind: button.dataset.reaction }, { error: barError });
      // The rate limit's message is written for any event; for reactions, say it in their terms.
      if (!ack.ok && ack.error && ack.error.code === "rate_limited") barError.textContent = "That's a lot of reactions: wait a moment before the next one.";
    });
  }
  for (const button of $$("[data-signal]")) {
    button.addEventListener("click", async () => {
      const on = button.getAttribute("aria-pressed") === "true";
      await send(live, on ? "signal.lower" : "signal.raise", { kind: button.dataset.signal }, {
        error: $("#standing-error"), done: `${MY_SIGNAL_NAMES[button.dataset.signal]}: ${on ? "off" : "on"}.` });
    });
  }
  $("#support-send").addEventListener("click", async () => {
    if ($("#support-send").getAttribute("aria-disabled") === "true") {
      announce("Your request is already with the facilitators. A facilitator will see it shortly.");
      return;
    }
    const ack = await send(live, "support.send", {}, { error: barError, done: "Sent. Only the facilitators can see it." });
    if (ack.ok) $("#support-withdraw").focus();
  });
  $("#support-withdraw").addEventListener("click", async () => {
    const ack = await send(live, "support.withdraw", {}, { error: barError, done: "Your support request was withdrawn." });
    if (ack.ok) $("#support-send").focus();
  });

  live.onEvent_((env) => {
    if (env.type !== "reactions" || env.op !== "burst") return;
    const shown = Object.entries(env.data.counts).filter(([, n]) => n > 0)
      .map(([kind, n]) => h("span", { class: "burst-item" }, `${REACTION_EMOJI[kind] || kind} ${n}`));
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
    const seen = request && request.acknowledged_at && !request.withdrawn_at;
    $("#support-state").textContent = waiting ? "Sent. A facilitator will see it shortly."
      : seen ? "A facilitator has seen your request and will be in touch." : "";
    show($("#support-note"), !waiting && !seen);
    show($("#support-withdraw"), Boolean(waiting));
    // Sent and waiting: the button stays focusable and says so, rather than going dead.
    const supportButton = $("#support-send");
    supportButton.setAttribute("aria-disabled", waiting ? "true" : "false");
    supportButton.classList.toggle("sent", Boolean(waiting));
    const key = request ? `${request.id}:${request.acknowledged_at}` : null;
    if (seen && key !== lastSupport && lastSupport !== null) announce("A facilitator has seen your support request.", { assertive: true });
    lastSupport = key;
  });
}
