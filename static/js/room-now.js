// The "now" card: of everything that needs the person at this moment, only the most urgent is
// shown at the top of the room, right under the title. Panels say what they want shown with
// `wantNow(card, on)` (and what the card is, when that changes, with `setNowKind`); the order
// below decides. A card that is not the most urgent waits (its tab carries a badge) and comes up
// as soon as the one above it goes.
const ORDER = [
  "floor",         // you have the floor: your clock, Pass in a go-round
  "rules",         // the ground rules changed: read and accept, in the room
  "lobby-choose",  // breakout rooms are open and you choose yours
  "break",         // the agenda's break screen: rest first, a poll can wait (its tab has a badge)
  "poll",          // an open poll you have not answered
  "back",          // back from a breakout room (goes by itself)
  "lobby",         // breakout rooms are open; a facilitator may place you
];

let scheduled = false;
let shown = null;
const listeners = new Set();

function rank(el) {
  const i = ORDER.indexOf(el.dataset.now);
  return i < 0 ? ORDER.length : i;
}

export function arrange() {
  scheduled = false;
  const now = document.getElementById("now");
  if (!now) return;
  const wanting = Array.from(now.querySelectorAll(":scope > [data-now]")).filter((el) => el.dataset.want === "1");
  wanting.sort((a, b) => rank(a) - rank(b));
  const top = wanting[0] || null;
  for (const el of now.querySelectorAll(":scope > [data-now]")) el.hidden = el !== top;
  now.classList.toggle("empty", !top);
  const key = top ? top.dataset.now : null;
  if (key !== shown) {
    shown = key;
    for (const fn of listeners) fn(key, wanting.slice(1).map((el) => el.dataset.now));
  }
}

function schedule() {
  if (!scheduled) {
    scheduled = true;
    queueMicrotask(arrange);
  }
}

// Ask for (or give up) the top of the room for `card` (an element inside #now with data-now).
export function wantNow(card, on) {
  if (!card) return;
  const value = on ? "1" : "";
  if ((card.dataset.want || "") === value) return;
  card.dataset.want = value;
  schedule();
}

// Change what `card` is ("lobby" to "lobby-choose", say): its rank changes with it, so the cards
// are sorted again even though nobody's wish to be shown changed.
export function setNowKind(card, kind) {
  if (!card || card.dataset.now === kind) return;
  card.dataset.now = kind;
  schedule();
}

// Which card is on top now ("floor", "poll", ...), or null.
export function nowShown() {
  return shown;
}

export function onNowChange(fn) {
  listeners.add(fn);
}
