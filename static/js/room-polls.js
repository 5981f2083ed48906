// Filled in with its feature.
export function setupRoomPolls(live) {}
