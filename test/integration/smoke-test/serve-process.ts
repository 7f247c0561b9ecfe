import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { CLI_ENTRY, type CliResult } from '../../support/cli.ts';

/** The HS256 secret every served process of these tests verifies tokens with. */
export const JWT_SECRET = 'smoke-test-suite-secret-0123456789abcdef';

export async function userToken(userId: number | string, secret = JWT_SECRET): Promise<string> {
  return new SignJWT({ roles: [] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(String(userId))
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}

export interface ServeProcess {
  readonly httpUrl: string;
  readonly grpcAddress: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * A real `listings serve` child on free ports (port 0, read back from its log), in its own working folder so an
 * embedded database lands there, with only the given SVETULISTINGS_ variables.
 */
export async function startServe(env: Record<string, string>, args: readonly string[] = []): Promise<ServeProcess> {
  const cwd = await mkdtemp(join(tmpdir(), 'listings-smoke-serve-'));
  const child = spawn(process.execPath, [CLI_ENTRY, 'serve', '--http-port', '0', '--grpc-port', '0', ...args], {
    cwd,
    env: { ...cleanEnvironment(), SVETULISTINGS_HTTP_HOST: '127.0.0.1', SVETULISTINGS_GRPC_HOST: '127.0.0.1', ...env },
  });
  let log = '';
  const ports = await new Promise<{ http: number; grpc: number }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const http = /"port":(\d+),"msg":"http listening"/.exec(log);
      const grpc = /"grpc_port":(\d+)/.exec(log);
      if (http && grpc) resolve({ http: Number(http[1]), grpc: Number(grpc[1]) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`listings serve exited with ${code} before listening:\n${log}`)));
  });
  return {
    httpUrl: `http://127.0.0.1:${ports.http}`,
    grpcAddress: `127.0.0.1:${ports.grpc}`,
    output: () => log,
    async stop() {
      await stopChild(child);
      await rm(cwd, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await once(child, 'exit');
  clearTimeout(timer);
}

function cleanEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('SVETULISTINGS_')) env[key] = value;
  }
  return env;
}

/** A TCP port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface SmokeRun {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves when stderr shows the (JSON progress) line of this check. */
  checkFinished(name: string): Promise<void>;
  readonly done: Promise<CliResult>;
}

/** `listings --json smoke-test <args>` as a child whose progress can be watched and which can be signalled. */
export function startSmokeTest(args: readonly string[], env: Record<string, string> = {}): SmokeRun {
  const child = spawn(process.execPath, [CLI_ENTRY, '--json', 'smoke-test', ...args], {
    env: { ...cleanEnvironment(), ...env },
  });
  let stdout = '';
  let stderr = '';
  const waiters: { name: string; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    for (const waiter of waiters) if (stderr.includes(`{"check":{"name":"${waiter.name}"`)) waiter.resolve();
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    child,
    done,
    checkFinished: (name) =>
      new Promise((resolve, reject) => {
        if (stderr.includes(`{"check":{"name":"${name}"`)) resolve();
        waiters.push({ name, resolve });
        done.then(() => reject(new Error(`smoke test ended before ${name}:\n${stderr}`)));
      }),
  };
}
