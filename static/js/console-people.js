// People in the console: the compact strip in the "now" column (everyone present: connection,
// mic and camera, hand, spoken or not yet, standing signals) and the full table in the People
// tab (ground rules, "speaking now", remove). Announces arrivals, drops and departures.
import { $, h, show, announce, formatTime, keepFocus } from "./dom.js";
import { send } from "./acting.js";
import { connectionNote, ordinal, talkTotals } from "./floor-view.js";
import { floorAct } from "./console-floor.js";
import { signalName } from "./signals-names.js";

const PRESENCE = {
  connected: ["Connected", "ok"],
  reconnecting: ["Reconnecting", "warn"],
  left: ["Left", "off"],
};
const SVG = "http://www.w3.org/2000/svg";
// Outline icons (24x24): a microphone and a camera; "off" adds a slash.
const ICONS = {
  mic: ["M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z", "M6 11a6 6 0 0 0 12 0M12 17v4M9 21h6"],
  camera: ["M3 7h12v10H3z", "M15 10l6-3v10l-6-3z"],
};

function icon(kind, on) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", `icon ${on ? "on" : "off"}`);
  for (const d of ICONS[kind].concat(on ? [] : ["M3 3l18 18"])) {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

function rulesStatus(p, version) {
  if (p.rules_version_acked === null || p.rules_version_acked === undefined) return ["Reading the rules", "warn"];
  if (p.rules_version_acked < version) return ["Needs to accept the new rules", "warn"];
  return [`Accepted ${formatTime(p.rules_acked_at)}`, "ok"];
}

export function setupConsolePeople(live) {
  const announceMemo = new Map();

  function strip(snap) {
    const people = snap.private.people.filter((p) => p.presence !== "left" && !p.removed);
    const totals = talkTotals(live, snap);
    const hands = new Map(snap.private.queue.hands.map((hand, i) => [hand.participant_id, i + 1]));
    const signals = new Map();
    for (const s of (snap.private.signals && snap.private.signals.signals) || []) {
      if (!signals.has(s.participant_id)) signals.set(s.participant_id, []);
      signals.get(s.participant_id).push(s.kind);
    }
    const speaker = snap.floor && snap.floor.speaker ? snap.floor.speaker.participant_id : null;
    const version = snap.rules.version;
    $("#people-strip").replaceChildren(...people.map((p) => {
      const [presence, tone] = PRESENCE[p.presence] || [p.presence, "off"];
      const turns = (totals.get(p.id) || {}).turns || 0;
      const marks = [];
      if (p.id === speaker) marks.push(h("span", { class: "mark speaking" }, "Speaking"));
      if (hands.has(p.id)) marks.push(h("span", { class: "mark hand" }, `Hand ${ordinal(hands.get(p.id))}`));
      if (p.role === "participant") {
        if (p.rules_version_acked === null || p.rules_version_acked < version) marks.push(h("span", { class: "mark off" }, "Reading the rules"));
        else if (!turns && p.id !== speaker) marks.push(h("span", { class: "mark notyet" }, "Not spoken"));
        else if (p.id !== speaker) marks.push(h("span", { class: "visually-hidden" }, `${turns} ${turns === 1 ? "turn" : "turns"}`));
      } else marks.push(h("span", { class: "mark off" }, "Observer"));
      for (const kind of signals.get(p.id) || []) marks.push(h("span", { class: `mark signal ${kind}` }, signalName(kind)));
      return h("li", { class: `pchip presence-${p.presence}${p.id === speaker ? " is-speaking" : ""}`, dataset: { personId: p.id } },
        h("span", { class: "pchip-top" },
          h("span", { class: `dot ${tone}`, "aria-hidden": "true" }),
          h("span", { class: "pchip-name" }, p.name),
          h("span", { class: `visually-hidden` }, `: ${presence},`),
          // While reconnecting, mic and camera are last known only: the state says more.
          p.presence === "reconnecting" ? h("span", { class: "mark warn pchip-av", "aria-hidden": "true" }, "Reconnecting")
            : h("span", { class: "pchip-av" },
              icon("mic", p.mic === "on"), icon("camera", p.camera === "on"),
              h("span", { class: "visually-hidden" }, `${p.mic === "on" ? "mic on" : "muted"}, ${p.camera === "on" ? "camera on" : "camera off"},`))),
        h("span", { class: "pchip-marks" }, ...marks));
    }));
    show($("#strip-empty"), people.length === 0);
    const here = people.filter((p) => p.presence === "connected").length;
    $("#strip-count").textContent = `(${people.length})`;
    const parts = [`${here} connected`];
    const away = people.length - here;
    if (away) parts.push(`${away} reconnecting`);
    const counts = (snap.private.signals && snap.private.signals.counts) || {};
    if (counts.need_break) parts.push(`${counts.need_break} ${counts.need_break === 1 ? "needs" : "need"} a break`);
    $("#strip-summary").textContent = parts.join(" · ");
  }

  // "Speaking now": someone speaks up without a hand; this records the turn (gives them the floor).
  function speakButton(snap, p) {
    if (p.role !== "participant" || !snap.floor) return null;
    const speaking = Boolean(snap.floor.speaker && snap.floor.speaker.participant_id === p.id);
    const away = connectionNote(snap, p.id);
    // Unavailable while they speak or a go-round runs: aria-disabled, not disabled, so a button
    // just pressed keeps the keyboard (and says "has the floor").
    const off = speaking || Boolean(snap.floor.goround);
    const button = h("button", { type: "button", class: "button small", dataset: { fkey: `speak-${p.id}` },
      "aria-disabled": off ? "true" : null,
      "aria-label": speaking ? `${p.name} has the floor` : `${p.name}${away ? ` (${away})` : ""} is speaking: give them the floor`,
      onclick: () => { if (!off) floorAct(live, "floor.call", { participant_id: p.id }); } }, speaking ? "Speaking" : "Speaking now");
    return [button, " "];
  }

  function table(snap, env) {
    const people = snap.private.people;
    const version = snap.rules.version;
    const rows = $("#people");
    // Drawn again on every change: the keyboard stays on the same button (data-fkey).
    keepFocus(rows, () => rows.replaceChildren(...people.map((p) => {
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
        h("td", {}, speakButton(snap, p), h("button", { type: "button", class: "button small quiet", dataset: { fkey: `remove-${p.id}` },
          "aria-label": `Remove ${p.name} from the session`, onclick: () => removePerson(p) }, "Remove")));
    })));
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

  async function removePerson(p) {
    if (!window.confirm(`Remove ${p.name} from the session? Their link will stop working.`)) return;
    await send(live, "participant.remove", { participant_id: p.id }, { done: `${p.name} was removed.` });
  }

  live.onChange((snap, env) => {
    if (!snap.private || !snap.private.people) return;
    table(snap, env);
    if (snap.floor && snap.private.queue) strip(snap);
  });
}
