// The participant's polls: vote in open polls (knowing first whether they are anonymous),
// and see results once they are shared.
import { $, h, show, announce } from "./dom.js";
import { renderResults, privacyLine } from "./poll-results.js";

export function setupRoomPolls(live) {
  const panel = $("#polls-panel");
  const list = $("#polls-list");
  const drafts = new Map(); // poll id -> the form the person is filling in, kept across redraws
  const known = new Set();

  function myVote(snap, pollId) {
    return (snap.my_votes || []).find((v) => v.poll_id === pollId) || null;
  }

  function voteForm(poll, snap) {
    const observer = snap.me.role === "observer";
    const form = h("form", { class: "stack poll-form", dataset: { pollId: poll.id } });
    const legendId = `poll-${poll.id}-q`;
    const fields = h("fieldset", { "aria-describedby": `poll-${poll.id}-privacy` },
      h("legend", { id: legendId, class: "poll-question" }, poll.question));
    const name = `poll-${poll.id}`;
    if (poll.kind === "single" || poll.kind === "multiple") {
      if (poll.kind === "multiple") fields.append(h("p", { class: "hint" }, `Choose up to ${poll.max_choices}.`));
      for (const o of poll.options) {
        fields.append(h("label", { class: "choice" },
          h("input", { type: poll.kind === "single" ? "radio" : "checkbox", name, value: o.id }), o.label));
      }
    } else if (poll.kind === "rating") {
      const scale = h("div", { class: "rating-scale" });
      for (const o of poll.options) {
        scale.append(h("label", { class: "rating-point" }, h("input", { type: "radio", name, value: o.value }),
          h("span", {}, String(o.value))));
      }
      fields.append(scale, h("p", { class: "rating-ends hint" },
        h("span", {}, `${poll.scale.min} = ${poll.scale.min_label || "lowest"}`),
        h("span", {}, `${poll.scale.max} = ${poll.scale.max_label || "highest"}`)));
    } else {
      const id = `poll-${poll.id}-text`;
      fields.append(h("label", { for: id, class: "visually-hidden" }, "Your answer"),
        h("input", { id, name, maxlength: poll.max_length || 280, autocomplete: "off" }));
    }
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    form.append(fields, h("p", { class: "hint", id: `poll-${poll.id}-privacy` }, privacyLine(poll)), error,
      h("button", { type: "submit", class: "button primary", disabled: observer }, observer ? "Observers do not vote" : "Send my answer"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const data = { poll_id: poll.id };
      if (poll.kind === "single" || poll.kind === "multiple") {
        data.choices = [...form.querySelectorAll("input:checked")].map((i) => Number(i.value));
        if (!data.choices.length) { error.textContent = "Choose an answer first."; error.hidden = false; return; }
      } else if (poll.kind === "rating") {
        const picked = form.querySelector("input:checked");
        if (!picked) { error.textContent = "Choose a point on the scale first."; error.hidden = false; return; }
        data.value = Number(picked.value);
      } else {
        data.text = form.querySelector("input").value.trim();
        if (!data.text) { error.textContent = "Write a short answer first."; error.hidden = false; return; }
      }
      const ack = await live.call("poll.vote", data);
      if (!ack.ok) { error.textContent = ack.error.message; error.hidden = false; return; }
      drafts.delete(poll.id);
      announce("Your answer is in. Thank you.");
      render(live.snapshot, true);
    });
    return form;
  }

  // Cards are kept per poll and only their changed parts redrawn, so a live update never
  // takes the focus or the half-typed answer from someone who is voting.
  const cards = new Map();

  function topMode(poll, vote) {
    if (poll.state === "open" && (!vote || drafts.get(poll.id) === "changing")) return "form";
    return `${poll.state}:${vote ? "voted" : "no"}:${poll.allow_change && !poll.anonymous}`;
  }

  function drawTop(card, poll, vote, snap) {
    const open = poll.state === "open";
    if (card.mode === "form") { card.top.replaceChildren(voteForm(poll, snap)); return; }
    const parts = [h("h3", { class: "poll-question" }, poll.question)];
    if (vote) {
      parts.push(h("p", { class: "voted" }, open ? "Your answer is in." : "You answered this poll."));
      if (open && poll.allow_change && !poll.anonymous) {
        parts.push(h("button", { type: "button", class: "button small quiet",
          onclick: () => { drafts.set(poll.id, "changing"); render(live.snapshot, true); } }, "Change my answer"));
      }
    } else if (!open) parts.push(h("p", { class: "hint" }, "This poll is closed."));
    card.top.replaceChildren(...parts);
  }

  function render(snap, force = false) {
    const polls = (snap.polls || []).filter((p) => p.state === "open" || p.results)
      .sort((a, b) => (a.state === "open" ? 0 : 1) - (b.state === "open" ? 0 : 1) || b.id - a.id);
    show(panel, polls.length > 0);
    for (const p of polls) {
      if (p.state === "open" && !known.has(p.id)) announce(`New poll: ${p.question}`);
      known.add(p.id);
    }
    const wanted = new Set(polls.map((p) => p.id));
    for (const [id, card] of cards) if (!wanted.has(id)) { card.el.remove(); cards.delete(id); }
    polls.forEach((poll, index) => {
      const vote = myVote(snap, poll.id);
      let card = cards.get(poll.id);
      if (!card) {
        const top = h("div", {});
        const results = h("div", {});
        card = { el: h("article", { class: "poll-card", dataset: { pollId: poll.id } }, top, results), top, results, mode: null, resultsKey: null };
        cards.set(poll.id, card);
      }
      card.el.className = `poll-card ${poll.state === "open" ? "open" : "closed"}`;
      const mode = topMode(poll, vote);
      if (mode !== card.mode || force) { card.mode = mode; drawTop(card, poll, vote, snap); }
      const resultsKey = JSON.stringify([poll.results, Boolean(vote)]);
      if (resultsKey !== card.resultsKey) {
        card.resultsKey = resultsKey;
        card.results.replaceChildren(poll.results ? renderResults(poll)
          : (vote ? h("p", { class: "hint" }, "Results will be shown when the facilitator shares them.") : ""));
      }
      if (list.children[index] !== card.el) list.insertBefore(card.el, list.children[index] || null);
    });
  }

  live.onChange((snap) => { if (snap.polls) render(snap); });
}
