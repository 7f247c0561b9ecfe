import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface WorkerProcess {
  /** Finishes the batches in flight (SIGTERM) and waits for the exit. */
  stop(): Promise<void>;
}

/** pino's `warn`: log lines at this level or above are passed on to our stderr. */
const WARN = 40;

/**
 * `listings worker` as deployed: the real command in its own Node process, configured only through
 * `SVETULISTINGS_*` variables (PostgreSQL at `dbUrl`, OpenSearch alias `alias`), so the benchmark's load generator
 * never shares its event loop. Resolves once it logged `listings worker started` (its loops are running).
 */
export async function startWorkerProcess(options: {
  readonly dbUrl: string;
  readonly opensearchUrl: string;
  readonly alias: string;
  readonly concurrency: number;
  /** `SEARCH_FALLBACK`; default: the production default (`postgres`), or what the run's environment sets. */
  readonly fallback?: 'postgres' | 'none';
}): Promise<WorkerProcess> {
  const fallback = options.fallback ?? process.env.SVETULISTINGS_SEARCH_FALLBACK;
  const main = new URL('../../adapters/cli/main.ts', import.meta.url).pathname;
  const child: ChildProcess = spawn(process.execPath, [main, 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      SVETULISTINGS_DB_URL: options.dbUrl,
      SVETULISTINGS_OPENSEARCH_ADDRESSES: options.opensearchUrl,
      SVETULISTINGS_OPENSEARCH_USERNAME: '',
      SVETULISTINGS_OPENSEARCH_INDEX: options.alias,
      SVETULISTINGS_WORKER_CONCURRENCY: String(options.concurrency),
      SVETULISTINGS_LOG_LEVEL: 'info',
      ...(fallback === undefined ? {} : { SVETULISTINGS_SEARCH_FALLBACK: fallback }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  const started = new Promise<void>((resolve, reject) => {
    exited.then(([code]) => reject(new Error(`listings worker exited early (code ${String(code)})`)));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
        if (line.includes('listings worker started')) resolve();
        let level = WARN;
        try {
          level = (JSON.parse(line) as { level?: number }).level ?? WARN;
        } catch {}
        if (level >= WARN) process.stderr.write(`[worker] ${line}\n`);
      });
    }
  });
  await started;
  return {
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
