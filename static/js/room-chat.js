// Chat, participant side: the main chat and the private line to the facilitators.
// Also the chat pieces the other chat views share (room chat, the console): a message list
// that keeps its elements between renders, and a send form with a counter and ack errors.
// Every message, name and error is set as text (textContent), never parsed as HTML.
import { $, h, show, announce, clearIfUnchanged, formatTime, plural } from "./dom.js";
import { clearErrors, showError as showActionError } from "./acting.js";
import { onTabSelect, selectedTab, setBadge } from "./room-tabs.js";

export const MAX_LENGTH = 1000; // facilitator/schemas/chat.py MAX_MESSAGE_LENGTH

const ROLE_LABELS = {
  facilitator: "Facilitator",
  cofacilitator: "Co-facilitator",
  observer: "Observer",
  participant: "",
};

// Characters as the server counts them (code points, after trimming outer space).
export function length(text) {
  return [...text.trim()].length;
}

export function roleLabel(role) {
  return ROLE_LABELS[role] || "";
}

// Whether this message was written by whoever is looking at it.
export function isMine(snap, m) {
  const me = snap.me || {};
  if (me.user_id !== undefined && m.author.user_id !== null) return m.author.user_id === me.user_id;
  return m.author.participant_id !== null && m.author.participant_id === me.id;
}

// One message, as a list item: who wrote it (and their role), when, the text.
export function messageItem(m, { mine = false, label = null, actions = null } = {}) {
  const role = roleLabel(m.author.role);
  const staff = m.author.role === "facilitator" || m.author.role === "cofacilitator";
  const classes = ["msg"];
  if (mine) classes.push("mine");
  if (staff) classes.push("staff");
  if (m.kind === "broadcast") classes.push("broadcast");
  return h("li", { class: classes.join(" "), dataset: { messageId: m.id } },
    h("p", { class: "msg-head" },
      h("span", { class: "msg-author" }, m.author.name),
      mine ? h("span", { class: "hint" }, " (you)") : null,
      role ? h("span", { class: "badge msg-role" }, role) : null,
      m.kind === "broadcast" ? h("span", { class: "badge broadcast-badge" }, "To every room") : null,
      label ? h("span", { class: "tag" }, label) : null,
      h("time", { class: "msg-time", datetime: m.sent_at }, formatTime(m.sent_at))),
    h("p", { class: "msg-text" }, m.text),
    actions ? h("p", { class: "msg-actions" }, ...actions) : null);
}

// Make `container`'s children match `items` in order, keeping the element of an item already
// shown (so focus, and the reader's place, survive a render). `update(el, item)` refreshes one.
export function syncList(container, items, key, make, update = null) {
  const existing = new Map();
  for (const el of Array.from(container.children)) existing.set(el.dataset.key, el);
  const keep = new Set();
  let prev = null;
  for (const item of items) {
    const k = String(key(item));
    keep.add(k);
    let el = existing.get(k);
    if (!el) {
      el = make(item);
      el.dataset.key = k;
    } else if (update) {
      update(el, item);
    }
    const next = prev ? prev.nextSibling : container.firstChild;
    if (next !== el) container.insertBefore(el, next);
    prev = el;
  }
  for (const [k, el] of existing) if (!keep.has(k)) el.remove();
}

// Render a chat log (newest at the bottom). Scrolls down for new messages when the reader was
// already at the bottom (or wrote the message), so reading older messages is not interrupted.
export function renderLog(log, list, empty, messages, snap, options = {}) {
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  const before = list.lastElementChild ? list.lastElementChild.dataset.key : null;
  syncList(list, messages, (m) => m.id, (m) => messageItem(m, {
    mine: isMine(snap, m),
    label: options.label ? options.label(m) : null,
    actions: options.actions ? options.actions(m) : null,
  }), options.update || null);
  show(empty, messages.length === 0);
  const last = messages[messages.length - 1];
  if (last && String(last.id) !== before && (atBottom || isMine(snap, last) || before === null)) {
    log.scrollTop = log.scrollHeight;
  }
}

// A send form: a labelled text box with a character counter; Enter sends, Shift+Enter is a new
// line; the server's answer (rate_limited, muted, ...) is shown under the box.
export function setupChatForm(form, send) {
  const input = $("textarea", form);
  const counter = $(".chat-count", form);
  const error = $(".field-error", form);
  const button = $("button[type=submit]", form);
  input.dataset.field = "text"; // a refusal's field errors for "text" are marked on the box (acting.js)

  // Refusals, the server's and our own, are shown the one way every panel shows them (acting.js).
  function showError(message) {
    if (message) showActionError({ message }, { error, form });
    else clearErrors(error, form);
  }
  function count() {
    const n = length(input.value);
    counter.textContent = `${n} of ${MAX_LENGTH} characters`;
    counter.classList.toggle("over", n > MAX_LENGTH);
    counter.classList.toggle("near", n > MAX_LENGTH - 100 && n <= MAX_LENGTH);
  }
  input.addEventListener("input", () => {
    count();
    if (!error.hidden && length(input.value) <= MAX_LENGTH) showError("");
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) { showError("Write a message first."); input.focus(); return; }
    if (length(text) > MAX_LENGTH) {
      showError(`That is ${length(text)} characters: messages can be at most ${MAX_LENGTH}.`);
      input.focus();
      return;
    }
    button.disabled = true;
    const typed = input.value;
    const ack = await send(text);
    button.disabled = false;
    if (!ack.ok) {
      showActionError(ack.error, { error, form });
      return;
    }
    clearIfUnchanged(input, typed);
    count();
    showError("");
    input.focus();
  });
  count();
  return { showError, input };
}

// Why this participant cannot write in the main or room chat right now, or null if they can.
export function writeBlock(snap) {
  if (snap.me.role === "observer") return "You are observing: you can read the chat but not write in it.";
  if (!snap.chat.enabled) return "The facilitators have switched chat off for now. You can still write to them privately.";
  if (snap.chat.muted) return "A facilitator has paused your chat. You can still write to the facilitators privately.";
  return null;
}

export function setupRoomChat(live) {
  const main = {
    log: $("#main-chat-log"), list: $("#main-chat-list"), empty: $("#main-chat-empty"),
    form: $("#main-chat-form"), note: $("#main-chat-note"),
  };
  const direct = {
    log: $("#direct-chat-log"), list: $("#direct-chat-list"), empty: $("#direct-chat-empty"),
    form: $("#direct-chat-form"), section: $("#direct-chat"),
  };
  setupChatForm(main.form, (text) => live.call("chat.send", { channel: "main", text }));
  setupChatForm(direct.form, (text) => live.call("chat.send", { channel: "direct", text }));

  // Unread: messages from others since the Chat tab was last open (what was there on arrival counts as read).
  let seen = null;
  function lastId(snap) {
    return Math.max(0, ...[...snap.chat.main, ...(snap.chat.direct || [])].map((m) => m.id));
  }
  function badge(snap) {
    if (seen === null || selectedTab() === "chat") seen = lastId(snap);
    const unread = [...snap.chat.main, ...(snap.chat.direct || [])].filter((m) => m.id > seen && !isMine(snap, m));
    const direct = unread.filter((m) => m.channel === "direct").length;
    setBadge("chat", unread.length ? String(unread.length) : "",
      `${plural(unread.length, "new message", "new messages")}${direct ? `, ${direct} from the facilitators to you` : ""}`);
  }
  onTabSelect((name) => { if (name === "chat" && live.snapshot && live.snapshot.chat) badge(live.snapshot); });

  live.onChange((snap, env) => {
    if (snap.gate || !snap.chat) return;
    badge(snap);
    renderLog(main.log, main.list, main.empty, snap.chat.main, snap);
    const block = writeBlock(snap);
    show(main.form, !block);
    show(main.note, Boolean(block));
    main.note.textContent = block || "";

    const observer = snap.me.role === "observer";
    show(direct.section, !observer);
    if (!observer) renderLog(direct.log, direct.list, direct.empty, snap.chat.direct || [], snap);

    if (env && env.type === "chat" && env.op === "settings") {
      announce(env.data.enabled ? "Chat is on again." : "The facilitators switched chat off for now.");
    } else if (env && env.type === "chat" && env.op === "me") {
      announce(env.data.muted ? "A facilitator paused your chat. You can still write to the facilitators privately."
        : "You can chat again.");
    }
  });
}
