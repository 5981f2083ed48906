// Poll results as a chart: bars per option (or scale point), the mean of a rating, and for
// text polls a word cloud plus the list of answers. Shared by the room and the console.
import { h, plural } from "./dom.js";

export function renderResults(poll) {
  const r = poll.results;
  if (!r) return h("p", { class: "hint" }, "Results are hidden until the facilitator shares them.");
  const voters = h("p", { class: "hint" }, plural(r.voters, "answer", "answers"));
  if (poll.kind === "text") {
    const max = Math.max(1, ...(r.words || []).map((w) => w.count));
    const cloud = h("p", { class: "word-cloud", "aria-label": "Most used words" },
      ...(r.words || []).slice(0, 40).map((w) => h("span", {
        class: "cloud-word", style: { fontSize: `${(0.9 + (1.6 * w.count) / max).toFixed(2)}rem` },
        title: `${w.count}×` }, `${w.word} `)));
    const list = h("ul", { class: "answer-list" }, ...(r.answers || []).map((a) => h("li", {}, a)));
    return h("div", { class: "poll-results" }, voters, (r.words || []).length ? cloud : null,
      (r.answers || []).length ? h("details", {}, h("summary", {}, "All answers"), list) : null);
  }
  const counts = new Map((r.counts || []).map((c) => [c.option_id, c.count]));
  // Shares are of the people who voted, not of the choices made: with several choices each, two
  // of three voters picking an option is 67%, however many options the others picked.
  const voterCount = r.voters || 0;
  const max = Math.max(1, ...counts.values());
  const rows = poll.options.map((o) => {
    const n = counts.get(o.id) || 0;
    return h("tr", {},
      h("th", { scope: "row" }, o.label),
      h("td", { class: "bar-cell" },
        h("span", { class: "bar-track", "aria-hidden": "true" }, h("span", { class: "bar", style: { width: `${(100 * n) / max}%` } })),
        h("span", { class: "bar-label" }, voterShare(n, voterCount))));
  });
  const mean = poll.kind === "rating" && r.mean !== null && r.mean !== undefined
    ? h("p", { class: "poll-mean" }, `Average: ${r.mean.toFixed(1)} out of ${poll.scale.max}`) : null;
  return h("div", { class: "poll-results" }, voters, mean,
    h("table", { class: "table results-table" }, h("caption", { class: "visually-hidden" }, `Results: ${poll.question}`),
      h("tbody", {}, ...rows)));
}

// "2 of 3 voters (67%)": how many of the people who answered chose this.
export function voterShare(n, voters) {
  if (!voters) return "0 voters";
  return `${n} of ${plural(voters, "voter", "voters")} (${Math.round((100 * n) / voters)}%)`;
}

export function privacyLine(poll) {
  return poll.anonymous
    ? "Anonymous: nobody, not even the facilitators, can see what you answered."
    : "Named: the facilitators will see your answer.";
}
