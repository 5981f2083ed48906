// The facilitator's live console: session state, people with connection, status and rules.
import { $, $$, h, show, announce, formatClock, formatTime, STATE_LABELS } from "./dom.js";
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
const PRESENCE = {
  connected: ["Connected", "ok"],
  reconnecting: ["Reconnecting", "warn"],
  left: ["Left", "off"],
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

live.onChange((snap, env) => {
  renderState(snap);
  renderPeople(snap, env);
  renderRulesPanel(snap);
});
setupFloor(live);
for (const setup of [setupConsolePolls, setupConsoleSignals, setupConsoleBreakouts, setupConsoleChat, setupConsoleSafety, setupConsoleGlance, setupConsoleAgenda]) setup(live);

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
  const ack = await live.call("meeting.state", { state });
  if (!ack.ok) announce(ack.error.message, { assertive: true });
  else announce(`Done: ${label}.`);
}

function rulesStatus(p, version) {
  if (p.rules_version_acked === null || p.rules_version_acked === undefined) return ["Reading the rules", "warn"];
  if (p.rules_version_acked < version) return ["Needs to accept the new rules", "warn"];
  return [`Accepted ${formatTime(p.rules_acked_at)}`, "ok"];
}

function renderPeople(snap, env) {
  const people = snap.private.people;
  const version = snap.rules.version;
  const rows = people.map((p) => {
    const [presence, tone] = PRESENCE[p.presence] || [p.presence, "off"];
    const [rules, rulesTone] = rulesStatus(p, version);
    return h("tr", { class: `presence-${p.presence}`, dataset: { personId: p.id } },
      h("th", { scope: "row" },
        h("span", { class: "person-name" }, p.name),
        p.role === "observer" ? h("span", { class: "badge observer" }, "Observer") : null,
        p.group_tag ? h("span", { class: "tag" }, p.group_tag) : null),
      h("td", {}, h("span", { class: `chip ${tone}` }, h("span", { class: "dot", "aria-hidden": "true" }), presence)),
      h("td", {},
        h("span", { class: `chip ${p.mic === "on" ? "ok" : "off"}` }, p.mic === "on" ? "Mic on" : "Muted"), " ",
        h("span", { class: `chip ${p.camera === "on" ? "ok" : "off"}` }, p.camera === "on" ? "Camera on" : "Camera off")),
      h("td", {}, h("span", { class: `chip ${rulesTone}` }, rules)),
      h("td", {}, h("button", { type: "button", class: "button small quiet",
        "aria-label": `Remove ${p.name} from the session`, onclick: () => removePerson(p) }, "Remove")));
  });
  $("#people").replaceChildren(...rows);
  show($("#people-empty"), people.length === 0);
  const count = (pred) => people.filter(pred).length;
  const here = count((p) => p.presence === "connected");
  const reconnecting = count((p) => p.presence === "reconnecting");
  const reading = count((p) => p.presence !== "left" && (p.rules_version_acked === null || p.rules_version_acked < version));
  const parts = [`${here} connected`];
  if (reconnecting) parts.push(`${reconnecting} reconnecting`);
  if (reading) parts.push(`${reading} reading the rules`);
  $("#people-summary").textContent = parts.join(" · ");
  if (env && env.type === "people") {
    const p = env.data;
    const before = announceMemo.get(p.id);
    const now = `${p.presence}|${p.rules_version_acked}`;
    if (before !== now) {
      if (!before) announce(`${p.name} joined.`);
      else if (p.presence === "reconnecting") announce(`${p.name} is reconnecting.`);
      else if (p.presence === "left" && !before.startsWith("left")) announce(`${p.name} left.`);
    }
  }
  for (const p of people) announceMemo.set(p.id, `${p.presence}|${p.rules_version_acked}`);
}
const announceMemo = new Map();

async function removePerson(p) {
  if (!window.confirm(`Remove ${p.name} from the session? Their link will stop working.`)) return;
  const ack = await live.call("participant.remove", { participant_id: p.id });
  announce(ack.ok ? `${p.name} was removed.` : ack.error.message, { assertive: !ack.ok });
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
  const ack = await live.call("rules.set", { items });
  const err = $("#rules-error");
  if (!ack.ok) {
    err.textContent = ack.error.code === "invalid" ? "Each rule needs a title (up to 80 characters) and a text (up to 600)." : ack.error.message;
    err.hidden = false;
    return;
  }
  err.hidden = true;
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
