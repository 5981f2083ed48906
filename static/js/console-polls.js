// Filled in with its feature.
export function setupConsolePolls(live) {}
