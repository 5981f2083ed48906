// The attention band: shown only while something needs the facilitator (a dropped connection,
// a support request not yet acknowledged, a breakout room asking for help). Its lists are drawn
// by console-safety.js, console-signals.js and console-breakouts.js, which also announce each
// arrival assertively; this shows or hides the band, counts what is in it, and keeps the
// band's height in --band-h so the columns below can stick under it.
import { $, show } from "./dom.js";

export function needs(snap) {
  const p = snap.private;
  const support = (p.support || []).filter((r) => !r.acknowledged_at && !r.withdrawn_at).length;
  const drops = (p.drop_alerts || []).length;
  const round = (p.breakouts || []).find((r) => r.state === "open");
  const help = round ? round.rooms.filter((r) => r.help_at).length : 0;
  return { support, drops, help, total: support + drops + help };
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
