// Names of the standing signals and the reactions' emoji, one place for the console and the room.
// SIGNAL_NAMES says what someone's signal is (the console: "Needs a break"); MY_SIGNAL_NAMES is
// the same in the first person, for the person who sent it (the room: "I need a break").
export const SIGNAL_NAMES = { slow_down: "Slow down", need_break: "Needs a break", cant_hear: "Can't hear", stepped_away: "Stepped away" };
export const MY_SIGNAL_NAMES = { slow_down: "Slow down", need_break: "I need a break", cant_hear: "I can't hear", stepped_away: "I've stepped away" };
export const REACTION_EMOJI = { thumbs_up: "👍", clap: "👏", heart: "❤️", laugh: "😄", agree: "✔️", disagree: "✖️" };

export function signalName(kind) {
  return SIGNAL_NAMES[kind] || kind;
}
