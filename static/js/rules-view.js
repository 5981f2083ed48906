// Render ground rules as a list, marking rules that are new or changed since `accepted`.
import { h } from "./dom.js";

export function renderRules(list, rules, accepted = null) {
  const before = new Set((accepted || []).map((r) => `${r.title}\u0000${r.text}`));
  const titles = new Set((accepted || []).map((r) => r.title));
  list.replaceChildren(...rules.items.map((r) => {
    let mark = null;
    if (accepted && !before.has(`${r.title}\u0000${r.text}`)) mark = titles.has(r.title) ? "Changed" : "New";
    return h("li", { class: mark ? "rule changed" : "rule" },
      h("h3", { class: "rule-title" }, mark ? h("span", { class: "badge attention" }, mark) : null, mark ? " " : null, r.title),
      h("p", { class: "rule-text" }, r.text));
  }));
  if (!rules.items.length) list.replaceChildren(h("li", { class: "rule" }, "No ground rules have been set."));
}
