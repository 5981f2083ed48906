// Tabs, as the WAI-ARIA tabs pattern has them: one tab list, automatic activation (arrow keys
// move and select; Home and End go to the ends; hidden tabs are skipped), a roving tabindex (only
// the selected tab is in the Tab order), aria-selected, and each tab's panel (aria-controls)
// shown or hidden with it. Used by the console's panels, the chat's inner tabs and the room.
//
//   const t = setupTabs(listEl, { key: "tab", upDown: false, onSelect: (name, how) => {} });
//   t.select(name, { focus })   select a tab by name; `focus` moves the keyboard to it
//   t.selected()                the selected tab's name (or null)
//   t.tabs()                    the tab elements
//   t.setBadge(name, text, tone = "calm", spoken = text)
//
// A tab's name is its data-<key> attribute (data-tab by default; key is the dataset name, e.g.
// "consoleTab" for data-console-tab). onSelect runs after every selection, with how it came:
// "click", "key" (arrow keys, Home, End) or "code" (select() called by a script).
// upDown: the Up and Down arrows move too (Left and Right always do).
//
// Badges, one scheme everywhere: the tab with id="X" holds <span class="tab-badge" id="X-badge"
// hidden></span>. setBadge shows `text` there (aria-hidden) followed by a visually hidden
// ", <spoken>", so a screen reader hears it as part of the tab's name ("Chat, 2 new"); `tone`
// ("calm", "warn", "alert") goes to data-tone for the colour; an empty text hides the badge.
import { $$ } from "./dom.js";

export function setBadgeOn(tab, text, tone = "calm", spoken = null) {
  const badge = tab && document.getElementById(`${tab.id}-badge`);
  if (!badge) return;
  const on = Boolean(text);
  badge.hidden = !on;
  badge.dataset.tone = tone || "calm";
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

export function setupTabs(list, { key = "tab", upDown = false, onSelect = null } = {}) {
  const tabs = () => $$("[role=tab]", list);
  const nameOf = (t) => t.dataset[key];
  const find = (name) => tabs().find((t) => nameOf(t) === name) || null;

  function select(name, { focus = false } = {}, how = "code") {
    const chosen = find(name);
    if (!chosen) return;
    for (const t of tabs()) {
      const on = t === chosen;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(t.getAttribute("aria-controls"));
      if (panel) panel.hidden = !on;
    }
    if (focus) chosen.focus();
    if (onSelect) onSelect(name, how);
  }

  function selected() {
    const on = tabs().find((t) => t.getAttribute("aria-selected") === "true");
    return on ? nameOf(on) : null;
  }

  list.addEventListener("click", (e) => {
    const t = e.target.closest("[role=tab]");
    if (t && list.contains(t)) select(nameOf(t), {}, "click");
  });
  list.addEventListener("keydown", (e) => {
    const all = tabs().filter((t) => !t.hidden);
    const i = all.indexOf(e.target.closest && e.target.closest("[role=tab]"));
    if (i < 0 || e.ctrlKey || e.metaKey || e.altKey) return;
    const forward = e.key === "ArrowRight" || (upDown && e.key === "ArrowDown");
    const back = e.key === "ArrowLeft" || (upDown && e.key === "ArrowUp");
    let next = null;
    if (forward) next = all[(i + 1) % all.length];
    else if (back) next = all[(i + all.length - 1) % all.length];
    else if (e.key === "Home") next = all[0];
    else if (e.key === "End") next = all[all.length - 1];
    if (!next) return;
    e.preventDefault();
    e.stopPropagation();
    select(nameOf(next), { focus: true }, "key");
  });

  return {
    select: (name, opts = {}) => select(name, opts, "code"),
    selected,
    tabs,
    setBadge: (name, text, tone = "calm", spoken = null) => setBadgeOn(find(name), text, tone, spoken),
  };
}
