// The go-round: the form that starts one (Go-round tab); moving it on is in the floor panel.
import { $, $$, h, keepFocus } from "./dom.js";
import { send } from "./acting.js";
import { floorNotice } from "./console-floor.js";

export function setupConsoleGoround(live) {
  const form = $("#round-form");

  function render(snap) {
    const box = $("#round-people");
    const people = snap.private.people.filter((p) => p.role === "participant" && p.presence !== "left" && p.rules_version_acked !== null);
    const checked = new Set($$("input", box).filter((i) => i.checked).map((i) => Number(i.value)));
    const known = new Set($$("input", box).map((i) => Number(i.value)));
    // Drawn again on every change: the keyboard stays on the same checkbox (data-fkey).
    keepFocus(box, () => box.replaceChildren(...(people.length ? people.map((p) => h("label", { class: "choice" },
      h("input", { type: "checkbox", value: p.id, checked: !known.has(p.id) || checked.has(p.id), dataset: { fkey: `round-${p.id}` } }),
      p.name, p.presence === "reconnecting" ? h("span", { class: "hint" }, " (reconnecting)") : null))
      : [h("p", { class: "hint" }, "Nobody is here to take part yet.")])));
    $("button[type=submit]", form).disabled = Boolean(snap.floor.goround) || !people.length;
  }

  live.onChange((snap) => { if (snap.floor && snap.private) render(snap); });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const ids = $$("#round-people input").filter((i) => i.checked).map((i) => Number(i.value));
    const seconds = Number($("#round-seconds").value);
    const ack = await send(live, "goround.start", { participant_ids: ids, seconds,
      shuffle: $("input[name=round-order]:checked").value === "shuffled" }, { error: $("#round-error"), form, done: "Go-round started." });
    if (ack.ok) floorNotice(ack.message);
  });
}
