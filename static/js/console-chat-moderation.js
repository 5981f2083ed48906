// Moderating the chat from the console: delete a message for everyone, mute or unmute one
// person's chat (from a message or from the list of everyone), and the small helpers the chat
// panel's renderers share.
import { $, h } from "./dom.js";
import { send } from "./acting.js";

export function nameOf(snap, pid, messages) {
  const person = snap.private.people.find((p) => p.id === pid);
  if (person) return person.name;
  const written = messages.find((m) => m.author.participant_id === pid);
  return written ? written.author.name : `Participant ${pid}`;
}

export function conversations(snap) {
  const byPerson = new Map();
  for (const m of snap.private.chat.direct) {
    if (!byPerson.has(m.participant_id)) byPerson.set(m.participant_id, []);
    byPerson.get(m.participant_id).push(m);
  }
  return byPerson;
}

export function unreadFrom(messages, lastSeen) {
  return messages.filter((m) => m.id > (lastSeen || 0) && m.author.participant_id !== null).length;
}

export function allRooms(snap) {
  const out = [];
  for (const rnd of snap.private.breakouts || []) {
    for (const room of rnd.rooms) out.push({ ...room, round: rnd });
  }
  return out;
}


export function chatModeration(live) {
  async function remove(m, log) {
    const preview = m.text.length > 60 ? `${m.text.slice(0, 60)}…` : m.text;
    if (!window.confirm(`Delete this message from ${m.author.name} for everyone?\n\n${preview}`)) return;
    const ack = await send(live, "chat.delete", { message_id: m.id }, { done: "Message deleted." });
    if (ack.ok) log.focus();
  }

  async function mute(pid, name, muted) {
    await send(live, "chat.mute", { participant_id: pid, muted },
      { done: muted ? `${name}'s chat is muted. They can still write to you privately.` : `${name} can chat again.` });
  }

  const isMuted = (pid) => live.snapshot.private.chat.muted.includes(pid);

  function muteButton(pid, name) {
    const button = h("button", { type: "button", class: "button small quiet", dataset: { mutes: pid },
      onclick: () => mute(pid, name, !isMuted(pid)) });
    labelMute(button, pid, name);
    return button;
  }

  function labelMute(button, pid, name) {
    const muted = isMuted(pid);
    button.textContent = muted ? "Unmute" : "Mute";
    button.setAttribute("aria-label", `${muted ? "Unmute" : "Mute"} ${name}'s chat`);
  }

  // Delete, and mute or unmute the writer: read at click time, so kept elements stay right.
  function messageOptions(log) {
    return {
      actions: (m) => {
        const buttons = [h("button", { type: "button", class: "button small quiet",
          "aria-label": `Delete message from ${m.author.name}`, onclick: () => remove(m, log) }, "Delete")];
        if (m.author.participant_id !== null && m.author.role === "participant") {
          buttons.push(muteButton(m.author.participant_id, m.author.name));
        }
        return buttons;
      },
      update: (el) => {
        const button = el.querySelector("[data-mutes]");
        if (button) labelMute(button, Number(button.dataset.mutes), el.querySelector(".msg-author").textContent);
      },
    };
  }

  function renderMuted(snap) {
    const muted = new Set(snap.private.chat.muted);
    const people = snap.private.people.filter((p) => p.role === "participant" && !p.removed);
    $("#chat-muted-count").textContent = muted.size ? `(${muted.size} muted)` : "";
    const list = $("#chat-muted");
    const focused = document.activeElement && list.contains(document.activeElement) ? document.activeElement.dataset.pid : null;
    list.replaceChildren(...(people.length ? people.map((p) => h("li", { class: "chat-mute-item" },
      h("span", { class: "bo-member-name" }, h("span", { class: "person-name" }, p.name),
        muted.has(p.id) ? h("span", { class: "badge observer" }, "muted") : null),
      h("button", { type: "button", class: "button small quiet", dataset: { pid: p.id },
        "aria-label": `${muted.has(p.id) ? "Unmute" : "Mute"} ${p.name}'s chat`,
        onclick: () => mute(p.id, p.name, !muted.has(p.id)) }, muted.has(p.id) ? "Unmute" : "Mute")))
      : [h("li", { class: "hint" }, "Nobody has joined yet.")]));
    if (focused) { const again = $(`[data-pid="${focused}"]`, list); if (again) again.focus(); }
  }

  return { messageOptions, renderMuted };
}
