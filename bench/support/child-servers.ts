import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ServerPorts {
  readonly http: number;
  readonly grpc: number;
  readonly hello: number;
  readonly ping: number;
}

export interface ChildServers {
  readonly ports: ServerPorts;
  stop(): Promise<void>;
}

/** Starts bench-server.ts in a child Node process (same Node binary) and waits for its ports. */
export async function startChildServers(env: Record<string, string>): Promise<ChildServers> {
  const script = new URL('./bench-server.ts', import.meta.url).pathname;
  const child: ChildProcess = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`bench server exited early (code ${String(code)})`);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = (async () => {
    for await (const line of lines) return JSON.parse(line) as ServerPorts;
    throw new Error('bench server printed no ports');
  })();
  const ports = await Promise.race([first, exited]);
  exited.catch(() => {});
  return {
    ports,
    async stop() {
      if (child.exitCode !== null) return;
      const done = once(child, 'exit');
      child.kill('SIGTERM');
      await done;
    },
  };
}
