// Render ground rules as a list, marking rules that are new or changed since `accepted` (and,
// with `{ only: "changed" }`, listing just those, with the ones removed). Used by the room's gate,
// its rule-change card and rules tab, and by the console.
import { h } from "./dom.js";

function key(r) {
  return `${r.title}\u0000${r.text}`;
}

export function renderRules(list, rules, accepted = null, { only = null } = {}) {
  const before = new Set((accepted || []).map(key));
  // A rule whose title or text is still there was edited; one with neither is new.
  const known = new Set((accepted || []).flatMap((r) => [`t:${r.title}`, `x:${r.text}`]));
  const marked = rules.items.map((r) => {
    let mark = null;
    if (accepted && !before.has(key(r))) mark = known.has(`t:${r.title}`) || known.has(`x:${r.text}`) ? "Changed" : "New";
    return { r, mark };
  });
  const item = ({ r, mark }) => h("li", { class: mark ? `rule changed${mark === "Removed" ? " removed" : ""}` : "rule" },
    h("h3", { class: "rule-title" }, mark ? h("span", { class: "badge attention" }, mark) : null, mark ? " " : null, r.title),
    h("p", { class: "rule-text" }, r.text));
  let shown = marked;
  if (only === "changed" && accepted) {
    const now = new Set(rules.items.flatMap((r) => [`t:${r.title}`, `x:${r.text}`]));
    const removed = accepted.filter((r) => !now.has(`t:${r.title}`) && !now.has(`x:${r.text}`))
      .map((r) => ({ r, mark: "Removed" }));
    shown = [...marked.filter((m) => m.mark), ...removed];
  }
  list.replaceChildren(...shown.map(item));
  if (!rules.items.length) list.replaceChildren(h("li", { class: "rule" }, "No ground rules have been set."));
  else if (!shown.length) list.replaceChildren(h("li", { class: "rule" }, "The wording changed slightly; see all the rules below."));
}
