// The live connection: Socket.IO with acknowledged calls, per-stream sequence numbers applied in
// order, and a full resync on a gap that does not fill or on reconnect. `applyEvent` mirrors
// facilitator/state.py.
import { io } from "/static/vendor/socket.io.esm.min.js";
import { BREAKOUT_TYPES, applyBreakoutEvent } from "./state-breakouts.js";

const CALL_TIMEOUT_MS = 10000;
// Events are numbered when their transaction commits and sent just after, so two actions that
// commit close together (on one worker, or on two through Redis) can arrive in the opposite
// order. An event ahead of the next expected number waits this long for the ones before it;
// only a gap still open then (something really lost) costs a full resync.
export const REORDER_WAIT_MS = 1000;
const MAX_HELD = 500;  // a gap this deep will not fill: resync at once

function upsert(items, item) {
  const out = (items || []).filter((i) => i.id !== item.id);
  out.push(item);
  return out.sort((a, b) => a.id - b.id);
}

export function applyEvent(snap, env) {
  const s = structuredClone(snap);
  const { type, op, data } = env;
  const key = `${type}.${op}`;
  switch (key) {
    case "meeting.updated": s.meeting = data; break;
    case "meeting.private": s.private.meeting = data; break;
    case "rules.changed": s.rules = data; break;
    case "roster.upsert": s.roster = upsert(s.roster, data); break;
    case "roster.removed": s.roster = (s.roster || []).filter((i) => i.id !== data.id); break;
    case "people.upsert": s.private.people = upsert(s.private.people, data).filter((p) => !p.removed); break;
    case "me.updated": s.me = data; break;
    case "floor.updated": s.floor = data; break;
    case "hand.updated": s.hand = data; break;
    case "queue.updated": s.private.queue = data; break;
    case "balance.updated": s.private.balance = data; break;
    case "poll.upsert": s.polls = upsert(s.polls, data); break;
    case "poll.removed":
      s.polls = (s.polls || []).filter((i) => i.id !== data.id);
      if (s.my_votes) s.my_votes = s.my_votes.filter((v) => v.poll_id !== data.id);
      break;
    case "poll.private": s.private.polls = upsert(s.private.polls, data); break;
    case "poll.private_removed": s.private.polls = s.private.polls.filter((i) => i.id !== data.id); break;
    case "poll.mine":
      s.my_votes = [...(s.my_votes || []).filter((v) => v.poll_id !== data.poll_id), data].sort((a, b) => a.poll_id - b.poll_id);
      break;
    case "reactions.burst": break; // momentary: shown for a moment, never part of the state
    case "signals.updated": s.private.signals = data; break;
    case "signals.mine": s.my_signals = data; break;
    case "support.upsert": s.private.support = upsert(s.private.support, data); break;
    case "support.mine": s.support = data; break;
    case "drop_alert.upsert": s.private.drop_alerts = upsert(s.private.drop_alerts, data).filter((a) => a.open); break;
    case "contact_plan.upsert":
      s.private.contact_plans = [...s.private.contact_plans.filter((c) => c.participant_id !== data.participant_id),
        ...(data.given !== null || data.plan !== null ? [data] : [])].sort((a, b) => a.participant_id - b.participant_id);
      break;
    case "contact_plan.mine": s.my_contact = data; break;
    case "safety.settings": s.private.safety = data; break;
    case "agenda.updated": s.agenda = data; break;
    case "heard.updated": s.heard = data; break;
    case "agenda.private": s.private.agenda = data; break;
    default:
      if (BREAKOUT_TYPES.includes(type)) {
        if (!applyBreakoutEvent(s, env)) return null;
        break;
      }
      return null; // unknown to this client version: resync
  }
  if (env.seq !== null && env.seq !== undefined) s.seq[env.stream] = env.seq;
  return s;
}

export class Live {
  constructor(auth) {
    this.auth = auth;
    this.snapshot = null;
    this.clockOffsetMs = 0;
    this.listeners = new Set();
    this.statusListeners = new Set();
    this.eventListeners = new Set();
    this.buffer = [];
    this.held = new Map();  // stream -> Map(seq -> event), for events that arrived early
    this.heldCount = 0;
    this.gapTimer = null;
    this.syncing = false;
    this.status = "connecting";
    this.socket = io({ auth, transports: ["websocket", "polling"], reconnectionDelayMax: 5000 });
    this.socket.on("connect", () => { this.setStatus("syncing"); this.sync(); });
    this.socket.on("disconnect", (reason) => {
      // "io client disconnect" is our own leave; anything else is a drop we recover from.
      this.setStatus(reason === "io client disconnect" ? "closed" : "reconnecting");
      if (reason === "io server disconnect") this.setStatus("closed", { reason: "server" });
    });
    this.socket.on("connect_error", (err) => {
      const data = err && err.data;
      if (data && data.code) this.setStatus("refused", data);
      else this.setStatus("reconnecting");
    });
    this.socket.on("event", (env) => this.onEvent(env));
  }

  onChange(fn) { this.listeners.add(fn); if (this.snapshot) fn(this.snapshot, null); }
  onStatus(fn) { this.statusListeners.add(fn); fn(this.status, null); }
  onEvent_(fn) { this.eventListeners.add(fn); }

  setStatus(status, detail = null) {
    this.status = status;
    for (const fn of this.statusListeners) fn(status, detail);
  }

  async sync() {
    if (this.syncing) return;
    this.syncing = true;
    this.buffer = [];
    this.dropHeld();
    const sent = Date.now();
    const ack = await this.call("sync", {});
    this.syncing = false;
    // Clocks are drawn from server time: estimate this device's offset from the round trip.
    if (ack.ok && ack.server_time) this.clockOffsetMs = Date.parse(ack.server_time) - (sent + Date.now()) / 2;
    if (!ack.ok) {
      this.setStatus("refused", ack.error);
      return;
    }
    this.snapshot = ack.snapshot;
    const queued = this.buffer;
    this.buffer = [];
    this.setStatus("live");
    this.emitChange(null);
    for (const env of queued) this.onEvent(env);
  }

  onEvent(env) {
    if (this.syncing || !this.snapshot) { this.buffer.push(env); return; }
    if (env.stream === "gate") { this.sync(); return; }
    const have = this.snapshot.seq[env.stream];
    if (have === undefined) { this.sync(); return; }       // a stream we do not follow yet
    if (env.seq <= have) return;                           // already in the snapshot
    if (env.seq !== have + 1) { this.hold(env); return; }  // early: wait for the ones before it
    if (this.apply(env)) this.drain(env.stream);
  }

  // Apply one event in its turn; false when it could not be (a resync has started).
  apply(env) {
    const next = applyEvent(this.snapshot, env);
    if (next === null) { this.sync(); return false; }
    this.snapshot = next;
    for (const fn of this.eventListeners) fn(env, next);
    this.emitChange(env);
    return true;
  }

  hold(env) {
    if (!this.held.has(env.stream)) this.held.set(env.stream, new Map());
    const waiting = this.held.get(env.stream);
    if (!waiting.has(env.seq)) this.heldCount += 1;
    waiting.set(env.seq, env);
    if (this.heldCount > MAX_HELD) { this.sync(); return; }
    if (this.gapTimer === null) this.startGapWait();
  }

  // Apply what was waiting for the event just applied, for as long as the numbers follow on.
  drain(stream) {
    const waiting = this.held.get(stream);
    if (!waiting) return;
    let progressed = false;
    for (;;) {
      const want = this.snapshot.seq[stream] + 1;
      const env = waiting.get(want);
      if (env === undefined) break;
      waiting.delete(want);
      this.heldCount -= 1;
      if (!this.apply(env)) return;
      progressed = true;
    }
    if (waiting.size === 0) this.held.delete(stream);
    if (this.heldCount === 0) this.clearGapTimer();
    else if (progressed) this.startGapWait();  // what is still missing gets a full wait of its own
  }

  startGapWait() {
    this.clearGapTimer();
    this.gapTimer = setTimeout(() => this.gapExpired(), REORDER_WAIT_MS);
  }

  gapExpired() {
    this.gapTimer = null;
    if (this.heldCount > 0) this.sync();  // an event before the held ones is lost
  }

  clearGapTimer() {
    if (this.gapTimer !== null) clearTimeout(this.gapTimer);
    this.gapTimer = null;
  }

  dropHeld() {
    this.held = new Map();
    this.heldCount = 0;
    this.clearGapTimer();
  }

  emitChange(env) {
    for (const fn of this.listeners) fn(this.snapshot, env);
  }

  // Send an event; always resolves to an ack object, even on timeout or disconnect. A click in
  // the moment between the page loading and its first connection waits for that connection
  // (within the same time limit); once connected, a lost connection refuses at once, so nothing
  // stale is sent later.
  call(name, data = {}) {
    if (this.status === "connecting" && !this.socket.connected) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => { this.socket.off("connect", go); resolve(this.offline()); }, CALL_TIMEOUT_MS);
        const go = () => { clearTimeout(timer); resolve(this.call(name, data)); };
        this.socket.once("connect", go);
      });
    }
    return new Promise((resolve) => {
      if (!this.socket.connected) {
        resolve(this.offline());
        return;
      }
      this.socket.timeout(CALL_TIMEOUT_MS).emit(name, data, (err, ack) => {
        if (err) resolve({ ok: false, error: { code: "timeout", message: "The server did not answer in time. Please try again.", fields: {} } });
        else resolve(ack);
      });
    });
  }

  offline() {
    return { ok: false, error: { code: "offline", message: "You are offline right now; this will work again once you reconnect.", fields: {} } };
  }

  close() { this.socket.disconnect(); }
}
