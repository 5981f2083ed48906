// The person's own mic and camera status (two toggles, not for observers) and who is here (the
// facilitators, then everyone present), in the People tab.
import { $, h, show } from "./dom.js";
import { send } from "./acting.js";
import { roomView } from "./room-rules.js";

export function setupRoomStatus(live) {
  live.onChange((snap) => {
    if (roomView(snap) !== "room") return;
    const { meeting, me, roster } = snap;
    const observer = me.role === "observer";
    show($("#my-status"), !observer);
    setToggle($("#mic-toggle"), me.mic === "on", me.mic === "on" ? "On" : "Muted");
    setToggle($("#cam-toggle"), me.camera === "on", me.camera === "on" ? "On" : "Off");

    const present = (roster || []).filter((p) => p.present);
    const items = present.map((p) => h("li", { class: "person" },
      h("span", { class: "avatar", "aria-hidden": "true" }, initials(p.name)),
      h("span", { class: "person-name" }, p.name, p.id === me.id ? " (you)" : ""),
      p.role === "observer" ? h("span", { class: "badge observer" }, "Observer") : null,
      p.group_tag ? h("span", { class: "tag" }, p.group_tag) : null));
    const facs = meeting.facilitators.map((name) => h("li", { class: "person" },
      h("span", { class: "avatar fac", "aria-hidden": "true" }, initials(name)),
      h("span", { class: "person-name" }, name), h("span", { class: "badge" }, "Facilitator")));
    $("#roster").replaceChildren(...facs, ...items);
    $("#people-h").textContent = `Who is here (${present.length + facs.length})`;
  });

  function setToggle(button, pressed, stateText) {
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    $(".toggle-state", button).textContent = stateText;
  }

  async function toggle(field, onValue, offValue) {
    const snap = live.snapshot;
    const next = snap.me[field] === onValue ? offValue : onValue;
    await send(live, "me.status", { [field]: next }, {
      done: `${field === "mic" ? "Microphone" : "Camera"} status: ${next === onValue ? "on" : (field === "mic" ? "muted" : "off")}.` });
  }
  $("#mic-toggle").addEventListener("click", () => toggle("mic", "on", "muted"));
  $("#cam-toggle").addEventListener("click", () => toggle("camera", "on", "off"));
}

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join("") || "?";
}
