// Types of src/dev/cycles.mjs, for the test that imports it.
export const ALLOWED_EDGES: Array<[string, string]>;
export const ENTRIES: string[];
export function findCycles(options?: { dir?: string; entries?: string[]; allowed?: Array<[string, string]> }): Promise<{ cycles: string[][]; stale: Array<[string, string]>; modules: number }>;
