// Filled in with its feature.
export function setupConsoleBreakouts(live) {}
