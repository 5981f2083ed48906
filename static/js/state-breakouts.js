// Breakout and chat events applied to a snapshot: mirrors facilitator/state_breakouts.py `apply`.
// The snapshot given is already a copy (live.js clones it); this changes it in place.
// Returning false makes the client resync, which is always correct, just less economical.
export const BREAKOUT_TYPES = ["breakouts", "room", "breakout", "chat"];

// Messages kept per channel (per room, per conversation): facilitator/actions/chat.py HISTORY.
export const HISTORY = 200;

export function isRoomStream(stream) {
  return typeof stream === "string" && stream[0] === "b" && /^[0-9]+$/.test(stream.slice(1));
}

// Add a message, keep the list ordered by id and only the last HISTORY of its channel.
function append(items, msg, same) {
  const out = (items || []).filter((m) => m.id !== msg.id);
  out.push(msg);
  out.sort((a, b) => a.id - b.id);
  const mine = out.filter(same);
  const drop = new Set(mine.length > HISTORY ? mine.slice(0, mine.length - HISTORY).map((m) => m.id) : []);
  return out.filter((m) => !drop.has(m.id));
}

function inRoom(s, roomId) {
  return Boolean(s.breakout) && s.breakout.room.id === roomId;
}

function dropRoomSeq(s) {
  for (const key of Object.keys(s.seq)) if (isRoomStream(key)) delete s.seq[key];
}

const anything = () => true;

function chatPosted(s, stream, m) {
  if (stream === "meeting") {
    s.chat.main = append(s.chat.main, m, anything);
  } else if (isRoomStream(stream)) {
    if (inRoom(s, m.room_id)) s.breakout.chat = append(s.breakout.chat, m, anything);
  } else if (stream === "facilitators") {
    const priv = s.private.chat;
    if (m.channel === "backchannel") priv.backchannel = append(priv.backchannel, m, anything);
    else if (m.channel === "direct") priv.direct = append(priv.direct, m, (o) => o.participant_id === m.participant_id);
    else priv.rooms = append(priv.rooms, m, (o) => o.room_id === m.room_id);
  } else {
    // The participant's own stream: their conversation with the facilitators.
    s.chat.direct = append(s.chat.direct, m, anything);
  }
}

function chatDeleted(s, stream, d) {
  const without = (items) => (items || []).filter((m) => m.id !== d.id);
  if (stream === "meeting") {
    s.chat.main = without(s.chat.main);
  } else if (isRoomStream(stream)) {
    if (inRoom(s, d.room_id)) s.breakout.chat = without(s.breakout.chat);
  } else if (stream === "facilitators") {
    const key = { backchannel: "backchannel", direct: "direct", room: "rooms" }[d.channel];
    if (!key) throw new Error(`unknown channel ${d.channel}`);
    s.private.chat[key] = without(s.private.chat[key]);
  } else {
    s.chat.direct = without(s.chat.direct);
  }
}

function apply(s, env) {
  const { type, op, data, stream } = env;
  switch (`${type}.${op}`) {
    case "breakouts.updated":
      s.breakouts = data;
      break;
    case "breakouts.round": {
      const rounds = s.private.breakouts.filter((r) => r.id !== data.id);
      rounds.push(data);
      s.private.breakouts = rounds.sort((a, b) => a.id - b.id);
      break;
    }
    case "breakouts.discarded":
      s.private.breakouts = s.private.breakouts.filter((r) => r.id !== data.id);
      break;
    case "room.updated":
    case "room.warning":
      // Else: a late event of a room just left; the sync that follows the move sets things right.
      if (inRoom(s, data.room.id)) s.breakout = { ...data, chat: s.breakout.chat };
      break;
    case "breakout.assigned":
      s.breakout = data.breakout;
      dropRoomSeq(s);
      s.seq[data.stream] = data.seq;
      break;
    case "breakout.returned":
      s.breakout = null;
      dropRoomSeq(s);
      break;
    case "chat.settings":
      s.chat.enabled = data.enabled;
      break;
    case "chat.me":
      s.chat.muted = data.muted;
      break;
    case "chat.muted":
      s.private.chat.muted = data.participant_ids;
      break;
    case "chat.posted":
      chatPosted(s, stream, data);
      break;
    case "chat.deleted":
      chatDeleted(s, stream, data);
      break;
    default:
      throw new Error(`no reducer for ${type}.${op}`);
  }
}

// Apply one event in place; true when applied, false when the client should resync instead
// (an event it has no reducer for, or a snapshot without the part the event updates).
export function applyBreakoutEvent(s, env) {
  try {
    apply(s, env);
    return true;
  } catch (err) {
    return false;
  }
}
