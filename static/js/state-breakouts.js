// Breakout and chat events applied to a snapshot: mirrors facilitator/state_breakouts.py.
// Returning false makes the client resync, which is always correct, just less economical.
export const BREAKOUT_TYPES = ["breakouts", "room", "breakout", "chat"];

export function applyBreakoutEvent(s, env) {
  return false;
}
