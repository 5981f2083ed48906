// Chat, facilitator side: main chat, private conversations (one per participant, with replies),
// the facilitators' back-channel, and every breakout room's chat (writable while the room runs,
// readable after). Delete a message for everyone, switch chat off, mute one person.
import { $, h, show, announce } from "./dom.js";
import { renderLog, setupChatForm } from "./room-chat.js";
import { send } from "./acting.js";
import { currentTab, onTabChange, selectConsoleTab, setBadge } from "./console-tabs.js";
import { setupTabs } from "./tabs.js";
import { allRooms, chatModeration, conversations, nameOf, unreadFrom } from "./console-chat-moderation.js";

export function setupConsoleChat(live) {
  let tab = "main";
  let directWho = null;   // participant id of the conversation shown
  let roomWho = null;     // room id of the room chat shown
  let seen = { direct: new Map(), rooms: new Map(), main: null }; // last message id read, per person / room
  const looking = (name) => tab === name && currentTab() === "chat";
  let primed = false;
  const unreadCounts = { direct: 0, rooms: 0 };

  // ---- tabs (tabs.js: the ARIA tabs pattern) ----------------------------------------------
  const inner = setupTabs($("#console-chat [role=tablist]"), {
    onSelect: (name) => { tab = name; if (live.snapshot) render(live.snapshot, null); },
  });

  // ---- sending ------------------------------------------------------------------------------
  setupChatForm($("#cmain-form"), (text) => live.call("chat.send", { channel: "main", text }));
  setupChatForm($("#cback-form"), (text) => live.call("chat.send", { channel: "backchannel", text }));
  setupChatForm($("#cdirect-form"), (text) => (directWho
    ? live.call("chat.send", { channel: "direct", participant_id: directWho, text })
    : Promise.resolve({ ok: false, error: { code: "invalid", message: "Choose who to write to.", fields: {} } })));
  setupChatForm($("#croom-form"), (text) => (roomWho
    ? live.call("chat.send", { channel: "room", room_id: roomWho, text })
    : Promise.resolve({ ok: false, error: { code: "invalid", message: "Choose a room.", fields: {} } })));

  $("#cdirect-who").addEventListener("change", (e) => {
    directWho = e.target.value ? Number(e.target.value) : null;
    render(live.snapshot, null);
  });
  $("#croom-which").addEventListener("change", (e) => {
    roomWho = e.target.value ? Number(e.target.value) : null;
    render(live.snapshot, null);
  });
  document.addEventListener("facilitator:room-chat", (e) => {
    roomWho = e.detail.roomId;
    selectConsoleTab("chat", { reveal: true });
    inner.select("rooms");
    $("#croom-log").focus();
  });

  $("#chat-enabled").addEventListener("change", async (e) => {
    const enabled = e.target.checked;
    const ack = await send(live, "chat.settings", { enabled },
      { done: enabled ? "Chat is on for participants." : "Chat is off for participants. They can still write to you privately." });
    if (!ack.ok) e.target.checked = !enabled;
  });
  onTabChange((name) => { if (name === "chat" && live.snapshot) render(live.snapshot, null); });

  const { messageOptions, renderMuted } = chatModeration(live);

  // ---- rendering ------------------------------------------------------------------------------
  function renderDirect(snap) {
    const byPerson = conversations(snap);
    const latest = (pid) => { const list = byPerson.get(pid); return list[list.length - 1].id; };
    const talked = [...byPerson.keys()].sort((a, b) => latest(b) - latest(a));
    if (directWho === null && talked.length) directWho = talked[0];
    const visible = looking("direct");
    if (visible && directWho !== null && byPerson.has(directWho)) seen.direct.set(directWho, latest(directWho));
    const others = snap.private.people.filter((p) => p.role === "participant" && !p.removed && !byPerson.has(p.id));
    const select = $("#cdirect-who");
    const option = (pid, label) => h("option", { value: pid }, label);
    select.replaceChildren(
      h("option", { value: "" }, talked.length || others.length ? "Choose a person" : "Nobody to write to yet"),
      talked.length ? h("optgroup", { label: "Conversations" }, talked.map((pid) => {
        const messages = byPerson.get(pid);
        const unread = unreadFrom(messages, seen.direct.get(pid));
        return option(pid, `${nameOf(snap, pid, messages)} (${messages.length}${unread ? `, ${unread} new` : ""})`);
      })) : null,
      others.length ? h("optgroup", { label: "Start a conversation" }, others.map((p) => option(p.id, p.name))) : null);
    select.value = directWho === null ? "" : String(directWho);
    const messages = directWho === null ? [] : byPerson.get(directWho) || [];
    const log = $("#cdirect-log");
    renderLog(log, $("#cdirect-list"), $("#cdirect-empty"), messages, snap,
      messageOptions(log));
    show($("#cdirect-form"), directWho !== null);
    $("#cdirect-label").textContent = directWho === null ? "Private reply"
      : `Private message to ${nameOf(snap, directWho, messages)}`;
    const unread = talked.reduce((n, pid) => n + unreadFrom(byPerson.get(pid), seen.direct.get(pid)), 0);
    unreadCounts.direct = unread;
    inner.setBadge("direct", unread ? `${unread} new` : "", "alert");
  }

  function renderRooms(snap) {
    const rooms = allRooms(snap);
    const mine = snap.me.user_id;
    const shown = rooms.filter((r) => r.round.state !== "draft");
    const visiting = shown.find((r) => r.round.state === "open" && r.staff.some((s) => s.user_id === mine));
    if (roomWho === null || !shown.some((r) => r.id === roomWho)) {
      const running = shown.filter((r) => r.round.state === "open");
      roomWho = visiting ? visiting.id : running.length ? running[0].id : shown.length ? shown[shown.length - 1].id : null;
    }
    const byRoom = new Map();
    for (const m of snap.private.chat.rooms) {
      if (!byRoom.has(m.room_id)) byRoom.set(m.room_id, []);
      byRoom.get(m.room_id).push(m);
    }
    const visible = looking("rooms");
    if (visible && roomWho !== null && byRoom.has(roomWho)) {
      const list = byRoom.get(roomWho);
      seen.rooms.set(roomWho, list[list.length - 1].id);
    }
    const select = $("#croom-which");
    const rounds = (snap.private.breakouts || []).filter((r) => r.state !== "draft");
    select.replaceChildren(...rounds.slice().reverse().map((rnd) => h("optgroup",
      { label: rnd.state === "open" ? "Running now" : `Closed (opened ${new Date(rnd.opened_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })})` },
      rnd.rooms.map((room) => {
        const unread = unreadFrom(byRoom.get(room.id) || [], seen.rooms.get(room.id));
        const flags = [];
        if (rnd.state === "open" && room.help_at) flags.push("asks for help");
        if (unread) flags.push(`${unread} new`);
        return h("option", { value: room.id }, `${room.name}${flags.length ? ` (${flags.join(", ")})` : ""}`);
      }))));
    select.value = roomWho === null ? "" : String(roomWho);
    show(select, shown.length > 0);
    show($("label[for=croom-which]"), shown.length > 0);
    show($("#croom-none"), shown.length === 0);
    const room = shown.find((r) => r.id === roomWho);
    const messages = room ? byRoom.get(room.id) || [] : [];
    const log = $("#croom-log");
    show(log, Boolean(room));
    renderLog(log, $("#croom-list"), $("#croom-empty"), messages, snap, messageOptions(log));
    const running = Boolean(room && room.round.state === "open");
    show($("#croom-form"), running);
    show($("#croom-closed"), Boolean(room) && !running);
    if (room) $("label[for=croom-input]").textContent = `Message to ${room.name}`;
    const unread = shown.filter((r) => r.round.state === "open")
      .reduce((n, r) => n + unreadFrom(byRoom.get(r.id) || [], seen.rooms.get(r.id)), 0);
    unreadCounts.rooms = unread;
    inner.setBadge("rooms", unread ? `${unread} new` : "", "alert");
  }

  function render(snap, env) {
    if (!snap || !snap.private || !snap.private.chat) return;
    $("#chat-enabled").checked = snap.chat.enabled;
    const mainLog = $("#cmain-log");
    renderLog(mainLog, $("#cmain-list"), $("#cmain-empty"), snap.chat.main, snap, messageOptions(mainLog));
    const backLog = $("#cback-log");
    renderLog(backLog, $("#cback-list"), $("#cback-empty"), snap.private.chat.backchannel, snap,
      messageOptions(backLog));
    renderDirect(snap);
    renderRooms(snap);
    renderMuted(snap);
    // The Chat tab's badge: main-chat messages from participants not yet seen (those already
    // there when the console opened count as seen), private and room messages unread.
    const main = snap.chat.main;
    const lastMain = main.length ? main[main.length - 1].id : 0;
    if (seen.main === null || looking("main")) seen.main = lastMain;
    const mainUnread = unreadFrom(main, seen.main);
    const total = mainUnread + unreadCounts.direct + unreadCounts.rooms;
    setBadge("chat", total ? `${total} new` : "", unreadCounts.direct ? "warn" : "calm");
    // Tell the facilitator about what arrives where they are not looking.
    if (primed && env && env.type === "chat" && env.op === "posted" && env.stream === "facilitators") {
      const m = env.data;
      if (m.channel === "direct" && m.author.participant_id !== null) announce(`Private message from ${m.author.name}.`);
    }
    primed = true;
  }

  live.onChange((snap, env) => render(snap, env));
}
