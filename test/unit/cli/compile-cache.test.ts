import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_ENTRY } from '../../support/cli.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function runVersion(env: Record<string, string>): string {
  const temp = mkdtempSync(join(tmpdir(), 'listings-compile-cache-'));
  folders.push(temp);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NODE_COMPILE')));
  const run = spawnSync(process.execPath, [CLI_ENTRY, 'version'], { env: { ...clean, TMPDIR: temp, ...env } });
  expect(run.status, String(run.stderr)).toBe(0);
  return temp;
}

// The entry point turns V8's on-disk code cache on before loading the command modules (start-up time of every command).
describe('CLI entry point compile cache', () => {
  it('writes the code cache of the loaded modules into the temp folder', () => {
    const cache = join(runVersion({}), 'node-compile-cache');
    expect(existsSync(cache)).toBe(true);
    const [versionFolder] = readdirSync(cache);
    expect(readdirSync(join(cache, String(versionFolder))).length).toBeGreaterThan(5);
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE=1', () => {
    expect(existsSync(join(runVersion({ NODE_DISABLE_COMPILE_CACHE: '1' }), 'node-compile-cache'))).toBe(false);
  });
});
