import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLI_ENTRY, REPO_ROOT } from '../../support/cli.ts';

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function start(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, args, {
    cwd: mkdtempSync(join(tmpdir(), 'listings-serve-')),
    env: { ...process.env, ...env },
  });
  children.push(child);
  return child;
}

/** Resolves with the first match of `pattern` in the process's output (read from the start). */
async function logged(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<RegExpExecArray> {
  let buffer = '';
  return new Promise((resolveMatch, reject) => {
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = pattern.exec(buffer);
      if (!match) return;
      child.stdout.off('data', onData);
      child.stderr.off('data', onData);
      resolveMatch(match);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before logging ${pattern}: ${buffer}`)));
  });
}

/** Resolves with the port once the process logs that HTTP listens. */
async function listeningPort(child: ChildProcessWithoutNullStreams): Promise<number> {
  return Number((await logged(child, /"port":(\d+)/))[1]);
}

// Generous: under a loaded CI machine a child's start (module loading, PGlite migrations) alone can take 15 s.
describe('graceful shutdown', { timeout: 45_000 }, () => {
  it('finishes a request in flight during SIGTERM, then exits 0', async () => {
    const child = start([resolve(REPO_ROOT, 'test/fixtures/serve-with-slow-route.ts')], { SLOW_ROUTE_MS: '1500' });
    const port = await listeningPort(child);
    const entered = logged(child, /"slowRouteEntered":true/);
    const inFlight = fetch(`http://127.0.0.1:${port}/test/slow`);
    await entered;
    child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('refuses new connections once shutdown started', async () => {
    const child = start([resolve(REPO_ROOT, 'test/fixtures/serve-with-slow-route.ts')], { SLOW_ROUTE_MS: '2000' });
    const port = await listeningPort(child);
    const entered = logged(child, /"slowRouteEntered":true/);
    const inFlight = fetch(`http://127.0.0.1:${port}/test/slow`);
    await entered;
    const shuttingDown = logged(child, /shutting down/);
    child.kill('SIGTERM');
    await shuttingDown;
    // The listener closes within a few turns of the log line: poll instead of guessing a delay.
    await vi.waitFor(() => expect(fetch(`http://127.0.0.1:${port}/livez`)).rejects.toThrow(), {
      timeout: 10_000,
      interval: 50,
    });
    expect((await inFlight).status).toBe(200);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('`listings serve` on the embedded default answers /livez and stops on SIGTERM with exit 0', async () => {
    const child = start([CLI_ENTRY, 'serve', '--http-port', '0', '--grpc-port', '0'], {
      SVETULISTINGS_HTTP_HOST: '127.0.0.1',
    });
    const port = await listeningPort(child);
    const live = await fetch(`http://127.0.0.1:${port}/livez`);
    expect(live.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
