import { cpus, freemem, loadavg, release, totalmem } from 'node:os';

/** What the figures were measured on: they depend on the machine and on whatever else ran on it. */
export interface MachineFacts {
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly memoryTotalMiB: number;
  readonly memoryFreeMiB: number;
  readonly nodeVersion: string;
  readonly platform: string;
  readonly kernel: string;
  /** `os.loadavg()` (1, 5, 15 minutes) when the facts were taken. */
  readonly loadAverage: readonly number[];
}

export function machineFacts(): MachineFacts {
  const cores = cpus();
  return {
    cpuCount: cores.length,
    cpuModel: cores[0]?.model ?? 'unknown',
    memoryTotalMiB: Math.round(totalmem() / 2 ** 20),
    memoryFreeMiB: Math.round(freemem() / 2 ** 20),
    nodeVersion: process.version,
    platform: `${process.platform}-${process.arch}`,
    kernel: release(),
    loadAverage: loadavg(),
  };
}
