// Small DOM helpers. Text is always set as text, never parsed as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    // Styles go through the CSSOM: the Content-Security-Policy forbids style attributes.
    else if (key === "style") Object.assign(el.style, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function $$(selector, root = document) {
  return Array.from(root.querySelectorAll(selector));
}

export function show(el, visible) {
  if (el) el.hidden = !visible;
}

// One polite live region per page; repeated identical messages are still announced.
let lastAnnounce = "";
export function announce(message, { assertive = false } = {}) {
  const region = document.getElementById(assertive ? "announce-assertive" : "announce-polite");
  if (!region) return;
  const text = message === lastAnnounce ? message + "\u00a0" : message;
  lastAnnounce = text;
  region.textContent = text;
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

export function formatClock(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const mm = String(minutes).padStart(hours ? 2 : 1, "0");
  const ss = String(seconds).padStart(2, "0");
  return hours ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function formatTime(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export const STATE_LABELS = {
  draft: "Not open yet",
  open: "Lobby open",
  live: "Live",
  paused: "On a break",
  ended: "Ended",
};

// Empties a field after its contents were sent and acknowledged, unless the person has typed
// something else into it meanwhile (the ack comes after the change's own event, so a quick
// typist may already be on the next entry).
export function clearIfUnchanged(el, sent) {
  if (el && el.value === sent) el.value = "";
}

// "1 room", "3 rooms".
export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// Redraw part of a panel without taking the keyboard away from the person: the control that had
// focus (marked with data-fkey, unique within `panel`) gets it back after `redraw` has run.
export function keepFocus(panel, redraw) {
  const active = document.activeElement;
  const key = active && panel && panel.contains(active) ? active.dataset.fkey : null;
  redraw();
  if (key) {
    const again = panel.querySelector(`[data-fkey="${CSS.escape(key)}"]`);
    if (again && again !== document.activeElement) again.focus();
  }
}
