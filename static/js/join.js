// Join a session: keep the token in this browser so a reload or a later visit is the same person.
import { $, csrfToken } from "./dom.js";
import { loadIdentity, saveIdentity, forgetIdentity } from "./identity.js";

const root = $("#join");
const form = $("#join-form");
if (root && form) {
  const code = root.dataset.code;
  const existing = loadIdentity(code);
  if (existing) {
    $("#welcome-name").textContent = existing.name;
    $("#welcome-back").hidden = false;
    form.hidden = true;
    $("#not-me").addEventListener("click", () => {
      forgetIdentity(code);
      $("#welcome-back").hidden = true;
      form.hidden = false;
      $("#display_name").focus();
    });
  }

  const showError = (id, text) => {
    const el = $(`#${id}-error`) || $("#form-error");
    el.textContent = text;
    el.hidden = !text;
    const input = $(`#${id}`);
    if (input) {
      input.setAttribute("aria-invalid", text ? "true" : "false");
      input.setAttribute("aria-describedby", text ? `${id}-error` : ({ display_name: "name-hint", contact: "contact-hint" }[id] || ""));
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const id of ["display_name", "group_tag", "contact", "form"]) showError(id, "");
    const name = $("#display_name").value.trim();
    if (!name) {
      showError("display_name", "Please type a name. Any name or pseudonym is fine.");
      $("#display_name").focus();
      return;
    }
    const tagSelect = $("#group_tag");
    const body = { display_name: name, group_tag: tagSelect && tagSelect.value ? tagSelect.value : null };
    if ($("#contact")) body.contact = $("#contact").value.trim();
    const button = $("button[type=submit]", form);
    button.disabled = true;
    try {
      const resp = await fetch(root.dataset.postUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      const data = await resp.json().catch(() => ({}));
      if (resp.ok && data.ok) {
        saveIdentity(code, { token: data.token, name, id: data.participant_id });
        window.location.assign(data.room);
        return;
      }
      const err = data.error || { message: "Could not join. Please try again." };
      const fields = err.fields || {};
      let focused = false;
      for (const [field, messages] of Object.entries(fields)) {
        const text = Array.isArray(messages) ? messages.join(" ") : String(messages);
        showError(field in { display_name: 1, group_tag: 1, contact: 1 } ? field : "form", text);
        if (!focused && $(`#${field}`)) { $(`#${field}`).focus(); focused = true; }
      }
      if (!Object.keys(fields).length) showError("form", err.message);
    } catch (e) {
      showError("form", "Could not reach the server. Check your connection and try again.");
    } finally {
      button.disabled = false;
    }
  });
  $("button[type=submit]", form).disabled = false; // ready: the handler above is attached
}
