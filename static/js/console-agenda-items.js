// The agenda's items in the console: each row (start, move up or down, edit, remove, minutes),
// rebuilt only when its data changed, carrying over what is being typed and the focus.
import { $, h, show, announce } from "./dom.js";
import { send } from "./acting.js";
import { KIND_NAMES, minutes, presenterText } from "./agenda-view.js";
import { otherName, presenterData, presenterOptions } from "./console-agenda-presenter.js";
import { field, minutesBox } from "./console-agenda-minutes.js";

const STATE_NAMES = { pending: "", running: "Running now", done: "Done" };

export function setupAgendaItems(live) {
  const rows = new Map();        // item id -> { sig, li }
  const openMinutes = new Set(); // items whose minutes are open
  const editing = new Set();     // items whose edit form is open
  const snap = () => live.snapshot;
  const act = (name, data, opts = {}) => send(live, name, data, { error: $("#agenda-error"), ...opts });
  const minutesOf = (id) => snap().private.agenda.minutes.find((m) => m.item_id === id);
  const toggleEdit = (id) => { editing.has(id) ? editing.delete(id) : editing.add(id); render(snap(), true); };

  async function move(item, delta) {
    const ids = snap().agenda.items.map((i) => i.id);
    const at = ids.indexOf(item.id);
    const to = at + delta;
    if (to < 0 || to >= ids.length) return;
    [ids[at], ids[to]] = [ids[to], ids[at]];
    await act("agenda.reorder", { item_ids: ids }, { done: `Moved “${item.title}” to position ${to + 1}.` });
  }

  function editForm(item) {
    const kind = field(`kind-${item.id}`, h("select", { id: `edit-kind-${item.id}`, name: "kind" },
      ...Object.entries(KIND_NAMES).map(([value, name]) => h("option", { value }, name))));
    kind.value = item.kind;
    const presenter = h("select", { id: `edit-presenter-${item.id}`, name: "presenter_id" });
    presenterOptions(snap(), presenter, item);
    const otherLabel = h("label", { for: `edit-pname-${item.id}` }, "Presenter's name");
    const other = field(`pname-${item.id}`, h("input", { id: `edit-pname-${item.id}`, name: "presenter_name", maxlength: 80,
      value: item.presenter && !item.presenter.participant_id ? item.presenter.name : "" }));
    presenter.addEventListener("change", () => otherName(presenter, other, otherLabel));
    otherName(presenter, other, otherLabel);
    const title = field(`title-${item.id}`, h("input", { id: `edit-title-${item.id}`, name: "title", maxlength: 120, value: item.title }));
    const mins = field(`mins-${item.id}`, h("input", { id: `edit-mins-${item.id}`, name: "planned_seconds", type: "number", min: 1, max: 480,
      inputmode: "numeric", value: String(Math.round(item.planned_seconds / 60)) }));
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    const form = h("form", { class: "stack agenda-edit", novalidate: true },
      h("label", { for: title.id }, "Title"), title,
      h("label", { for: kind.id }, "Kind"), kind,
      h("label", { for: mins.id }, "Time box (minutes)"), mins,
      h("label", { for: presenter.id }, "Presenter"), presenter, otherLabel, other, error,
      h("div", { class: "button-row" },
        h("button", { type: "submit", class: "button small primary" }, "Save item"),
        h("button", { type: "button", class: "button small quiet", onclick: () => toggleEdit(item.id) }, "Cancel")));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const ack = await send(live, "agenda.update", { item_id: item.id, title: title.value.trim(), kind: kind.value,
        planned_seconds: Math.round(Number(mins.value) * 60), ...presenterData(presenter, other) }, { error, form });
      if (ack.ok) { editing.delete(item.id); render(snap(), true); announce("Item saved."); }
    });
    return form;
  }

  function itemRow(item, index, count) {
    const running = item.state === "running";
    const spent = item.state === "done" ? ` · took ${minutes(item.actual_seconds)}` : "";
    const presenter = presenterText(item);
    return h("li", { class: `agenda-item state-${item.state}${item.kind === "break" ? " is-break" : ""}`,
      dataset: { itemId: item.id }, "aria-current": running ? "step" : null },
      h("div", { class: "agenda-item-head" },
        h("span", { class: "agenda-title" }, item.title),
        h("span", { class: "chip off" }, KIND_NAMES[item.kind]),
        presenter ? h("span", { class: "hint" }, presenter) : null,
        h("span", { class: "hint" }, `${minutes(item.planned_seconds + item.extended_seconds)}${spent}`),
        STATE_NAMES[item.state] ? h("span", { class: `chip ${running ? "ok" : "off"}` }, STATE_NAMES[item.state]) : null),
      h("div", { class: "button-row agenda-item-actions" },
        running ? null : h("button", { type: "button", class: "button small", "aria-label": `Start ${item.title} now`,
          onclick: () => act("agenda.start", { item_id: item.id }, { done: `${item.title} started.` }) }, "Start"),
        h("button", { type: "button", class: "button small quiet", "aria-label": `Move ${item.title} up`, disabled: index === 0,
          dataset: { focusKey: `up-${item.id}` }, onclick: () => move(item, -1) }, "Up"),
        h("button", { type: "button", class: "button small quiet", "aria-label": `Move ${item.title} down`,
          disabled: index === count - 1, dataset: { focusKey: `down-${item.id}` }, onclick: () => move(item, 1) }, "Down"),
        h("button", { type: "button", class: "button small quiet", "aria-label": `Edit ${item.title}`, "aria-expanded": editing.has(item.id) ? "true" : "false",
          onclick: () => toggleEdit(item.id) }, "Edit"),
        item.state === "pending" ? h("button", { type: "button", class: "button small quiet", "aria-label": `Remove ${item.title}`,
          onclick: () => act("agenda.remove", { item_id: item.id }, { done: `Removed ${item.title}.` }) }, "Remove") : null),
      editing.has(item.id) ? editForm(item) : null,
      minutesBox(live, item, minutesOf(item.id) || { notes: "", decisions: [], actions: [] }, openMinutes));
  }

  function ownerNames(s) {
    let list = $("#agenda-owner-names");
    if (!list) { list = h("datalist", { id: "agenda-owner-names" }); $("#agenda-panel").append(list); }
    list.replaceChildren(...s.private.people.filter((p) => p.role === "participant").map((p) => h("option", { value: p.name })));
  }

  function render(s, force = false) {
    const items = s.agenda.items;
    const focused = document.activeElement;
    const focusKey = focused && (focused.dataset.key || focused.dataset.focusKey);
    const keep = new Map();
    items.forEach((item, index) => {
      const sig = JSON.stringify([item, minutesOf(item.id), index, items.length, editing.has(item.id),
        s.private.people.length]);
      const old = rows.get(item.id);
      if (old && old.sig === sig && !force) { keep.set(item.id, old); return; }
      const li = itemRow(item, index, items.length);
      if (old) {
        for (const el of old.li.querySelectorAll("[data-key]")) {
          const twin = li.querySelector(`[data-key="${el.dataset.key}"]`);
          if (twin && el.value !== el.defaultValue) twin.value = el.value;
        }
      }
      keep.set(item.id, { sig, li });
    });
    rows.clear();
    for (const [id, row] of keep) rows.set(id, row);
    $("#agenda-list").replaceChildren(...[...keep.values()].map((r) => r.li));
    if (focused && focused.isConnected) {
      if (document.activeElement !== focused) focused.focus();
    } else if (focusKey) {
      const again = document.querySelector(`[data-key="${focusKey}"], [data-focus-key="${focusKey}"]`);
      if (again) again.focus();
    }
    show($("#agenda-empty"), items.length === 0);
    ownerNames(s);
  }
  return render;
}
