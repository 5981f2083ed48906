// Filled in with its feature.
export function setupRoomBreakout(live) {}
