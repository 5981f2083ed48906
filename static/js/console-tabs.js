// The console's tabs: everything that is not "now" (agenda, polls, breakouts, chat, ...), one
// tab each, as the ARIA tabs pattern has it (arrow keys, Home and End on the tab list; one tab
// in the Tab order), number keys 1-9 and 0 as single-key shortcuts, and badges for what is new
// or needs the facilitator. Any element with data-open-tab="<name>" opens that tab.
import { $ } from "./dom.js";
import { setupTabs } from "./tabs.js";

const STORE = "facilitator.console-tab";
const listeners = [];
let tabset = null;   // tabs.js over #console-tabs

export function currentTab() {
  return tabset ? tabset.selected() : null;
}

// Just under the attention band (sticky at the top while something needs the facilitator): on a
// narrow window the tabs' panels sit below the "now" column.
function revealPanel() {
  const area = $("#console-tabs-area");
  const box = area.getBoundingClientRect();
  const band = $("#attention-band");
  const under = band && !band.hidden ? band.offsetHeight + 8 : 8;
  if (box.top > window.innerHeight * 0.6 || box.top < under) window.scrollTo({ top: window.scrollY + box.top - under });
}

// Select a tab; `focus` moves the keyboard to it, `reveal` scrolls its panel into view.
export function selectConsoleTab(name, { focus = false, reveal = false } = {}) {
  if (!tabset || !tabset.tabs().some((t) => t.dataset.consoleTab === name)) return;
  tabset.select(name, { focus });
  if (reveal) revealPanel();
}

export function onTabChange(fn) {
  listeners.push(fn);
}

// A badge on a tab: text (short: "3 new", "open", "help") and a tone ("calm", "warn", "alert");
// an empty text hides it (tabs.js: #tab-<name>-badge).
export function setBadge(name, text, tone = "calm") {
  if (tabset) tabset.setBadge(name, text, tone);
}

export function setupConsoleTabs() {
  const listEl = $("#console-tabs");
  if (!listEl) return;
  tabset = setupTabs(listEl, {
    key: "consoleTab",
    upDown: true,
    onSelect: (name, how) => {
      try { sessionStorage.setItem(STORE, name); } catch (e) { /* private mode: not remembered */ }
      if (how === "click") revealPanel();
      for (const fn of listeners) fn(name);
    },
  });
  // The tab list's height in --tabs-h: console.css keeps focus from hiding behind it.
  const measure = () => document.documentElement.style.setProperty("--tabs-h", `${listEl.offsetHeight}px`);
  if (window.ResizeObserver) new ResizeObserver(measure).observe(listEl);
  measure();
  const list = tabset.tabs();
  const names = list.map((t) => t.dataset.consoleTab);
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
