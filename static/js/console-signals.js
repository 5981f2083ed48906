// Filled in with its feature.
export function setupConsoleSignals(live) {}
