// Filled in with its feature.
export function setupConsoleChat(live) {}
