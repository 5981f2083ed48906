// The ground rules, participant side: the gate (someone who never accepted reads and accepts
// before the room), the rules in their tab, and the rule-change card over the room when they
// change (what changed marked against the version this browser last saw accepted). Also which
// view a snapshot puts the person in, which the room's other panels ask before drawing.
import { $, show, announce } from "./dom.js";
import { send } from "./acting.js";
import { wantNow } from "./room-now.js";
import { setBadge } from "./room-tabs.js";
import { renderRules } from "./rules-view.js";

// "removed", "ended", "gate" or "room". Only someone who has never accepted is held at the gate
// (the server, audience.standing, lets in anyone who accepted any version). A later change is
// shown over the room: the speaker keeps the floor, and everyone keeps the room while they read.
export function roomView(snap) {
  const { meeting, me } = snap;
  if (me.removed) return "removed";
  if (meeting.state === "ended") return "ended";
  if (snap.gate || me.rules_version_acked === null) return "gate";
  return "room";
}

export function setupRoomRules(live) {
  const code = $("#room").dataset.code;
  // The rules as this browser last saw them accepted, to mark what changed when they change (kept
  // across reloads: someone who reloads while a change waits still sees what is new).
  const RULES_KEY = `facilitator:rules:${code}`;
  function acceptedRules() {
    try { return JSON.parse(localStorage.getItem(RULES_KEY) || "null"); } catch { return null; }
  }
  function keepAcceptedRules(rules) {
    try { localStorage.setItem(RULES_KEY, JSON.stringify({ version: rules.version, items: rules.items })); } catch { /* private mode */ }
  }

  let changeShownFor = null;  // the rules version whose change is on screen
  let keptVersion = null;     // the rules version last kept as accepted

  live.onChange((snap) => {
    const { rules, me } = snap;
    const view = roomView(snap);
    if (view === "gate") { renderRules($("#gate-rules"), rules); return; }
    if (view !== "room") return;
    renderRules($("#room-rules"), rules);
    const stale = me.rules_version_acked < rules.version;
    if (!stale && keptVersion !== rules.version) { keepAcceptedRules(rules); keptVersion = rules.version; }
    renderRulesChange(snap, stale);
  });

  function renderRulesChange(snap, stale) {
    const { rules } = snap;
    const card = $("#rules-change");
    setBadge("rules", stale ? "!" : "", "changed, please accept");
    $("#rules-room-note").textContent = stale
      ? "These rules changed. Please accept them (at the top of the page)."
      : "The rules everyone in this session accepted.";
    if (!stale) { changeShownFor = null; wantNow(card, false); return; }
    if (changeShownFor !== rules.version) {
      const before = acceptedRules();
      const accepted = before && before.version < rules.version ? before.items : null;
      renderRules($("#change-rules"), rules, accepted, { only: "changed" });
      renderRules($("#change-all-rules"), rules, accepted);
      // Without the earlier version (another browser), the whole list is shown, nothing marked.
      $("#gate-changed").textContent = accepted
        ? "Please read what changed (marked below) and accept. You stay in the session while you read."
        : "Please read them again and accept. You stay in the session while you read.";
      show($("#change-all"), Boolean(accepted));
      if (changeShownFor === null) {
        announce("The ground rules have changed. Please read what changed, at the top of the page, and accept. You stay in the session.", { assertive: true });
      }
      changeShownFor = rules.version;
    }
    wantNow(card, true);
  }

  async function acceptRules(button, error, done) {
    const snap = live.snapshot;
    if (!snap) return;
    button.disabled = true;
    const ack = await send(live, "rules.ack", { version: snap.rules.version }, { error, done });
    button.disabled = false;
    if (!ack.ok) {
      if (ack.error && ack.error.code === "rules_changed") live.sync();
      return;
    }
    keepAcceptedRules(snap.rules);
    await live.sync(); // enter the room (or refresh it): the server moves this connection in
  }
  $("#accept").addEventListener("click", () => acceptRules($("#accept"), $("#gate-error"), "Thank you. You are in the session."));
  $("#accept-change").addEventListener("click", async () => {
    await acceptRules($("#accept-change"), $("#rules-change-error"), "Thank you. You accepted the changed rules.");
    if ($("#rules-change").contains(document.activeElement) || document.activeElement === document.body) $("#room-title").focus();
  });
}
