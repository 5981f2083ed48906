// Shared helpers for drawing the floor: ordinals, kind names, clocks from server time.
export const KIND_LABELS = { new: "New point", reply: "Direct reply", process: "Process point" };

export function ordinal(n) {
  const s = ["th", "st", "nd", "rd"];
  const v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

export function serverNow(live) {
  return Date.now() + (live.clockOffsetMs || 0);
}

export function secondsSince(live, iso) {
  return Math.max(0, (serverNow(live) - Date.parse(iso)) / 1000);
}

export function secondsUntil(live, iso) {
  return (Date.parse(iso) - serverNow(live)) / 1000;
}
