import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'listings-cli-'));

const COMMANDS = [
  ['serve'],
  ['migrate'],
  ['migrate-from-monolith'],
  ['reindex'],
  ['validate'],
  ['backup'],
  ['backup', 'create'],
  ['backup', 'verify'],
  ['backup', 'restore'],
  ['backup', 'prune'],
  ['backup', 'list'],
  ['smoke-test'],
  ['worker'],
  ['queue', 'status'],
  ['queue', 'retry-dead'],
  ['queue', 'purge'],
  ['config'],
  ['config', 'print'],
  ['config', 'check'],
  ['version'],
];

describe('listings CLI', { timeout: 30_000 }, () => {
  it.each(COMMANDS)('explains %s %s with its options and the exit codes', async (...command) => {
    const result = await runCli([...command.filter(Boolean), '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: listings ${command.filter(Boolean).join(' ')}`);
    expect(result.stdout).toContain('Exit codes (shared by every command)');
    expect(result.stdout).toContain('130  interrupted');
  });

  it('lists every command in the top-level help', async () => {
    const { stdout, code } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const name of [
      'serve',
      'migrate',
      'migrate-from-monolith',
      'reindex',
      'validate',
      'backup',
      'smoke-test',
      'config',
    ]) {
      expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
  });

  it.each([
    [['reindex', '--batch-size', '0']],
    [['reindex', '--engine', 'solr']],
    [['validate', '--dry-run']],
    [['validate', '--max-deletes', 'many']],
  ])('refuses %j as a usage error (exit 2) before touching anything', async (args) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^listings: (--batch-size|--engine|--dry-run|--max-deletes)/m);
    expect(result.stdout).toBe('');
  });

  it('prints a machine-readable error with --json', async () => {
    const result = await runCli(['--json', 'reindex', '--keep', '-1']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'USAGE_INVALID' } });
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['serve', '--no-such-flag'])).code).toBe(2);
  });

  it('exits 2 naming each bad variable and the accepted values', async () => {
    const result = await runCli(['config', 'check'], {
      cwd: emptyDir(),
      env: { SVETULISTINGS_HTTP_PORT: 'abc', SVETULISTINGS_DB_SSLMODE: 'sometimes' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SVETULISTINGS_HTTP_PORT="abc": expected an integer from 0 to 65535');
    expect(result.stderr).toContain('SVETULISTINGS_DB_SSLMODE="sometimes": expected one of disable, allow, prefer');
  });

  it('prints the effective config as JSON with sources and no secrets', async () => {
    const result = await runCli(['--json', 'config', 'print'], {
      cwd: emptyDir(),
      env: { SVETULISTINGS_DB_PASSWORD: 'hunter2', SVETULISTINGS_HTTP_PORT: '9999' },
    });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { variable: string; value: string; source: string }[];
    expect(rows.find((r) => r.variable === 'SVETULISTINGS_HTTP_PORT')).toMatchObject({
      value: '9999',
      source: 'environment',
    });
    expect(rows.find((r) => r.variable === 'SVETULISTINGS_DB_PASSWORD')).toMatchObject({ value: '<redacted>' });
    expect(result.stdout).not.toContain('hunter2');
  });

  it('reads an .env file from the working directory', async () => {
    const dir = emptyDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, '.env'), 'SVETULISTINGS_GRPC_PORT=51000\n');
    const result = await runCli(['--json', 'config', 'print'], { cwd: dir });
    const rows = JSON.parse(result.stdout) as { variable: string; value: string; source: string }[];
    expect(rows.find((r) => r.variable === 'SVETULISTINGS_GRPC_PORT')).toMatchObject({
      value: '51000',
      source: '.env',
    });
  });

  it('prints the real version', async () => {
    const { readFileSync } = await import('node:fs');
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
    const result = await runCli(['version']);
    expect(result.stdout).toContain(`Listings Service ${version}`);
  });
});
