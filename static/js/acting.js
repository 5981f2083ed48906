// One way to send an action and show how it went, for every panel of the console and the room.
//
//   const ack = await send(live, "poll.create", data, { error: $("#poll-error"), form, done: "Poll launched." });
//
// On success: the panel's error line is emptied, fields lose their error marks, `done` (if any)
// is announced politely. On a refusal: the server's message, with each field's own message, goes
// into the panel's error line (role="alert", so it is read out); each field named in the ack is
// marked aria-invalid and described by its message; with no error line the message is announced
// assertively. Always resolves to the ack, so callers can follow up on `ack.ok`.
import { announce } from "./dom.js";

const FIELD_NOTE = "data-field-error";

function fieldMessages(fields) {
  // Marshmallow nests: {"choices": {"0": ["..."]}} or {"title": ["..."]}; flatten to text.
  const out = [];
  const walk = (value) => {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(fields);
  return out;
}

function fieldInput(form, name) {
  if (!form) return null;
  const named = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (named) return named;
  const el = form.elements ? form.elements.namedItem(name) : null;
  return el instanceof Element ? el : null;
}

// Each note's id: from its field's id (unique on the page), or numbered when the field has none
// (a poll's fieldset), so two forms never both hold "choices-field-error".
let noteCount = 0;
function noteId(input) {
  return input.id ? `${input.id}-field-error` : `field-error-${++noteCount}`;
}

function describedBy(el) {
  return (el.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
}

export function clearErrors(errorEl, form) {
  if (errorEl) { errorEl.textContent = ""; errorEl.hidden = true; }
  if (!form) return;
  for (const el of form.querySelectorAll("[aria-invalid='true']")) el.removeAttribute("aria-invalid");
  const gone = new Set();
  for (const note of form.querySelectorAll(`[${FIELD_NOTE}]`)) { gone.add(note.id); note.remove(); }
  if (!gone.size) return;
  // The fields stop pointing at the notes (what described them before the refusal stays).
  for (const el of form.querySelectorAll("[aria-describedby]")) {
    const before = describedBy(el);
    const kept = before.filter((id) => !gone.has(id));
    if (kept.length === before.length) continue;
    if (kept.length) el.setAttribute("aria-describedby", kept.join(" "));
    else el.removeAttribute("aria-describedby");
  }
}

export function showError(error, { error: errorEl = null, form = null } = {}) {
  clearErrors(errorEl, form);
  const fields = (error && error.fields) || {};
  const perField = [];
  for (const [name, messages] of Object.entries(fields)) {
    const text = fieldMessages(messages).join(" ");
    if (!text) continue;
    const input = fieldInput(form, name);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      const note = document.createElement("span");
      note.className = "field-error inline";
      note.setAttribute(FIELD_NOTE, name);
      note.id = noteId(input);
      note.textContent = text;
      input.insertAdjacentElement("afterend", note);
      input.setAttribute("aria-describedby", [...describedBy(input), note.id].join(" "));
    }
    perField.push(text);
  }
  const message = (error && error.message) || "That did not work.";
  const whole = perField.length && !perField.every((t) => message.includes(t)) ? `${message} ${perField.join(" ")}` : message;
  if (errorEl) { errorEl.textContent = whole; errorEl.hidden = false; }
  else announce(whole, { assertive: true });
  return whole;
}

export async function send(live, name, data = {}, opts = {}) {
  const ack = await live.call(name, data);
  if (ack && ack.ok) {
    clearErrors(opts.error || null, opts.form || null);
    if (opts.done) announce(typeof opts.done === "function" ? opts.done(ack) : opts.done);
  } else {
    showError(ack && ack.error, opts);
  }
  return ack;
}
