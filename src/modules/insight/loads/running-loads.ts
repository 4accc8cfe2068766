/**
 * Loads still running in this process, so their page can show how far they have got. A load
 * finishes (or fails) inside one transaction; this only says it is under way.
 */
export type RunningLoad = { id: string; kind: string; partner: string; startedAt: Date; progress: () => number | null; failed?: string };

export const runningLoads = new Map<string, RunningLoad>();
