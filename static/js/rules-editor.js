// Enhance the ground rules editor: add from templates, remove, move up and down.
import { $, $$, h, announce } from "./dom.js";

const editor = $("[data-rules-editor]");
if (editor) {
  const list = $("[data-rule-list]", editor);
  const templates = JSON.parse($("#rule-templates").textContent);
  const select = $("[data-template-select]", editor);
  const addButton = $("[data-add-template]", editor);
  addButton.hidden = false;

  const titleOf = (item) => $("input", item).value.trim() || "untitled rule";

  function decorate(item) {
    const actions = $("[data-rule-actions]", item);
    actions.replaceChildren(
      h("button", { type: "button", class: "button small quiet", onclick: () => move(item, -1) }, "Move up"),
      h("button", { type: "button", class: "button small quiet", onclick: () => move(item, 1) }, "Move down"),
      h("button", { type: "button", class: "button small danger", onclick: () => remove(item) }, "Remove"),
    );
    for (const b of $$("button", actions)) b.setAttribute("aria-label", `${b.textContent}: ${titleOf(item)}`);
  }

  function move(item, delta) {
    const sibling = delta < 0 ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) return;
    if (delta < 0) list.insertBefore(item, sibling);
    else list.insertBefore(sibling, item);
    refresh();
    $("button", $("[data-rule-actions]", item)).focus();
    announce(`Moved ${titleOf(item)} ${delta < 0 ? "up" : "down"}.`);
  }

  function remove(item) {
    const title = titleOf(item);
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    refresh();
    if (next) $("input", next).focus();
    announce(`Removed ${title}. Save to keep the change.`);
  }

  function refresh() { for (const item of $$("[data-rule]", list)) decorate(item); }

  addButton.addEventListener("click", () => {
    const t = templates.find((x) => x.key === select.value);
    if (!t) return;
    const blank = $("[data-blank]", list);
    const item = h("li", { class: "rule-item", dataset: { rule: "" } },
      h("label", {}, "Title ", h("input", { name: "rule_title", maxlength: 80, value: t.title })),
      h("label", {}, "Text ", h("textarea", { name: "rule_text", rows: 3, maxlength: 600, text: t.text })),
      h("div", { class: "rule-actions", dataset: { ruleActions: "" } }));
    list.insertBefore(item, blank);
    refresh();
    $("textarea", item).focus();
    announce(`Added ${t.title}. Edit it if you like, then save.`);
  });
  list.addEventListener("input", (e) => { if (e.target.name === "rule_title") decorate(e.target.closest("[data-rule]")); });
  refresh();
}
