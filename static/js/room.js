// The participant's room, wiring: who this browser is, the views (connecting, the rules gate, the
// room, ended, removed, invalid), the connection banner, the room's title and session state, the
// actions bar and tab list measuring, leave; each panel is its own module, set up from here.
import { $, $$, show, announce, STATE_LABELS } from "./dom.js";
import { Live } from "./live.js";
import { send } from "./acting.js";
import { setupTabs } from "./room-tabs.js";
import { loadIdentity, forgetIdentity } from "./identity.js";
import { roomView, setupRoomRules } from "./room-rules.js";
import { setupRoomFloor } from "./room-floor.js";
import { setupRoomStatus } from "./room-status.js";
import { setupRoomPolls } from "./room-polls.js";
import { setupRoomSignals } from "./room-signals.js";
import { setupRoomBreakout } from "./room-breakout.js";
import { setupRoomChat } from "./room-chat.js";
import { setupRoomAgenda } from "./room-agenda.js";

const root = $("#room");
const code = root.dataset.code;
const identity = loadIdentity(code);
const views = ["connecting", "gate", "room", "ended", "removed", "invalid"];
let current = "connecting";
let lastState = null;

function showView(name) {
  if (current === name) return;
  current = name;
  for (const v of views) show($(`#view-${v}`), v === name);
  const heading = $(`#view-${name} h1`);
  if (heading) heading.focus();
}

function invalid(reason) {
  forgetIdentity(code);
  $("#invalid-reason").textContent = reason;
  showView("invalid");
}

if (!identity) {
  window.location.replace(root.dataset.joinUrl);
} else {
  const live = new Live({ token: identity.token });
  const banner = $("#conn-banner");

  // A long outage gets advice: what to check, and that the facilitator knows (and may call, as agreed).
  const STILL_DOWN_MS = 20000;
  let stillDown = null;
  live.onStatus((status, detail) => {
    if (status !== "reconnecting") { clearTimeout(stillDown); stillDown = null; }
    if (status === "reconnecting") {
      if (stillDown === null) {
        banner.textContent = "Connection lost. Reconnecting… You do not need to do anything; you will keep your place.";
        stillDown = setTimeout(() => {
          banner.textContent = "Still reconnecting. Check your Wi-Fi or mobile data, or reload this page: you keep your place. " +
            "The facilitators can see that your connection dropped.";
          announce("Still reconnecting. Check your Wi-Fi or mobile data.");
        }, STILL_DOWN_MS);
      }
      banner.hidden = false;
    } else if (status === "live") {
      if (!banner.hidden) announce("Reconnected.");
      banner.hidden = true;
    } else if (status === "refused") {
      banner.hidden = true;
      if (detail && detail.code === "removed") showView("removed");
      else invalid(detail && detail.message ? detail.message : "Please join again.");
    } else if (status === "closed" && detail && detail.reason === "server") {
      banner.hidden = true;
      showView("removed");
    }
  });

  // Each change is drawn in this order: the rules (the gate's, or the room's and the change
  // card), the view or the room's title and state, the floor, the person's status and who is
  // here, the room shown; then the feature panels. Each draws itself from the same live snapshot.
  setupRoomRules(live);
  live.onChange((snap) => {
    const view = roomView(snap);
    if (view === "room") renderTitle(snap);
    else showView(view);
  });
  setupRoomFloor(live);
  setupRoomStatus(live);
  live.onChange((snap) => { if (roomView(snap) === "room") showView("room"); });
  for (const setup of [setupRoomPolls, setupRoomSignals, setupRoomBreakout, setupRoomChat, setupRoomAgenda]) setup(live);

  setupTabs();
  // The fixed actions bar changes height (a hand up, an error line): the page keeps room under it,
  // and focus is scrolled clear of it (and of the sticky tab list), room.css's scroll-padding.
  const bar = $("#action-bar");
  const tabList = $("#room-tabs");
  const measure = new ResizeObserver(() => {
    document.documentElement.style.setProperty("--bar-h", `${bar.offsetHeight}px`);
    document.documentElement.style.setProperty("--tabs-h", `${tabList.offsetHeight}px`);
  });
  measure.observe(bar);
  measure.observe(tabList);

  function renderTitle(snap) {
    const { meeting, me } = snap;
    $("#view-room").classList.toggle("observing", me.role === "observer");
    $("#room-title").textContent = meeting.title;
    const badge = $("#room-state");
    badge.textContent = STATE_LABELS[meeting.state] || meeting.state;
    badge.className = `badge state-${meeting.state}`;
    $("#room-you").textContent = `You are ${me.name}${me.role === "observer" ? " (observing)" : ""}`;
    const notes = {
      open: "The session has not started yet. This is the lobby: feel free to say hello.",
      live: "",
      paused: "Break time. Stand up, stretch, look away from the screen. The session will resume soon.",
      draft: "",
    };
    $("#state-note").textContent = notes[meeting.state] || "";
    if (lastState && lastState !== meeting.state) announce(`The session is now: ${STATE_LABELS[meeting.state]}.`);
    lastState = meeting.state;
  }

  for (const button of $$("[data-leave]")) {
    button.addEventListener("click", async () => {
      if (!window.confirm("Leave the session? You can come back with the same link.")) return;
      await send(live, "me.leave", {}); // leaving goes ahead even if the server could not be told
      live.close();
      window.location.assign(root.dataset.afterUrl);
    });
  }
}
