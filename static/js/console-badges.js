// Badges on the console's tabs: what is running or needs the facilitator in each (the chat's
// unread count is set by console-chat.js, which knows what has been read).
import { setBadge } from "./console-tabs.js";
import { secondsUntil } from "./floor-view.js";
import { runningItem } from "./agenda-view.js";
import { needs } from "./console-attention.js";

export function tabBadges(live, snap) {
  const p = snap.private;
  const badges = {};
  const item = runningItem(snap);
  const due = p.agenda && p.agenda.break_due_at;
  if (item && item.ends_at && secondsUntil(live, item.ends_at) < 0) badges.agenda = ["over time", "warn"];
  else if (due && secondsUntil(live, due) <= 0) badges.agenda = ["break due", "warn"];
  const open = (p.polls || []).filter((x) => x.state === "open").length;
  if (open) badges.polls = [`${open} open`, "calm"];
  const round = (p.breakouts || []).find((r) => r.state !== "closed");
  if (needs(snap).help.length) badges.breakouts = ["help", "alert"];
  else if (round) badges.breakouts = [round.state === "open" ? "running" : "draft", "calm"];
  if (snap.floor && snap.floor.goround) badges.goround = ["running", "calm"];
  const signals = (p.signals && p.signals.signals) || [];
  if (signals.length) badges.people = [`${signals.length} ${signals.length === 1 ? "signal" : "signals"}`, "warn"];
  const version = snap.rules.version;
  const reading = p.people.filter((x) => x.presence !== "left" && (x.rules_version_acked === null || x.rules_version_acked < version)).length;
  if (reading) badges.rules = [`${reading} reading`, "calm"];
  return badges;
}

export function setupConsoleBadges(live) {
  const names = ["agenda", "polls", "breakouts", "goround", "people", "rules"];
  const render = (snap) => {
    if (!snap || !snap.private || !snap.private.people) return;
    const badges = tabBadges(live, snap);
    for (const name of names) setBadge(name, ...(badges[name] || [""]));
  };
  live.onChange(render);
  setInterval(() => render(live.snapshot), 5000);
}
