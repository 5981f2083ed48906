// Render ground rules as a list, marking rules that are new or changed since `accepted`.
import { h } from "./dom.js";

export function renderRules(list, rules, accepted = null) {
  const before = new Set((accepted || []).map((r) => `${r.title}\u0000${r.text}`));
  // A rule whose title or text is still there was edited; one with neither is new.
  const known = new Set((accepted || []).flatMap((r) => [`t:${r.title}`, `x:${r.text}`]));
  list.replaceChildren(...rules.items.map((r) => {
    let mark = null;
    if (accepted && !before.has(`${r.title}\u0000${r.text}`)) mark = known.has(`t:${r.title}`) || known.has(`x:${r.text}`) ? "Changed" : "New";
    return h("li", { class: mark ? "rule changed" : "rule" },
      h("h3", { class: "rule-title" }, mark ? h("span", { class: "badge attention" }, mark) : null, mark ? " " : null, r.title),
      h("p", { class: "rule-text" }, r.text));
  }));
  if (!rules.items.length) list.replaceChildren(h("li", { class: "rule" }, "No ground rules have been set."));
}
