// The agenda in the console (Agenda tab): running it (console-agenda-run.js), its items with
// editing and minutes (console-agenda-items.js, console-agenda-minutes.js), adding items
// (console-agenda-add.js) and "what I heard" (console-agenda-heard.js). This wires them to the
// live state.
import { $ } from "./dom.js";
import { setupAgendaRun } from "./console-agenda-run.js";
import { setupAgendaItems } from "./console-agenda-items.js";
import { setupAgendaAdd } from "./console-agenda-add.js";
import { setupAgendaHeard } from "./console-agenda-heard.js";

export function setupConsoleAgenda(live) {
  if (!$("#agenda-panel")) return;
  const renderItems = setupAgendaItems(live);
  const renderRun = setupAgendaRun(live);
  const renderHeard = setupAgendaHeard(live);
  setupAgendaAdd(live);
  live.onChange((s) => {
    if (!s || !s.agenda || !s.private || !s.private.agenda) return;
    renderItems(s);
    renderRun(s);
    renderHeard(s);
  });
}
