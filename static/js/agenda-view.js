// Shared by the console and the room: the running agenda item and its clock, drawn from the stored
// deadline and server time (never a countdown kept in the page), and the planned end.
import { formatClock } from "./dom.js";
import { serverNow } from "./floor-view.js";

export const KIND_NAMES = { discussion: "Discussion", decision: "Decision", checkin: "Check-in", break: "Break" };

export function runningItem(snap) {
  const agenda = snap && snap.agenda;
  if (!agenda || agenda.current_id === null) return null;
  return agenda.items.find((i) => i.id === agenda.current_id) || null;
}

// Seconds left of the running item's time box; negative once it runs over.
export function secondsLeft(live, item) {
  return (Date.parse(item.ends_at) - serverNow(live)) / 1000;
}

// Whole seconds spent on an item so far: closed stretches plus the running one.
export function secondsSpent(live, item) {
  const running = item.started_at ? Math.max(0, (serverNow(live) - Date.parse(item.started_at)) / 1000) : 0;
  return item.actual_seconds + running;
}

export function minutes(seconds) {
  return `${Math.round(seconds / 60)} min`;
}

// When the agenda should end as planned: the running item's deadline (or now, if it is over),
// plus the time boxes of the items not started yet.
export function plannedEnd(live, snap) {
  const now = serverNow(live);
  const item = runningItem(snap);
  const from = item ? Math.max(now, Date.parse(item.ends_at)) : now;
  return new Date(from + snap.agenda.pending_seconds * 1000);
}

export function clockText(seconds) {
  return (seconds < 0 ? "+" : "") + formatClock(Math.abs(seconds));
}

export function presenterText(item) {
  return item.presenter ? item.presenter.name : "";
}
