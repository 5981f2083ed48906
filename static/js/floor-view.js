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
