// "What I heard": pin a summary on everyone's screen, clear it; the pinned one is shown.
import { $, show, announce, clearIfUnchanged, formatTime } from "./dom.js";
import { send } from "./acting.js";

export function setupAgendaHeard(live) {
  const error = $("#heard-error");
  $("#heard-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = $("#heard-text").value;
    const ack = await send(live, "heard.post", { text }, { error, form: $("#heard-form") });
    if (!ack.ok) return;
    clearIfUnchanged($("#heard-text"), text);
    announce("Pinned for everyone.");
  });
  $("#heard-clear").addEventListener("click", async () => {
    const ack = await send(live, "heard.clear", {}, { error, done: "Summary cleared. It stays in the minutes." });
    if (ack.ok) $("#heard-text").focus();
  });
  return function renderHeard(s) {
    const pinned = s.heard.summary;
    show($("#heard-current"), Boolean(pinned));
    show($("#heard-clear"), Boolean(pinned));
    $("#heard-current-text").textContent = pinned ? `${pinned.text} (${formatTime(pinned.posted_at)})` : "";
  };
}
