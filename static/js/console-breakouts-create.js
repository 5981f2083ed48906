// Preparing a breakout round: numbered or named rooms, how long they run, the warning before
// the end, and whether participants may choose their room.
import { $, $$, show, announce, plural } from "./dom.js";
import { send } from "./acting.js";

export function setupBreakoutCreate(live) {
  const form = $("#bo-create");
  for (const radio of $$("input[name=bo-naming]", form)) {
    radio.addEventListener("change", () => {
      const named = $("input[name=bo-naming]:checked", form).value === "names";
      show($("#bo-count-box"), !named);
      show($("#bo-names-box"), named);
    });
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const err = $("#bo-create-error");
    const named = $("input[name=bo-naming]:checked", form).value === "names";
    const minutes = Number($("#bo-minutes").value || 0);
    const seconds = Number($("#bo-seconds").value || 0);
    const data = {
      duration_seconds: Math.round(minutes * 60 + seconds),
      warn_seconds: Math.round(Number($("#bo-warn").value || 0)),
      choosing: $("#bo-choosing").checked,
    };
    if (named) data.names = $("#bo-names").value.split("\n").map((n) => n.trim()).filter(Boolean);
    else data.rooms = Math.round(Number($("#bo-count").value));
    const ack = await send(live, "breakout.create", data, { error: err, form });
    if (!ack.ok) return;
    announce(`${plural(ack.round.rooms.length, "room", "rooms")} prepared. Now assign people, then open the rooms.`);
    requestAnimationFrame(() => { const b = $("#bo-draft [data-mode=random]"); if (b) b.focus(); });
  });

}
