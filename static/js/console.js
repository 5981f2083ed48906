// The facilitator's live console: session state, people with connection, status and rules.
import { $, $$, h, show, announce, formatClock, STATE_LABELS } from "./dom.js";
import { Live } from "./live.js";
import { renderRules } from "./rules-view.js";
import { setupFloor } from "./console-floor.js";
import { setupConsolePolls } from "./console-polls.js";
import { setupConsoleSignals } from "./console-signals.js";
import { setupConsoleBreakouts } from "./console-breakouts.js";
import { setupConsoleChat } from "./console-chat.js";
import { setupConsoleSafety } from "./console-safety.js";
import { setupConsoleGlance } from "./console-glance.js";
import { setupConsoleAgenda } from "./console-agenda.js";
import { setupConsolePeople } from "./console-people.js";
import { setupConsoleAttention } from "./console-attention.js";
import { setupConsoleTabs } from "./console-tabs.js";
import { setupConsoleBadges } from "./console-badges.js";
import { setupConsoleQueue } from "./console-queue.js";
import { setupConsoleBalance } from "./console-balance.js";
import { setupConsoleGoround } from "./console-goround.js";
import { send } from "./acting.js";

const root = $("#console");
const live = new Live({ meeting_id: Number(root.dataset.meetingId) });
const templates = JSON.parse($("#rule-templates").textContent);
let startedAt = null;

const ACTIONS = {
  draft: [["open", "Open the lobby"], ["live", "Start now"]],
  open: [["live", "Start the session"], ["ended", "End"]],
  live: [["paused", "Pause for a break"], ["ended", "End the session"]],
  paused: [["live", "Resume"], ["ended", "End the session"]],
  ended: [],
};
live.onStatus((status, detail) => {
  const banner = $("#conn-banner");
  if (status === "reconnecting") {
    banner.textContent = "Connection to the server lost. Reconnecting…";
    banner.hidden = false;
  } else if (status === "refused") {
    banner.textContent = detail && detail.message ? detail.message : "Could not connect.";
    banner.hidden = false;
  } else if (status === "live") {
    banner.hidden = true;
  }
});

live.onChange((snap) => {
  renderState(snap);
  renderRulesPanel(snap);
});
setupConsoleTabs();
for (const setup of [setupConsolePeople, setupFloor, setupConsoleQueue, setupConsoleBalance, setupConsoleGoround, setupConsoleAttention, setupConsolePolls, setupConsoleSignals,
  setupConsoleBreakouts, setupConsoleChat, setupConsoleSafety, setupConsoleGlance, setupConsoleAgenda, setupConsoleBadges]) setup(live);

function renderState(snap) {
  const m = snap.meeting;
  const badge = $("#state-badge");
  badge.textContent = STATE_LABELS[m.state];
  badge.className = `badge state-${m.state}`;
  startedAt = m.started_at && m.state !== "ended" ? new Date(m.started_at).getTime() : null;
  show($("#session-clock"), Boolean(startedAt));
  const controls = $("#state-controls");
  const wanted = ACTIONS[m.state].map(([s]) => s).join(",");
  if (controls.dataset.for !== wanted) {
    controls.dataset.for = wanted;
    controls.replaceChildren(...ACTIONS[m.state].map(([state, label]) =>
      h("button", { type: "button", class: state === "ended" ? "button danger" : "button primary",
        onclick: () => setState(state, label) }, label)));
  }
}

async function setState(state, label) {
  if (state === "ended" && !window.confirm("End the session for everyone?")) return;
  await send(live, "meeting.state", { state }, { done: `Done: ${label}.` });
}

function renderRulesPanel(snap) {
  const version = snap.rules.version;
  const inside = snap.private.people.filter((p) => p.presence !== "left");
  const accepted = inside.filter((p) => p.rules_version_acked !== null && p.rules_version_acked >= version).length;
  $("#rules-summary").textContent = inside.length ? `${accepted} of ${inside.length} present have accepted` : `Version ${version}`;
  $("#ack-bar").style.width = inside.length ? `${Math.round((100 * accepted) / inside.length)}%` : "0%";
  if ($("#rules-form").hidden) renderRules($("#rules-list"), snap.rules);
}

// Rules editor inside the console.
function ruleField(rule = { title: "", text: "" }) {
  const item = h("li", { class: "rule-item" },
    h("label", {}, "Title ", h("input", { name: "title", maxlength: 80, value: rule.title, required: true })),
    h("label", {}, "Text ", h("textarea", { name: "text", rows: 3, maxlength: 600, required: true, text: rule.text })),
    h("button", { type: "button", class: "button small danger", onclick: () => { item.remove(); announce("Rule removed."); } }, "Remove rule"));
  return item;
}

$("#rule-template").replaceChildren(...templates.map((t) => h("option", { value: t.key }, t.title)));
$("#rules-edit").addEventListener("click", () => {
  $("#rules-fields").replaceChildren(...live.snapshot.rules.items.map(ruleField));
  show($("#rules-form"), true);
  show($("#rules-list"), false);
  show($("#rules-edit"), false);
  const first = $("#rules-fields input");
  if (first) first.focus();
});
$("#rule-add").addEventListener("click", () => {
  const item = ruleField();
  $("#rules-fields").append(item);
  $("input", item).focus();
});
$("#rule-add-template").addEventListener("click", () => {
  const t = templates.find((x) => x.key === $("#rule-template").value);
  const item = ruleField(t);
  $("#rules-fields").append(item);
  $("input", item).focus();
  announce(`Added ${t.title}.`);
});
function closeEditor() {
  show($("#rules-form"), false);
  show($("#rules-list"), true);
  show($("#rules-edit"), true);
  renderRules($("#rules-list"), live.snapshot.rules);
  $("#rules-edit").focus();
}
$("#rules-cancel").addEventListener("click", closeEditor);
$("#rules-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const items = $$("#rules-fields li").map((li) => ({ title: $("input", li).value.trim(), text: $("textarea", li).value.trim() }));
  const ack = await send(live, "rules.set", { items }, { error: $("#rules-error"), form: $("#rules-form") });
  if (!ack.ok) {
    if (ack.error.code === "invalid") $("#rules-error").textContent = "Each rule needs a title (up to 80 characters) and a text (up to 600).";
    return;
  }
  closeEditor();
  announce(ack.changed ? "Ground rules saved. Everyone is asked to accept them again." : "No change to the rules.");
});

for (const button of $$("[data-copy]")) {
  button.addEventListener("click", async () => {
    const text = $(button.dataset.copy).textContent.trim();
    try {
      await navigator.clipboard.writeText(text);
      announce("Copied.");
    } catch (e) {
      announce("Could not copy; select the text instead.");
    }
  });
}

setInterval(() => {
  if (!startedAt) return;
  const elapsed = (Date.now() + live.clockOffsetMs - startedAt) / 1000;
  $("#clock-value").textContent = formatClock(elapsed);
}, 1000);

// Every control is wired now: the console takes clicks and keys (the template keeps it inert
// until here, so nothing could be submitted the browser's own way while the modules loaded).
root.inert = false;
