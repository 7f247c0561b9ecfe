import { hostname } from 'node:os';

/**
 * The `locked_by` of a claim loop: `host:pid:loop` (the original's shape), so `queue status` and dead-letter
 * messages name the process that held a job. The one-shot drain uses loop `drain`.
 */
export function workerId(loop: number, host: string = hostname(), pid: number = process.pid): string {
  return `${host}:${pid}:${loop < 0 ? 'drain' : loop}`;
}
