// The facilitator's polls: quick check-ins, create (draft or launch), open/close, publish,
// results as a chart, who answered what in named polls, CSV export.
import { $, h, show, announce } from "./dom.js";
import { renderResults } from "./poll-results.js";
import { send } from "./acting.js";

const STATE = { draft: "Draft", open: "Open", closed: "Closed" };

export function setupConsolePolls(live) {
  const meetingId = Number($("#console").dataset.meetingId);
  let templatesDrawn = false;

  const act = (name, data, done) => send(live, name, data, { done });

  function ballotList(poll) {
    if (poll.anonymous || !poll.ballots || !poll.ballots.length) return null;
    const label = (b) => {
      if (b.text) return b.text;
      if (poll.kind === "rating") return poll.options.filter((o) => b.choices.includes(o.id)).map((o) => String(o.value)).join(", ");
      return poll.options.filter((o) => b.choices.includes(o.id)).map((o) => o.label).join(", ");
    };
    return h("details", {}, h("summary", {}, "Who answered what (facilitators only)"),
      h("ul", {}, ...poll.ballots.map((b) => h("li", {}, `${b.name}: ${label(b)}`))));
  }

  function pollCard(poll) {
    const buttons = [];
    const b = (text, name, data, cls = "button small") => h("button", { type: "button", class: cls,
      onclick: () => act(name, data) }, text);
    if (poll.state === "draft") buttons.push(b("Launch", "poll.open", { poll_id: poll.id }, "button small primary"));
    if (poll.state === "open") buttons.push(b("Close", "poll.close", { poll_id: poll.id }));
    if (poll.state === "closed") buttons.push(b("Re-open", "poll.open", { poll_id: poll.id }));
    if (poll.state !== "draft") {
      buttons.push(poll.published ? b("Hide results", "poll.publish", { poll_id: poll.id, published: false })
        : b("Share results", "poll.publish", { poll_id: poll.id, published: true }, "button small primary"));
      buttons.push(h("a", { class: "button small quiet", href: `/meetings/${meetingId}/polls/${poll.id}.csv`,
        download: "" }, "CSV"));
    }
    buttons.push(h("button", { type: "button", class: "button small danger", onclick: () => {
      if (window.confirm(`Delete the poll “${poll.question}” and its answers?`)) act("poll.delete", { poll_id: poll.id });
    } }, "Delete"));
    const flags = [STATE[poll.state], poll.anonymous ? "anonymous" : "named",
      poll.published ? "results shared" : (poll.visibility === "live" ? "results live" : "results hidden")];
    return h("article", { class: "poll-admin", dataset: { pollId: poll.id } },
      h("h3", { class: "poll-question" }, poll.question),
      h("p", { class: "meta" }, ...flags.map((f) => h("span", { class: "badge" }, f))),
      poll.state === "draft" ? null : renderResults(poll),
      ballotList(poll),
      h("div", { class: "button-row" }, ...buttons));
  }

  live.onChange((snap) => {
    if (!snap.private || !snap.private.polls) return;
    if (!templatesDrawn && snap.private.poll_templates) {
      templatesDrawn = true;
      $("#checkin-buttons").replaceChildren(...snap.private.poll_templates.map((t) => h("button", {
        type: "button", class: "button small", onclick: async () => {
          await act("poll.checkin", { template: t.key }, `Check-in poll launched: ${t.question}`);
        } }, t.question)));
    }
    const polls = [...snap.private.polls].sort((a, b) => b.id - a.id);
    const focusedId = document.activeElement && document.activeElement.closest("[data-poll-id]")
      ? document.activeElement.closest("[data-poll-id]").dataset.pollId : null;
    $("#poll-admin-list").replaceChildren(...(polls.length ? polls.map(pollCard)
      : [h("p", { class: "hint" }, "No polls yet. Launch a quick check-in or create one.")]));
    if (focusedId) {
      const card = $(`#poll-admin-list [data-poll-id="${focusedId}"] button`);
      if (card) card.focus();
    }
  });

  const kind = $("#poll-kind");
  const syncKind = () => {
    show($("#poll-options-box"), kind.value === "single" || kind.value === "multiple");
    show($("#poll-max-box"), kind.value === "multiple");
    show($("#poll-scale-box"), kind.value === "rating");
  };
  kind.addEventListener("change", syncKind);
  syncKind();

  $("#poll-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const launch = !e.submitter || e.submitter.value !== "draft";
    const data = {
      kind: kind.value, question: $("#poll-question").value.trim(), launch,
      anonymous: $("#poll-anonymous").checked, visibility: $("#poll-live").checked ? "live" : "hidden",
      allow_change: $("#poll-change").checked && !$("#poll-anonymous").checked,
    };
    if (kind.value === "single" || kind.value === "multiple") {
      data.options = $("#poll-options").value.split("\n").map((x) => x.trim()).filter(Boolean);
    }
    if (kind.value === "multiple") data.max_choices = Number($("#poll-max").value);
    if (kind.value === "rating") {
      data.scale = { min: Number($("#poll-scale-min").value), max: Number($("#poll-scale-max").value),
        min_label: $("#poll-scale-min-label").value.trim() || null, max_label: $("#poll-scale-max-label").value.trim() || null };
    }
    const ack = await send(live, "poll.create", data, { error: $("#poll-error"), form: $("#poll-form") });
    if (!ack.ok) return;
    $("#poll-form").reset();
    syncKind();
    $("#poll-form").closest("details").open = false;
    announce(launch ? "Poll launched." : "Poll saved as a draft.");
  });
}
