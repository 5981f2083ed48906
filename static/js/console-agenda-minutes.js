// Minutes of one agenda item, inside its row: notes, decisions and actions, each removable.
import { h, announce, clearIfUnchanged, plural } from "./dom.js";
import { send } from "./acting.js";

export function field(key, el) {
  el.dataset.key = key;
  return el;
}

// The recorded entry re-renders this form (by its event) before the ack arrives; a field is
// cleared only if it still holds what was sent, so words typed since are kept.
function clearFields(sent) {
  for (const [key, value] of Object.entries(sent)) {
    clearIfUnchanged(document.querySelector(`[data-key="${key}"]`), value);
  }
}

// `openMinutes`: the set of item ids whose minutes are open (kept across re-renders).
export function minutesBox(live, item, m, openMinutes) {
  const notes = field(`notes-${item.id}`, h("textarea", { id: `notes-${item.id}`, name: "notes", rows: 3, maxlength: 10000, text: m.notes }));
  const error = h("p", { class: "field-error", role: "alert", hidden: true });
  const act = (name, data, opts = {}) => send(live, name, data, { error, ...opts });
  const saveNotes = h("button", { type: "button", class: "button small",
    onclick: () => act("minutes.notes", { item_id: item.id, notes: notes.value }, { done: "Notes saved." }) }, "Save notes");
  const decision = field(`dec-${item.id}`, h("input", { id: `dec-${item.id}`, name: "text", maxlength: 1000 }));
  const addDecision = h("form", { class: "row-form", novalidate: true },
    h("label", { for: decision.id }, "Decision"), decision,
    h("button", { type: "submit", class: "button small" }, "Record decision"));
  addDecision.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const sent = { [`dec-${item.id}`]: decision.value };
    const ack = await act("minutes.decision", { item_id: item.id, text: decision.value }, { form: addDecision });
    if (ack.ok) { clearFields(sent); announce("Decision recorded."); }
  });
  const what = field(`what-${item.id}`, h("input", { id: `what-${item.id}`, name: "what", maxlength: 500 }));
  const owner = field(`owner-${item.id}`, h("input", { id: `owner-${item.id}`, name: "owner", maxlength: 80, list: "agenda-owner-names" }));
  const due = field(`due-${item.id}`, h("input", { id: `due-${item.id}`, name: "due", type: "date" }));
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
      due: due.value || null }, { form: addAction });
    if (ack.ok) { clearFields(sent); announce("Action recorded."); }
  });
  const removeButton = (label, name, data) => h("button", { type: "button", class: "button small quiet",
    "aria-label": label, onclick: () => act(name, data) }, "Remove");
  const details = h("details", { class: "agenda-minutes", open: openMinutes.has(item.id) },
    h("summary", {}, `Minutes (${plural(m.decisions.length, "decision", "decisions")}, ${plural(m.actions.length, "action", "actions")})`),
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
