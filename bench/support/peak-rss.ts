import { readFile } from 'node:fs/promises';

/**
 * Peak resident set size of another process, from `/proc/<pid>/status` `VmHWM` (the kernel's high-water mark, so
 * a peak between two polls is not missed; only growth after the last poll before the process exits is). Linux only.
 */
export class PeakRssProbe {
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  #peakKib = 0;

  constructor(pid: number, intervalMs = 100) {
    this.#pid = pid;
    this.#timer = setInterval(() => void this.poll(), intervalMs);
  }

  /** Reads VmHWM once; silent when the process is gone. */
  async poll(): Promise<void> {
    try {
      const status = await readFile(`/proc/${this.#pid}/status`, 'utf8');
      const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
      if (match) this.#peakKib = Math.max(this.#peakKib, Number(match[1]));
    } catch {
      // exited between polls
    }
  }

  /** Stops polling; the highest VmHWM seen, in MiB. */
  stop(): number {
    clearInterval(this.#timer);
    return this.#peakKib / 1024;
  }
}
