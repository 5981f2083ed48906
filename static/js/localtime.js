// Show server (UTC) times in the reader's own time zone, and tell forms which zone that is.
for (const el of document.querySelectorAll("time[data-local-time]")) {
  const when = new Date(el.getAttribute("datetime"));
  if (!Number.isNaN(when.getTime())) el.textContent = when.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
for (const input of document.querySelectorAll("input[data-timezone]")) input.value = zone;
for (const input of document.querySelectorAll("input[type=datetime-local][data-utc]")) {
  const when = new Date(input.dataset.utc);
  if (!Number.isNaN(when.getTime())) {
    const local = new Date(when.getTime() - when.getTimezoneOffset() * 60000);
    input.value = local.toISOString().slice(0, 16);
  }
}
