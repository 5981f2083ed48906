// The attention band: shown only while something needs the facilitator (a dropped connection,
// a support request not yet acknowledged, a breakout room asking for help). Its lists are drawn
// by console-safety.js, console-signals.js and console-breakouts.js, which also announce each
// arrival assertively; this shows or hides the band, counts what is in it, and keeps the
// band's height in --band-h so the columns below can stick under it.
import { $, show } from "./dom.js";

// What needs the facilitator, as lists: support requests neither acknowledged nor withdrawn,
// dropped connections, the open breakout round's rooms asking for help; and how many in all.
// The one place these are told apart (the band, the signals panel, the badges, the breakouts).
export function needs(snap) {
  const p = snap.private;
  const support = (p.support || []).filter((r) => !r.acknowledged_at && !r.withdrawn_at);
  const drops = p.drop_alerts || [];
  const round = (p.breakouts || []).find((r) => r.state === "open");
  const help = round ? round.rooms.filter((r) => r.help_at) : [];
  return { support, drops, help, total: support.length + drops.length + help.length };
}

export function setupConsoleAttention(live) {
  const band = $("#attention-band");
  if (!band) return;
  const root = document.documentElement;
  const measure = () => root.style.setProperty("--band-h", band.hidden ? "0px" : `${band.offsetHeight}px`);
  if (window.ResizeObserver) new ResizeObserver(measure).observe(band);
  live.onChange((snap) => {
    if (!snap.private) return;
    const n = needs(snap);
    show(band, n.total > 0);
    $("#attention-count").textContent = n.total > 1 ? `(${n.total})` : "";
    measure();
  });
}
