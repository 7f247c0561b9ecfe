import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_ENTRY, REPO_ROOT } from '../../support/cli.ts';
import { opensearchUrl } from '../../support/servers.ts';
import type { AdminWorld } from './search-admin-fixture.ts';

/**
 * The environment a `listings` child process needs to work on this world's database and index. Its data folder and
 * image objects are a temp folder of this world's own (validate lists the objects), never the checkout's `.data`.
 */
export function cliEnv(world: AdminWorld): Record<string, string> {
  const url = world.world.db.url as string;
  const dataDir = join(tmpdir(), `listings-admin-cli-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`);
  const env: Record<string, string> = {
    SVETULISTINGS_DB_URL: url,
    SVETULISTINGS_DATA_DIR: dataDir,
    SVETULISTINGS_STORAGE_DRIVER: 'fs',
    SVETULISTINGS_STORAGE_DIR: join(dataDir, 'objects'),
    SVETULISTINGS_CACHE_DRIVER: 'none',
    SVETULISTINGS_LOG_LEVEL: 'warn',
  };
  if (world.alias === null) return { ...env, SVETULISTINGS_SEARCH_ENGINE: 'postgres' };
  return {
    ...env,
    SVETULISTINGS_SEARCH_ENGINE: 'opensearch',
    SVETULISTINGS_SEARCH_FALLBACK: 'none',
    SVETULISTINGS_OPENSEARCH_ADDRESSES: opensearchUrl(),
    SVETULISTINGS_OPENSEARCH_INDEX: world.alias,
  };
}

/** A `listings` child process whose stderr can be watched and which can be signalled. */
export function startCli(args: readonly string[], env: Record<string, string>) {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('SVETULISTINGS_')) clean[key] = value;
  }
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    cwd: REPO_ROOT,
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    for (const waiter of waiters.splice(0)) {
      if (waiter.pattern.test(stderr)) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    child,
    exited,
    /** Resolves once stderr matches `pattern`. */
    stderrMatches(pattern: RegExp): Promise<void> {
      if (pattern.test(stderr)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
  };
}

export function runListings(args: readonly string[], env: Record<string, string>) {
  return startCli(args, env).exited;
}
