// Safeguarding in the console: open drop alerts (with the person's contact plan) and contact plans.
import { $, h, show, announce, formatTime } from "./dom.js";
import { send } from "./acting.js";

const REASONS = { "ping timeout": "stopped responding", "transport close": "connection closed", "transport error": "connection error" };

export function setupConsoleSafety(live) {
  const seen = new Set();
  let first = true;
  let people = [];
  let plans = [];

  const act = (name, data, opts = {}) => send(live, name, data, opts);

  function planOf(pid) {
    return plans.find((c) => c.participant_id === pid) || null;
  }

  function planLines(plan) {
    if (!plan) return [h("p", { class: "plan-missing" }, "No contact plan.")];
    const out = [];
    if (plan.given) out.push(h("p", {}, h("strong", {}, "They gave: "), plan.given));
    if (plan.plan) out.push(h("p", {}, h("strong", {}, "Plan: "), plan.plan));
    return out;
  }

  function fillForm() {
    const select = $("#plan-person");
    const current = Number(select.value) || null;
    select.replaceChildren(...people.map((p) => h("option", { value: String(p.id) }, p.name)));
    if (current && people.some((p) => p.id === current)) select.value = String(current);
    showGiven();
  }

  function showGiven() {
    const pid = Number($("#plan-person").value);
    const plan = planOf(pid);
    const given = $("#plan-given");
    given.textContent = plan && plan.given ? `They gave: ${plan.given}` : "";
    show(given, Boolean(plan && plan.given));
    const text = $("#plan-text");
    if (document.activeElement !== text) text.value = plan && plan.plan ? plan.plan : "";
  }

  live.onChange((snap) => {
    if (!snap.private || !snap.private.drop_alerts) return;
    people = snap.private.people || [];
    plans = snap.private.contact_plans || [];
    const alerts = snap.private.drop_alerts;
    for (const a of alerts) {
      if (!seen.has(a.id) && !first) announce(`${a.name}'s connection dropped.`, { assertive: true });
      seen.add(a.id);
    }
    first = false;
    $("#drop-list").replaceChildren(...alerts.map((a) => h("li", { class: "drop-alert", dataset: { alertId: a.id } },
      h("div", { class: "drop-head" },
        h("strong", {}, `${a.name}'s connection dropped`),
        h("span", { class: "hint" }, ` at ${formatTime(a.dropped_at)} (${REASONS[a.reason] || a.reason})`)),
      h("div", { class: "drop-plan" }, ...planLines(planOf(a.participant_id))),
      h("button", { type: "button", class: "button small primary", "aria-label": `Acknowledge: you are reaching ${a.name}`,
        onclick: () => act("drop_alert.ack", { alert_id: a.id }) }, "Acknowledge"))));
    $("#plan-list").replaceChildren(...plans.map((c) => h("li", {},
      h("span", { class: "person-name" }, c.name), ...planLines(c))));
    fillForm();
    $("#require-contact").checked = Boolean(snap.private.safety && snap.private.safety.require_contact);
  });

  $("#require-contact").addEventListener("change", async (ev) => {
    const on = ev.target.checked;
    const ack = await act("safety.settings", { require_contact: on },
      { done: on ? "Joining now asks for contact details." : "Joining no longer asks for contact details." });
    if (!ack.ok) ev.target.checked = !on;
  });

  $("#plan-person").addEventListener("change", showGiven);
  $("#plan-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const pid = Number($("#plan-person").value);
    if (!pid) return;
    await act("contact_plan.set", { participant_id: pid, plan: $("#plan-text").value },
      { error: $("#plan-error"), form: $("#plan-form"), done: "Contact plan saved." });
  });
}
