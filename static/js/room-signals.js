// Filled in with its feature.
export function setupRoomSignals(live) {}
