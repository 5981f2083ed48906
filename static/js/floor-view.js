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

// Talk time and turns per participant id, including the running turn (facilitator state only).
export function talkTotals(live, snap) {
  const totals = new Map(snap.private.balance.people.map((r) => [r.participant_id, { ...r }]));
  const speaker = snap.floor && snap.floor.speaker;
  if (speaker) {
    const row = totals.get(speaker.participant_id) || { participant_id: speaker.participant_id, talk_seconds: 0, turns: 1, passes: 0 };
    row.talk_seconds += secondsSince(live, speaker.started_at);
    totals.set(speaker.participant_id, row);
  }
  return totals;
}

// Participants who are here, inside (rules accepted), and have not had a turn yet.
export function presentParticipants(snap) {
  return snap.private.people.filter((p) => p.role === "participant" && p.presence !== "left" && p.rules_version_acked !== null);
}

export function notYetSpoken(live, snap, totals = talkTotals(live, snap)) {
  return presentParticipants(snap).filter((p) => !((totals.get(p.id) || {}).turns));
}

// Words for a turn clock, changed at a coarse rate: screen readers get these, not the ticking
// digits. `seconds` is what is left of a time-boxed turn (counting "down"; negative when over) or
// how long the turn has run (counting "up"). `you`: worded for the speaker themself (the room),
// otherwise about the speaker (the console).
export function clockWords(seconds, counting, { you = false } = {}) {
  if (you) {
    if (counting !== "down") {
      const m = Math.floor(seconds / 60);
      return m < 1 ? "You have been speaking for less than a minute."
        : `You have been speaking for about ${m} ${m === 1 ? "minute" : "minutes"}.`;
    }
    if (seconds <= 0) return "Your time is up. Take the time you need to finish.";
    if (seconds <= 60) return "Less than a minute left in your turn.";
    return `About ${Math.ceil(seconds / 60)} minutes left in your turn.`;
  }
  const m = Math.floor(Math.abs(seconds) / 60);
  const amount = m >= 1 ? `${m} minute${m === 1 ? "" : "s"}` : "less than a minute";
  if (counting === "down") return seconds < 0 ? `Over time by ${amount}.` : `${amount[0].toUpperCase()}${amount.slice(1)} left.`;
  return `Speaking for ${amount}.`;
}

// The spoken side of a turn clock, called on every tick: speak(turnKey, seconds, counting).
// onWords(words) runs when the words change; for a time-boxed turn, onMinute() once when one
// minute is left and onUp() once when the time is up (neither for a turn first seen past that
// point, e.g. after a reload). A new turnKey starts over.
export function clockSpeaker({ you = false, onWords, onMinute = null, onUp = null }) {
  let turn = null;
  let words = "";
  let minute = false;
  let up = false;
  return function speak(key, seconds, counting) {
    const boxed = counting === "down";
    if (key !== turn) { turn = key; words = ""; minute = boxed && seconds <= 60; up = boxed && seconds <= 0; }
    const now = clockWords(seconds, counting, { you });
    if (now !== words) { words = now; onWords(now); }
    if (!boxed) return;
    if (!minute && seconds > 0 && seconds <= 60) { minute = true; if (onMinute) onMinute(); }
    if (!up && seconds <= 0) { up = true; minute = true; if (onUp) onUp(); }
  };
}

// Whether someone the facilitator might give the floor to is connected: null if so, otherwise a
// word for the hands list, the "Not spoken yet" chips and their buttons: "reconnecting" (their
// connection dropped a moment ago) or "away" (left). The server refuses to give the floor to
// someone not connected (not_connected), and Call next passes over them.
export function connectionNote(snap, participantId) {
  const p = snap.private && snap.private.people.find((x) => x.id === participantId);
  if (!p || p.presence === "connected") return null;
  return p.presence === "reconnecting" ? "reconnecting" : "away";
}
