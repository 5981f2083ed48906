// The rooms of a breakout round in the console: each room's card (members, who visits, its
// help request, Visit and Read chat) and each person's row with a select to move them; the
// keyboard stays where it was when they are redrawn.
import { $, $$, h, formatTime, keepFocus } from "./dom.js";

// Ask the chat panel to show one room's chat (console-chat.js listens).
export function showRoomChat(roomId) {
  document.dispatchEvent(new CustomEvent("facilitator:room-chat", { detail: { roomId } }));
}

// Keep the keyboard where it was across a re-render: elements carry a stable data-fkey.
// A room picked in a select but not yet applied with its button is kept too.
export function withFocusKept(panel, fn) {
  const pending = new Map($$("select.bo-move", panel).filter((s) => s.dataset.initial !== s.value)
    .map((s) => [s.id, s.value]));
  keepFocus(panel, () => {
    fn();
    for (const [id, value] of pending) {
      const select = document.getElementById(id);
      if (select && Array.from(select.options).some((o) => o.value === value) && select.value !== value) {
        select.value = value;
        select.dispatchEvent(new Event("change"));
      }
    }
  });
}

// A person's row: their name, and a select of the rooms (or the main room) with a Move button.
// `act(name, data, done)` sends an action and shows how it went.
export function personRow(act, rnd, person, roomId) {
  const options = [h("option", { value: "" }, roomId === null ? "Not in a room" : "Back to the main room")]
    .concat(rnd.rooms.map((r) => h("option", { value: r.id }, r.name)));
  const selectId = `bo-move-${person.id}`;
  const select = h("select", { id: selectId, class: "bo-move", dataset: { fkey: `sel-${person.id}` } }, options);
  select.value = roomId === null ? "" : String(roomId);
  select.dataset.initial = select.value;
  const button = h("button", { type: "button", class: "button small", disabled: true,
    dataset: { fkey: `mv-${person.id}` }, "aria-label": `Move ${person.name}` }, "Move");
  select.addEventListener("change", () => {
    button.disabled = select.value === (roomId === null ? "" : String(roomId));
  });
  button.addEventListener("click", async () => {
    const target = select.value ? Number(select.value) : null;
    const where = target === null ? "the main room" : rnd.rooms.find((r) => r.id === target).name;
    const ack = await act("breakout.assign", { round_id: rnd.id, participant_id: person.id, room_id: target },
      `${person.name} is now in ${where}.`);
    if (ack.ok) requestAnimationFrame(() => { const s = $(`#${selectId}`); if (s) s.focus(); });
  });
  return h("li", { class: "bo-member" },
    h("span", { class: "bo-member-name" },
      h("span", { class: "person-name" }, person.name),
      person.role === "observer" ? h("span", { class: "badge observer" }, "Observer") : null,
      person.group_tag ? h("span", { class: "tag" }, person.group_tag) : null),
    h("span", { class: "bo-move-row" },
      h("label", { for: selectId, class: "visually-hidden" }, `Room for ${person.name}`),
      select, button));
}

export function roomCard(act, rnd, room, mine) {
  const running = rnd.state === "open";
  const headId = `bo-room-${room.id}-h`;
  const help = running && room.help_at;
  const visitingHere = room.staff.some((s) => s.user_id === mine);
  return h("article", { class: `bo-room${help ? " help" : ""}${visitingHere ? " here" : ""}`, "aria-labelledby": headId,
    dataset: { roomId: room.id } },
    h("div", { class: "bo-room-head" },
      h("h3", { id: headId }, h("span", { class: "bo-room-name" }, room.name), h("span", { class: "count" }, ` (${room.members.length})`)),
      help ? h("span", { class: "badge help-badge" }, `Asks for help since ${formatTime(room.help_at)}`) : null,
      visitingHere ? h("span", { class: "badge here-badge" }, "You are here") : null),
    room.members.length
      ? h("ul", { class: "bo-members", "aria-label": `People in ${room.name}` }, room.members.map((m) => personRow(act, rnd, m, room.id)))
      : h("p", { class: "empty" }, "Nobody yet."),
    room.staff.length ? h("p", { class: "hint" }, "Visiting: ", room.staff.map((s) => s.name).join(", ")) : null,
    running ? h("div", { class: "button-row" },
      help ? h("button", { type: "button", class: "button small primary", dataset: { fkey: `help-${room.id}` },
        "aria-label": `Clear help request: ${room.name}`,
        onclick: () => act("breakout.help_clear", { room_id: room.id }, `${room.name}'s help request cleared.`) }, "Clear help request") : null,
      visitingHere ? null : h("button", { type: "button", class: "button small", dataset: { fkey: `visit-${room.id}` },
        "aria-label": `Visit ${room.name}`,
        onclick: () => act("breakout.visit", { round_id: rnd.id, room_id: room.id }, `You are visiting ${room.name}.`)
          .then((ack) => { if (ack.ok) showRoomChat(room.id); }) }, "Visit"),
      h("button", { type: "button", class: "button small quiet", dataset: { fkey: `chat-${room.id}` },
        "aria-label": `Read chat: ${room.name}`, onclick: () => showRoomChat(room.id) }, "Read chat")) : null);
}

