import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Building the command tree must not load any driver: `listings version`, `--help` and every admin command would
 * otherwise pay the start-up time and the memory of all of them (the monolith migration has a 300 MiB budget).
 * Each command loads its implementation with a dynamic import() inside its action instead.
 */
const HEAVY_PACKAGES = [
  'pg',
  'knex',
  '@electric-sql/pglite',
  '@opensearch-project/opensearch',
  'minio',
  'sharp',
  '@grpc/grpc-js',
  'fastify',
  'ioredis',
  'pino',
  'prom-client',
  'cli-progress',
  '@inquirer/prompts',
];

const programUrl = new URL('../../../adapters/cli/program.ts', import.meta.url).href;

/**
 * Runs in a fresh node process: a resolve hook (module.registerHooks sees both import and require) records every
 * module URL loaded while program.ts is imported and the program is built, then prints them as JSON.
 */
const childScript = `
import { registerHooks } from 'node:module';
const urls = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    urls.add(result.url);
    return result;
  },
});
const { buildProgram } = await import(${JSON.stringify(programUrl)});
const program = buildProgram();
if (program.commands.length === 0) throw new Error('no command registered');
process.stdout.write(JSON.stringify([...urls]));
`;

function loadedModules(): string[] {
  const child = spawnSync(process.execPath, ['--input-type=module', '--eval', childScript], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    timeout: 30_000,
  });
  if (child.status !== 0) throw new Error(`child node failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as string[];
}

function packageOf(url: string): string | undefined {
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return match?.[1];
}

describe('building the CLI program', { timeout: 30_000 }, () => {
  it('loads no driver, server framework, logger, progress bar or prompt package', () => {
    const modules = loadedModules();
    // The hook did record the program and its command definitions, so an empty list cannot pass by accident.
    expect(modules.some((url) => url.endsWith('/adapters/cli/program.ts'))).toBe(true);
    expect(modules.some((url) => packageOf(url) === 'commander')).toBe(true);
    const heavy = [...new Set(modules.map(packageOf).filter((name) => name !== undefined))].filter((name) =>
      HEAVY_PACKAGES.includes(name),
    );
    expect(heavy).toEqual([]);
  });
});
