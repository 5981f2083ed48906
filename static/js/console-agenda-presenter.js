// The presenter of an agenda item: a select of the participants, "nobody in particular", or
// someone else by name (used by the add form and each item's edit form).
import { h, show } from "./dom.js";

export function presenterOptions(snap, select, item = null) {
  const people = snap.private.people.filter((p) => p.role === "participant");
  const chosen = item && item.presenter ? (item.presenter.participant_id ? String(item.presenter.participant_id) : "other") : "";
  select.replaceChildren(h("option", { value: "" }, "Nobody in particular"),
    ...people.map((p) => h("option", { value: String(p.id) }, p.name)),
    h("option", { value: "other" }, "Someone else (type a name)"));
  select.value = chosen;
}

export function presenterData(select, nameInput) {
  if (select.value === "other") return { presenter_id: null, presenter_name: nameInput.value.trim() || null };
  return { presenter_id: select.value ? Number(select.value) : null, presenter_name: null };
}

export function otherName(select, input, label) {
  const other = select.value === "other";
  show(input, other);
  if (label) show(label, other);
}
