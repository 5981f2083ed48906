// Filled in with its feature.
export function setupRoomChat(live) {}
