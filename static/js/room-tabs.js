// The room's tabs (chat, polls, agenda, rules, people): a WAI-ARIA tablist with automatic
// activation (arrow keys move and select, Home and End go to the ends), and a badge per tab for
// what is new there (read out as part of the tab's name: "Chat, 2 new").
import { $, $$ } from "./dom.js";

const selectListeners = new Set();

function tabs() {
  return $$("#room-tabs [role=tab]");
}

export function selectedTab() {
  const tab = tabs().find((t) => t.getAttribute("aria-selected") === "true");
  return tab ? tab.dataset.tab : null;
}

export function selectTab(name, { focus = false } = {}) {
  let chosen = null;
  for (const tab of tabs()) {
    const on = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", on ? "true" : "false");
    tab.tabIndex = on ? 0 : -1;
    const panel = document.getElementById(tab.getAttribute("aria-controls"));
    if (panel) panel.hidden = !on;
    if (on) chosen = tab;
  }
  if (chosen && focus) chosen.focus();
  for (const fn of selectListeners) fn(name);
}

export function onTabSelect(fn) {
  selectListeners.add(fn);
}

// Show `text` as the tab's badge ("" or null hides it); `spoken` is what a screen reader hears.
export function setBadge(name, text, spoken = null) {
  const badge = $(`#tab-${name}-badge`);
  if (!badge) return;
  const on = Boolean(text);
  badge.hidden = !on;
  badge.replaceChildren();
  if (!on) return;
  const visible = document.createElement("span");
  visible.setAttribute("aria-hidden", "true");
  visible.textContent = text;
  const heard = document.createElement("span");
  heard.className = "visually-hidden";
  heard.textContent = `, ${spoken || text}`;
  badge.append(visible, heard);
}

// Show or hide a whole tab (for example, none for observers that they cannot use).
export function showTab(name, visible) {
  const tab = $(`#tab-${name}`);
  if (!tab) return;
  tab.hidden = !visible;
  if (!visible && selectedTab() === name) selectTab("chat");
}

export function setupTabs() {
  const list = $("#room-tabs");
  // Chosen by the person: bring the panel up under the (sticky) tabs if it starts low on the screen.
  function reveal(name) {
    const panel = $(`#panel-${name}`);
    const top = panel.getBoundingClientRect().top;
    if (top > window.innerHeight * 0.4) {
      window.scrollTo({ top: window.scrollY + top - list.offsetHeight - 8, behavior: "instant" });
    }
  }
  list.addEventListener("click", (e) => {
    const tab = e.target.closest("[role=tab]");
    if (tab) { selectTab(tab.dataset.tab); reveal(tab.dataset.tab); }
  });
  list.addEventListener("keydown", (e) => {
    const all = tabs().filter((t) => !t.hidden);
    const i = all.indexOf(document.activeElement);
    if (i < 0) return;
    let next = null;
    if (e.key === "ArrowRight") next = all[(i + 1) % all.length];
    else if (e.key === "ArrowLeft") next = all[(i - 1 + all.length) % all.length];
    else if (e.key === "Home") next = all[0];
    else if (e.key === "End") next = all[all.length - 1];
    if (!next) return;
    e.preventDefault();
    selectTab(next.dataset.tab, { focus: true });
    reveal(next.dataset.tab);
  });
}
