// The agenda in the console: run it (start, next, previous, extend, stop; a go-round for a
// check-in), the break prompt, edit and reorder items, minutes per item (notes, decisions,
// actions), and the "what I heard" summary. Clocks come from stored deadlines and server time.
import { $, h, show, announce, clearIfUnchanged, formatTime } from "./dom.js";
import { presentParticipants, serverNow } from "./floor-view.js";
import { KIND_NAMES, clockText, minutes, plannedEnd, presenterText, runningItem, secondsLeft, secondsSpent } from "./agenda-view.js";

const SNOOZE_MS = 10 * 60 * 1000;
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
const STATE_NAMES = { pending: "", running: "Running now", done: "Done" };

export function setupConsoleAgenda(live) {
  if (!$("#agenda-panel")) return;
  const rows = new Map();        // item id -> { sig, li }
  const openMinutes = new Set(); // items whose minutes are open
  const editing = new Set();     // items whose edit form is open
  let snoozedUntil = 0;
  let overAnnounced = null;

  async function act(name, data = {}, errorEl = $("#agenda-error")) {
    const ack = await live.call(name, data);
    errorEl.hidden = ack.ok;
    if (!ack.ok) {
      const fields = Object.values(ack.error.fields || {}).flat().filter((x) => typeof x === "string");
      errorEl.textContent = fields.length ? `${ack.error.message} ${fields.join(" ")}` : ack.error.message;
      announce(errorEl.textContent, { assertive: true });
    }
    return ack;
  }

  const snap = () => live.snapshot;
  const currentId = () => (snap().agenda ? snap().agenda.current_id : null);
  const minutesOf = (id) => snap().private.agenda.minutes.find((m) => m.item_id === id);

  // ---- running ------------------------------------------------------------------------------
  $("#agenda-next").addEventListener("click", async () => {
    const ack = await act("agenda.next", { current_id: currentId() });
    if (ack.ok) announce(ack.item_id ? "Next item started." : "That was the last item: the agenda is done.");
  });
  $("#agenda-begin").addEventListener("click", async () => {
    const ack = await act("agenda.next", { current_id: null });
    if (ack.ok) announce("The agenda has started.");
  });
  $("#agenda-prev").addEventListener("click", async () => {
    const ack = await act("agenda.previous", { current_id: currentId() });
    if (ack.ok) announce("Back to the previous item.");
  });
  $("#agenda-extend").addEventListener("click", async () => {
    const ack = await act("agenda.extend", { seconds: 300 });
    if (ack.ok) announce("Five more minutes for this item.");
  });
  $("#agenda-stop").addEventListener("click", async () => {
    const ack = await act("agenda.stop");
    if (ack.ok) announce("The agenda clock is stopped.");
  });
  $("#agenda-goround").addEventListener("click", async () => {
    const ids = presentParticipants(snap()).map((p) => p.id);
    if (!ids.length) { announce("Nobody is here for a go-round yet.", { assertive: true }); return; }
    const seconds = Number(($("#round-seconds") || {}).value) || 60;
    const ack = await act("goround.start", { participant_ids: ids, seconds, shuffle: false });
    if (ack.ok) announce("Go-round started.");
  });

  // ---- break prompt -------------------------------------------------------------------------
  $("#agenda-add-break").addEventListener("click", async () => {
    const ack = await act("agenda.add", { title: "Break", kind: "break", planned_seconds: 600, after_id: currentId() });
    if (ack.ok) announce("A 10-minute break is next on the agenda.");
  });
  $("#agenda-break-later").addEventListener("click", () => {
    snoozedUntil = Date.now() + SNOOZE_MS;
    tick();
    $("#agenda-next").focus();
  });
  $("#agenda-settings-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const ack = await act("agenda.settings", { break_after_minutes: Number($("#agenda-break-after").value) });
    if (ack.ok) announce("Break reminder saved.");
  });

  // ---- adding -------------------------------------------------------------------------------
  function presenterOptions(select, item = null) {
    const people = snap().private.people.filter((p) => p.role === "participant");
    const chosen = item && item.presenter ? (item.presenter.participant_id ? String(item.presenter.participant_id) : "other") : "";
    select.replaceChildren(h("option", { value: "" }, "Nobody in particular"),
      ...people.map((p) => h("option", { value: String(p.id) }, p.name)),
      h("option", { value: "other" }, "Someone else (type a name)"));
    select.value = chosen;
  }
  function presenterData(select, nameInput) {
    if (select.value === "other") return { presenter_id: null, presenter_name: nameInput.value.trim() || null };
    return { presenter_id: select.value ? Number(select.value) : null, presenter_name: null };
  }
  function otherName(select, input, label) {
    const other = select.value === "other";
    show(input, other);
    if (label) show(label, other);
  }
  $("#agenda-presenter").addEventListener("change", () =>
    otherName($("#agenda-presenter"), $("#agenda-presenter-name"), $("#agenda-presenter-name-label")));
  $("#agenda-add-box").addEventListener("toggle", () => {
    if ($("#agenda-add-box").open) presenterOptions($("#agenda-presenter"));
  });
  $("#agenda-add-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = { title: $("#agenda-title").value.trim(), kind: $("#agenda-kind").value,
      planned_seconds: Math.round(Number($("#agenda-minutes").value) * 60),
      ...presenterData($("#agenda-presenter"), $("#agenda-presenter-name")) };
    const typedTitle = $("#agenda-title").value;
    const typedName = $("#agenda-presenter-name").value;
    const ack = await act("agenda.add", data, $("#agenda-add-error"));
    if (!ack.ok) return;
    announce(`Added “${data.title}”.`);
    // The new item reaches the list (by its event) before this ack: by now the facilitator may
    // already be typing the next one, which must not be wiped.
    clearIfUnchanged($("#agenda-title"), typedTitle);
    clearIfUnchanged($("#agenda-presenter-name"), typedName);
    $("#agenda-title").focus();
  });

  // ---- "what I heard" -----------------------------------------------------------------------
  $("#heard-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = $("#heard-text").value;
    const ack = await act("heard.post", { text }, $("#heard-error"));
    if (!ack.ok) return;
    clearIfUnchanged($("#heard-text"), text);
    announce("Pinned for everyone.");
  });
  $("#heard-clear").addEventListener("click", async () => {
    const ack = await act("heard.clear", {}, $("#heard-error"));
    if (ack.ok) { announce("Summary cleared. It stays in the minutes."); $("#heard-text").focus(); }
  });

  // ---- items --------------------------------------------------------------------------------
  async function move(item, delta) {
    const ids = snap().agenda.items.map((i) => i.id);
    const at = ids.indexOf(item.id);
    const to = at + delta;
    if (to < 0 || to >= ids.length) return;
    [ids[at], ids[to]] = [ids[to], ids[at]];
    const ack = await act("agenda.reorder", { item_ids: ids });
    if (ack.ok) announce(`Moved “${item.title}” to position ${to + 1}.`);
  }

  function field(key, el) {
    el.dataset.key = key;
    return el;
  }

  function editForm(item) {
    const kind = field(`kind-${item.id}`, h("select", { id: `edit-kind-${item.id}` },
      ...Object.entries(KIND_NAMES).map(([value, name]) => h("option", { value }, name))));
    kind.value = item.kind;
    const presenter = h("select", { id: `edit-presenter-${item.id}` });
    presenterOptions(presenter, item);
    const otherLabel = h("label", { for: `edit-pname-${item.id}` }, "Presenter's name");
    const other = field(`pname-${item.id}`, h("input", { id: `edit-pname-${item.id}`, maxlength: 80,
      value: item.presenter && !item.presenter.participant_id ? item.presenter.name : "" }));
    presenter.addEventListener("change", () => otherName(presenter, other, otherLabel));
    otherName(presenter, other, otherLabel);
    const title = field(`title-${item.id}`, h("input", { id: `edit-title-${item.id}`, maxlength: 120, value: item.title }));
    const mins = field(`mins-${item.id}`, h("input", { id: `edit-mins-${item.id}`, type: "number", min: 1, max: 480,
      inputmode: "numeric", value: String(Math.round(item.planned_seconds / 60)) }));
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    const form = h("form", { class: "stack agenda-edit", novalidate: true },
      h("label", { for: title.id }, "Title"), title,
      h("label", { for: kind.id }, "Kind"), kind,
      h("label", { for: mins.id }, "Time box (minutes)"), mins,
      h("label", { for: presenter.id }, "Presenter"), presenter, otherLabel, other, error,
      h("div", { class: "button-row" },
        h("button", { type: "submit", class: "button small primary" }, "Save item"),
        h("button", { type: "button", class: "button small quiet", onclick: () => { editing.delete(item.id); render(snap(), true); } }, "Cancel")));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const ack = await act("agenda.update", { item_id: item.id, title: title.value.trim(), kind: kind.value,
        planned_seconds: Math.round(Number(mins.value) * 60), ...presenterData(presenter, other) }, error);
      if (ack.ok) { editing.delete(item.id); render(snap(), true); announce("Item saved."); }
    });
    return form;
  }

  function minutesBox(item) {
    const m = minutesOf(item.id) || { notes: "", decisions: [], actions: [] };
    const notes = field(`notes-${item.id}`, h("textarea", { id: `notes-${item.id}`, rows: 3, maxlength: 10000, text: m.notes }));
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    const saveNotes = h("button", { type: "button", class: "button small", onclick: async () => {
      const ack = await act("minutes.notes", { item_id: item.id, notes: notes.value }, error);
      if (ack.ok) announce("Notes saved.");
    } }, "Save notes");
    const decision = field(`dec-${item.id}`, h("input", { id: `dec-${item.id}`, maxlength: 1000 }));
    const addDecision = h("form", { class: "row-form", novalidate: true },
      h("label", { for: decision.id }, "Decision"), decision,
      h("button", { type: "submit", class: "button small" }, "Record decision"));
    addDecision.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const sent = { [`dec-${item.id}`]: decision.value };
      const ack = await act("minutes.decision", { item_id: item.id, text: decision.value }, error);
      if (ack.ok) { clearFields(sent); announce("Decision recorded."); }
    });
    const what = field(`what-${item.id}`, h("input", { id: `what-${item.id}`, maxlength: 500 }));
    const owner = field(`owner-${item.id}`, h("input", { id: `owner-${item.id}`, maxlength: 80, list: "agenda-owner-names" }));
    const due = field(`due-${item.id}`, h("input", { id: `due-${item.id}`, type: "date" }));
    const addAction = h("form", { class: "stack agenda-action-form", novalidate: true },
      h("label", { for: what.id }, "Action: what"), what,
      h("div", { class: "agenda-fields" },
        h("div", {}, h("label", { for: owner.id }, "Owner"), owner),
        h("div", {}, h("label", { for: due.id }, "Due (optional)"), due)),
      h("button", { type: "submit", class: "button small" }, "Record action"));
    addAction.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const sent = { [`what-${item.id}`]: what.value, [`owner-${item.id}`]: owner.value, [`due-${item.id}`]: due.value };
      const ack = await act("minutes.action", { item_id: item.id, what: what.value, owner: owner.value,
        due: due.value || null }, error);
      if (ack.ok) { clearFields(sent); announce("Action recorded."); }
    });
    const removeButton = (label, name, data) => h("button", { type: "button", class: "button small quiet",
      "aria-label": label, onclick: () => act(name, data, error) }, "Remove");
    const details = h("details", { class: "agenda-minutes", open: openMinutes.has(item.id) },
      h("summary", {}, `Minutes (${plural(m.decisions.length, "decision")}, ${plural(m.actions.length, "action")})`),
      h("label", { for: notes.id }, "Notes"), notes, h("div", { class: "button-row" }, saveNotes),
      h("ul", { class: "agenda-decisions", "aria-label": "Decisions recorded" }, ...m.decisions.map((d) =>
        h("li", {}, h("span", {}, `Decision: ${d.text}`), " ",
          removeButton(`Remove decision: ${d.text}`, "minutes.decision_remove", { decision_id: d.id })))),
      addDecision,
      h("ul", { class: "agenda-actions", "aria-label": "Actions recorded" }, ...m.actions.map((a) =>
        h("li", {}, h("span", {}, `Action: ${a.what} (owner: ${a.owner}${a.due ? `, due ${a.due}` : ""})`), " ",
          removeButton(`Remove action: ${a.what}`, "minutes.action_remove", { action_id: a.id })))),
      addAction, error);
    details.addEventListener("toggle", () => (details.open ? openMinutes.add(item.id) : openMinutes.delete(item.id)));
    return details;
  }

  // The recorded entry re-renders this form (by its event) before the ack arrives; a field is
  // cleared only if it still holds what was sent, so words typed since are kept.
  function clearFields(sent) {
    for (const [key, value] of Object.entries(sent)) {
      clearIfUnchanged(document.querySelector(`[data-key="${key}"]`), value);
    }
  }

  function itemRow(item, index, count) {
    const running = item.state === "running";
    const spent = item.state === "done" ? ` · took ${minutes(item.actual_seconds)}` : "";
    const presenter = presenterText(item);
    const li = h("li", { class: `agenda-item state-${item.state}${item.kind === "break" ? " is-break" : ""}`,
      dataset: { itemId: item.id }, "aria-current": running ? "step" : null },
      h("div", { class: "agenda-item-head" },
        h("span", { class: "agenda-title" }, item.title),
        h("span", { class: "chip off" }, KIND_NAMES[item.kind]),
        presenter ? h("span", { class: "hint" }, presenter) : null,
        h("span", { class: "hint" }, `${minutes(item.planned_seconds + item.extended_seconds)}${spent}`),
        STATE_NAMES[item.state] ? h("span", { class: `chip ${running ? "ok" : "off"}` }, STATE_NAMES[item.state]) : null),
      h("div", { class: "button-row agenda-item-actions" },
        running ? null : h("button", { type: "button", class: "button small", "aria-label": `Start ${item.title} now`,
          onclick: async () => { const ack = await act("agenda.start", { item_id: item.id }); if (ack.ok) announce(`${item.title} started.`); } }, "Start"),
        h("button", { type: "button", class: "button small quiet", "aria-label": `Move ${item.title} up`, disabled: index === 0,
          dataset: { focusKey: `up-${item.id}` }, onclick: () => move(item, -1) }, "Up"),
        h("button", { type: "button", class: "button small quiet", "aria-label": `Move ${item.title} down`,
          disabled: index === count - 1, dataset: { focusKey: `down-${item.id}` }, onclick: () => move(item, 1) }, "Down"),
        h("button", { type: "button", class: "button small quiet", "aria-label": `Edit ${item.title}`, "aria-expanded": editing.has(item.id) ? "true" : "false",
          onclick: () => { editing.has(item.id) ? editing.delete(item.id) : editing.add(item.id); render(snap(), true); } }, "Edit"),
        item.state === "pending" ? h("button", { type: "button", class: "button small quiet", "aria-label": `Remove ${item.title}`,
          onclick: async () => { const ack = await act("agenda.remove", { item_id: item.id }); if (ack.ok) announce(`Removed ${item.title}.`); } }, "Remove") : null),
      editing.has(item.id) ? editForm(item) : null,
      minutesBox(item));
    return li;
  }

  // Rebuild only the rows whose data changed, carrying over what is being typed and the focus.
  function renderItems(s, force) {
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
  }

  function ownerNames(s) {
    let list = $("#agenda-owner-names");
    if (!list) { list = h("datalist", { id: "agenda-owner-names" }); $("#agenda-panel").append(list); }
    list.replaceChildren(...s.private.people.filter((p) => p.role === "participant").map((p) => h("option", { value: p.name })));
  }

  function render(s, force = false) {
    if (!s || !s.agenda || !s.private || !s.private.agenda) return;
    renderItems(s, force);
    ownerNames(s);
    const item = runningItem(s);
    show($("#agenda-now"), Boolean(item));
    const anyLeft = s.agenda.items.some((i) => i.state === "pending");
    show($("#agenda-idle"), !item && anyLeft);
    $("#agenda-begin").textContent = s.agenda.items.some((i) => i.state !== "pending") ? "Continue with the next item" : "Start the agenda";
    if (item) {
      $("#agenda-now-kind").textContent = KIND_NAMES[item.kind] + (item.presenter ? ` · ${item.presenter.name}` : "");
      $("#agenda-now-title").textContent = item.title;
      const index = s.agenda.items.indexOf(item);
      $("#agenda-prev").disabled = index === 0;
      $("#agenda-next").textContent = index === s.agenda.items.length - 1 ? "Finish the agenda" : "Next item";
      show($("#agenda-goround"), item.kind === "checkin" && !(s.floor && s.floor.goround));
    }
    const priv = s.private.agenda;
    if (document.activeElement !== $("#agenda-break-after")) $("#agenda-break-after").value = String(priv.break_after_minutes);
    const stretches = priv.long_stretches.map((st) => {
      const from = s.agenda.items.find((i) => i.id === st.from_id);
      const to = s.agenda.items.find((i) => i.id === st.to_id);
      return `${from.title} to ${to.title} (${minutes(st.seconds)})`;
    });
    $("#agenda-stretches").textContent = stretches.length
      ? `Long stretches without a break: ${stretches.join("; ")}. Consider a screen break.` : "";
    show($("#agenda-stretches"), stretches.length > 0);
    const pinned = s.heard.summary;
    show($("#heard-current"), Boolean(pinned));
    show($("#heard-clear"), Boolean(pinned));
    $("#heard-current-text").textContent = pinned ? `${pinned.text} (${formatTime(pinned.posted_at)})` : "";
    tick();
  }

  function tick() {
    const s = snap();
    if (!s || !s.agenda || !s.private || !s.private.agenda) return;
    const item = runningItem(s);
    if (item) {
      const left = secondsLeft(live, item);
      $("#agenda-clock").textContent = clockText(left);
      $("#agenda-clock").classList.toggle("over", left < 0);
      $("#agenda-clock-note").textContent = left < 0
        ? `over the time box (${minutes(secondsSpent(live, item))} so far)` : "left of the time box";
      if (left < 0 && overAnnounced !== item.id) { overAnnounced = item.id; announce(`Time is up for ${item.title}.`); }
    }
    const total = s.agenda.items.reduce((n, i) => n + i.planned_seconds + i.extended_seconds, 0);
    $("#agenda-summary").textContent = s.agenda.items.length
      ? `${s.agenda.items.length} items · ${minutes(total)} planned · planned end ${formatTime(plannedEnd(live, s).toISOString())}` : "";
    const due = s.private.agenda.break_due_at;
    const next = item ? s.agenda.items[s.agenda.items.indexOf(item) + 1] : null;
    const breakNext = Boolean(next && next.kind === "break" && next.state === "pending");
    const prompt = Boolean(due) && !breakNext && serverNow(live) >= Date.parse(due) && Date.now() >= snoozedUntil;
    const box = $("#agenda-break-prompt");
    if (prompt && box.hidden) {
      $("#agenda-break-text").textContent =
        `It has been ${plural(s.private.agenda.break_after_minutes, "minute")} without a break. A short screen break helps everyone.`;
    }
    show(box, prompt);
  }

  live.onChange((s) => render(s));
  setInterval(tick, 1000);
}
