// The participant's polls: vote in open polls (knowing first whether they are anonymous), and
// see results once they are shared. The open poll not yet answered is the now card at the top
// (one at a time: it stays there until answered or closed); the others are in the Polls tab,
// open ones first, closed ones folded into "Past polls" so the page does not grow with each poll.
import { $, h, show, announce, plural } from "./dom.js";
import { send, showError } from "./acting.js";
import { renderResults, privacyLine } from "./poll-results.js";
import { wantNow } from "./room-now.js";
import { setBadge } from "./room-tabs.js";

export function setupRoomPolls(live) {
  const list = $("#polls-list");
  const past = $("#past-polls");
  const pastList = $("#past-polls-list");
  const nowCard = $("#now-poll");
  const nowSlot = $("#now-poll-slot");
  const drafts = new Map(); // poll id -> "changing" while the person changes their answer
  const known = new Set();
  let nowId = null;         // the poll in the now card

  function myVote(snap, pollId) {
    return (snap.my_votes || []).find((v) => v.poll_id === pollId) || null;
  }

  function voteForm(poll, snap) {
    const observer = snap.me.role === "observer";
    const form = h("form", { class: "stack poll-form", dataset: { pollId: poll.id }, novalidate: true });
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
      fields.dataset.field = "choices";
    } else if (poll.kind === "rating") {
      const scale = h("div", { class: "rating-scale" });
      for (const o of poll.options) {
        scale.append(h("label", { class: "rating-point" }, h("input", { type: "radio", name, value: o.value }),
          h("span", {}, String(o.value))));
      }
      fields.append(scale, h("p", { class: "rating-ends hint" },
        h("span", {}, `${poll.scale.min} = ${poll.scale.min_label || "lowest"}`),
        h("span", {}, `${poll.scale.max} = ${poll.scale.max_label || "highest"}`)));
      fields.dataset.field = "value";
    } else {
      const id = `poll-${poll.id}-text`;
      fields.append(h("label", { for: id, class: "visually-hidden" }, "Your answer"),
        h("input", { id, name, maxlength: poll.max_length || 280, autocomplete: "off", dataset: { field: "text" } }));
    }
    const error = h("p", { class: "field-error", role: "alert", hidden: true, id: `poll-${poll.id}-error` });
    form.append(fields, h("p", { class: "hint", id: `poll-${poll.id}-privacy` }, privacyLine(poll)), error,
      h("button", { type: "submit", class: "button primary", disabled: observer }, observer ? "Observers do not vote" : "Send my answer"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const data = { poll_id: poll.id };
      const refuse = (message) => showError({ message }, { error, form });
      if (poll.kind === "single" || poll.kind === "multiple") {
        data.choices = [...form.querySelectorAll("input:checked")].map((i) => Number(i.value));
        if (!data.choices.length) { refuse("Choose an answer first."); return; }
      } else if (poll.kind === "rating") {
        const picked = form.querySelector("input:checked");
        if (!picked) { refuse("Choose a point on the scale first."); return; }
        data.value = Number(picked.value);
      } else {
        data.text = form.querySelector("input").value.trim();
        if (!data.text) { refuse("Write a short answer first."); return; }
      }
      const wasNow = nowSlot.contains(form);
      const ack = await send(live, "poll.vote", data, { error, form, done: "Your answer is in. Thank you. You find it in the Polls tab." });
      if (!ack.ok) return;
      drafts.delete(poll.id);
      render(live.snapshot, poll.id);
      // The answered poll leaves the top of the page: keep the keyboard user's place sensible.
      if (wasNow && (!document.activeElement || document.activeElement === document.body)) $("#tab-polls").focus();
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
          onclick: () => {
            drafts.set(poll.id, "changing");
            render(live.snapshot, poll.id);
            // The button is gone with the redraw: the keyboard goes to the new form's first answer.
            const first = card.top.querySelector("input, textarea");
            if (first) first.focus();
          } }, "Change my answer"));
      }
    } else if (!open) parts.push(h("p", { class: "hint" }, "This poll is closed."));
    card.top.replaceChildren(...parts);
  }

  function place(container, el, index) {
    if (container.children[index] !== el) container.insertBefore(el, container.children[index] || null);
  }

  // `redraw`: the id of a poll whose card is drawn again even if its mode did not change (the
  // person's own answer went in); no other poll's form is touched.
  function render(snap, redraw = null) {
    const observer = snap.me.role === "observer";
    const polls = (snap.polls || []).filter((p) => p.state === "open" || p.results)
      .sort((a, b) => (a.state === "open" ? 0 : 1) - (b.state === "open" ? 0 : 1) || b.id - a.id);
    for (const p of polls) {
      if (p.state === "open" && !known.has(p.id)) announce(`New poll: ${p.question}`);
      known.add(p.id);
    }
    const unanswered = observer ? [] : polls.filter((p) => p.state === "open" && !myVote(snap, p.id));
    // The now card keeps its poll until it is answered or closed, so a newer poll never takes
    // the form from under someone answering; then the newest waiting one comes up.
    if (!unanswered.some((p) => p.id === nowId)) nowId = unanswered.length ? unanswered[0].id : null;

    const wanted = new Set(polls.map((p) => p.id));
    for (const [id, card] of cards) if (!wanted.has(id)) { card.el.remove(); cards.delete(id); }
    let openIndex = 0;
    let pastIndex = 0;
    for (const poll of polls) {
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
      if (mode !== card.mode || poll.id === redraw) { card.mode = mode; drawTop(card, poll, vote, snap); }
      const resultsKey = JSON.stringify([poll.results, Boolean(vote)]);
      if (resultsKey !== card.resultsKey) {
        card.resultsKey = resultsKey;
        card.results.replaceChildren(poll.results ? renderResults(poll)
          : (vote ? h("p", { class: "hint" }, "Results will be shown when the facilitator shares them.") : ""));
      }
      if (poll.id === nowId) place(nowSlot, card.el, 0);
      else if (poll.state === "open") place(list, card.el, openIndex++);
      else place(pastList, card.el, pastIndex++);
    }
    const waitingMore = unanswered.length - (nowId ? 1 : 0);
    const more = $("#now-poll-more");
    more.textContent = waitingMore > 0 ? `${plural(waitingMore, "more poll waits", "more polls wait")} for you in the Polls tab.` : "";
    show(more, waitingMore > 0);
    wantNow(nowCard, nowId !== null);
    show($("#polls-empty"), openIndex === 0 && pastIndex === 0);
    $("#polls-empty").textContent = nowId !== null ? "The poll waiting for your answer is at the top of the page." : "No polls yet.";
    show(past, pastIndex > 0);
    $("#past-polls-summary").textContent = `Past polls (${pastIndex})`;
    setBadge("polls", unanswered.length ? String(unanswered.length) : "",
      `${unanswered.length} waiting for your answer`);
  }

  live.onChange((snap) => { if (snap.polls) render(snap); });
}
