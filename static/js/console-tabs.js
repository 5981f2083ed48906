// The console's tabs: everything that is not "now" (agenda, polls, breakouts, chat, ...), one
// tab each, as the ARIA tabs pattern has it (arrow keys, Home and End on the tab list; one tab
// in the Tab order), number keys 1-9 and 0 as single-key shortcuts, and badges for what is new
// or needs the facilitator. Any element with data-open-tab="<name>" opens that tab.
import { $, $$, show } from "./dom.js";

const STORE = "facilitator.console-tab";
const listeners = [];

function tabs() {
  return $$("#console-tabs [role=tab]");
}

export function currentTab() {
  const on = tabs().find((t) => t.getAttribute("aria-selected") === "true");
  return on ? on.dataset.consoleTab : null;
}

// Select a tab; `focus` moves the keyboard to it, `reveal` scrolls its panel into view (on a
// narrow window the tabs sit below the "now" column).
export function selectConsoleTab(name, { focus = false, reveal = false } = {}) {
  const list = tabs();
  if (!list.some((t) => t.dataset.consoleTab === name)) return;
  for (const t of list) {
    const on = t.dataset.consoleTab === name;
    t.setAttribute("aria-selected", on ? "true" : "false");
    t.tabIndex = on ? 0 : -1;
    show(document.getElementById(t.getAttribute("aria-controls")), on);
    if (on && focus) t.focus();
  }
  try { sessionStorage.setItem(STORE, name); } catch (e) { /* private mode: not remembered */ }
  if (reveal) {
    const area = $("#console-tabs-area");
    const box = area.getBoundingClientRect();
    // Just under the attention band (sticky at the top while something needs the facilitator).
    const band = $("#attention-band");
    const under = band && !band.hidden ? band.offsetHeight + 8 : 8;
    if (box.top > window.innerHeight * 0.6 || box.top < under) window.scrollTo({ top: window.scrollY + box.top - under });
  }
  for (const fn of listeners) fn(name);
}

export function onTabChange(fn) {
  listeners.push(fn);
}

// A badge on a tab: text (short: "3 new", "open", "help") and a tone ("calm", "warn", "alert");
// an empty text hides it.
export function setBadge(name, text, tone = "calm") {
  const badge = document.getElementById(`badge-${name}`);
  if (!badge) return;
  badge.textContent = text ? ` ${text}` : "";
  badge.dataset.tone = tone;
  show(badge, Boolean(text));
}

export function setupConsoleTabs() {
  const list = tabs();
  if (!list.length) return;
  const names = list.map((t) => t.dataset.consoleTab);
  for (const t of list) {
    t.addEventListener("click", () => selectConsoleTab(t.dataset.consoleTab, { reveal: true }));
    t.addEventListener("keydown", (e) => {
      const i = names.indexOf(t.dataset.consoleTab);
      let next = null;
      if (e.key === "ArrowRight" || e.key === "ArrowDown") next = names[(i + 1) % names.length];
      else if (e.key === "ArrowLeft" || e.key === "ArrowUp") next = names[(i + names.length - 1) % names.length];
      else if (e.key === "Home") next = names[0];
      else if (e.key === "End") next = names[names.length - 1];
      if (next) { e.preventDefault(); e.stopPropagation(); selectConsoleTab(next, { focus: true }); }
    });
  }
  document.addEventListener("click", (e) => {
    const opener = e.target.closest && e.target.closest("[data-open-tab]");
    if (!opener) return;
    e.preventDefault();
    selectConsoleTab(opener.dataset.openTab, { focus: true, reveal: true });
  });
  // Single-key shortcuts, under the same switch and rules as N, E, R and A (console-floor.js).
  document.addEventListener("keydown", (e) => {
    const on = $("#shortcuts-on");
    if ((on && !on.checked) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest && e.target.closest("input, textarea, select, [contenteditable]")) return;
    const tab = list.find((t) => t.getAttribute("aria-keyshortcuts") === e.key);
    if (!tab) return;
    e.preventDefault();
    selectConsoleTab(tab.dataset.consoleTab, { focus: true, reveal: true });
  });
  let saved = null;
  try { saved = sessionStorage.getItem(STORE); } catch (e) { /* not remembered */ }
  const fromHash = location.hash.startsWith("#tp-") ? location.hash.slice(4) : null;
  selectConsoleTab(fromHash && names.includes(fromHash) ? fromHash : saved && names.includes(saved) ? saved : names[0]);
}
