// Adding an agenda item (title, kind, time box, presenter).
import { $, announce, clearIfUnchanged } from "./dom.js";
import { send } from "./acting.js";
import { otherName, presenterData, presenterOptions } from "./console-agenda-presenter.js";

export function setupAgendaAdd(live) {
  const form = $("#agenda-add-form");
  $("#agenda-presenter").addEventListener("change", () =>
    otherName($("#agenda-presenter"), $("#agenda-presenter-name"), $("#agenda-presenter-name-label")));
  $("#agenda-add-box").addEventListener("toggle", () => {
    if ($("#agenda-add-box").open) presenterOptions(live.snapshot, $("#agenda-presenter"));
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = { title: $("#agenda-title").value.trim(), kind: $("#agenda-kind").value,
      planned_seconds: Math.round(Number($("#agenda-minutes").value) * 60),
      ...presenterData($("#agenda-presenter"), $("#agenda-presenter-name")) };
    const typedTitle = $("#agenda-title").value;
    const typedName = $("#agenda-presenter-name").value;
    const ack = await send(live, "agenda.add", data, { error: $("#agenda-add-error"), form });
    if (!ack.ok) return;
    announce(`Added “${data.title}”.`);
    // The new item reaches the list (by its event) before this ack: by now the facilitator may
    // already be typing the next one, which must not be wiped.
    clearIfUnchanged($("#agenda-title"), typedTitle);
    clearIfUnchanged($("#agenda-presenter-name"), typedName);
    $("#agenda-title").focus();
  });
}
