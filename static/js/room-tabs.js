// The room's tabs (chat, polls, agenda, rules, people), on the shared tabs.js (the WAI-ARIA tabs
// pattern: arrow keys move and select, Home and End go to the ends, a roving tabindex, a badge per
// tab read out as part of its name: "Chat, 2 new"). What is the room's own: the tab list sticks to
// the top of the screen while a panel scrolls (room.css), a tab chosen by the person brings its
// panel up under it, and the room's panels can listen for the selected tab.
import { $ } from "./dom.js";
import { setupTabs as setupSharedTabs, setBadgeOn } from "./tabs.js";

const selectListeners = new Set();

export function selectedTab() {
  const tab = $("#room-tabs [role=tab][aria-selected=true]");
  return tab ? tab.dataset.tab : null;
}

export function onTabSelect(fn) {
  selectListeners.add(fn);
}

// Show `text` as the tab's badge ("" or null hides it); `spoken` is what a screen reader hears.
// The room's badges all ask for attention (room.css colours them alike).
export function setBadge(name, text, spoken = null) {
  setBadgeOn(document.getElementById(`tab-${name}`), text, "alert", spoken);
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
  setupSharedTabs(list, {
    onSelect: (name, how) => {
      if (how !== "code") reveal(name);
      for (const fn of selectListeners) fn(name);
    },
  });
}
