import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ServeProcess {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly pid: number;
  /** SIGTERM (requests in flight finish, pools close), then waits for the exit. */
  stop(): Promise<void>;
}

/** pino's `warn`: log lines at this level or above are passed on to our stderr. */
const WARN = 40;
/** A graceful stop longer than this is cut short with SIGKILL (the service's own shutdown timeout is 30 s). */
const STOP_GRACE_MS = 40_000;

/**
 * `listings serve` as deployed: the real command in its own Node process (so a load generator in this process
 * never shares its event loop), configured only by the given `SVETULISTINGS_*` variables, on free ports (port 0,
 * read back from its `http listening` / `grpc listening` log lines). Its warnings and errors go to our stderr.
 */
export async function startServeProcess(env: Readonly<Record<string, string>>): Promise<ServeProcess> {
  const main = new URL('../../adapters/cli/main.ts', import.meta.url).pathname;
  const child: ChildProcess = spawn(process.execPath, [main, 'serve', '--http-port', '0', '--grpc-port', '0'], {
    env: {
      PATH: process.env.PATH ?? '',
      SVETULISTINGS_HTTP_HOST: '127.0.0.1',
      SVETULISTINGS_GRPC_HOST: '127.0.0.1',
      SVETULISTINGS_LOG_LEVEL: 'info',
      SVETULISTINGS_LOG_FORMAT: 'json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  let httpPort: number | undefined;
  let grpcPort: number | undefined;
  const listening = new Promise<void>((resolve, reject) => {
    exited.then(([code]) => reject(new Error(`listings serve exited early (code ${String(code)})`)));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
        let entry: { level?: number; msg?: string; port?: number; grpc_port?: number } = {};
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {}
        if (entry.msg === 'http listening') httpPort = entry.port;
        if (entry.msg === 'grpc listening') grpcPort = entry.grpc_port;
        if (httpPort !== undefined && grpcPort !== undefined) resolve();
        if ((entry.level ?? WARN) >= WARN) process.stderr.write(`[serve] ${line}\n`);
      });
    }
  });
  await listening;
  return {
    httpPort: httpPort as number,
    grpcPort: grpcPort as number,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
