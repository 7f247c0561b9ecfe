import { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerQueueCommand } from '../../../adapters/cli/commands/queue.ts';
import { type CommandContext, createContext } from '../../../adapters/cli/context.ts';
import { createOutput } from '../../../adapters/cli/output.ts';
import { loadConfig } from '../../../adapters/config/load.ts';
import type { AppError } from '../../../src/domain/errors.ts';
import { ENGINES, openWorkerWorld, type WorkerWorld } from './worker-fixture.ts';

let t: WorkerWorld;

beforeAll(async () => {
  t = await openWorkerWorld(ENGINES[0] as (typeof ENGINES)[number]);
});
afterAll(async () => {
  await t?.dispose();
});

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk;
      done();
    },
  });
  return { stream, text: () => text };
}

/**
 * Runs `listings [--json] [--yes] queue <args>` in process through the command's own registration, on the test
 * database (SVETULISTINGS_DB_URL), capturing stdout and stderr; resolves with the error a command threw.
 */
async function queue(args: readonly string[], options: { json?: boolean; yes?: boolean } = {}) {
  const stdout = sink();
  const stderr = sink();
  const program = new Command('listings')
    .addOption(new Option('--json'))
    .addOption(new Option('-y, --yes'))
    .exitOverride();
  const context: CommandContext = {
    ...createContext({ json: options.json === true, yes: options.yes === true, logLevel: 'silent' }),
    output: createOutput(options.json === true, stdout.stream, stderr.stream),
    config: () =>
      loadConfig({
        version: '0.0.0-test',
        environment: { SVETULISTINGS_DB_URL: t.world.db.url as string, SVETULISTINGS_LOG_LEVEL: 'silent' },
        dotenvPath: false,
      }),
  };
  registerQueueCommand(program, () => context);
  let error: AppError | undefined;
  try {
    await program.parseAsync(['node', 'listings', ...args]);
  } catch (thrown) {
    error = thrown as AppError;
  }
  return { stdout: stdout.text(), stderr: stderr.text(), error };
}

/** Claims the listing's job and fails it until it is dead. */
async function deadLetter(listingId: number, error: string): Promise<void> {
  for (;;) {
    const [job] = await t.repos.outbox.claim({ workerId: 'test:0:0', limit: 1, leaseMs: 5_000 });
    if (job === undefined) throw new Error('no job to fail');
    if (job.listingId !== listingId) throw new Error('unexpected job');
    if ((await t.repos.outbox.fail(job, { error, retryAt: new Date(0) })) === 'dead') return;
  }
}

describe('listings queue', () => {
  let dead: number;
  let pending: number;

  beforeEach(async () => {
    await t.reset();
    await t.world.newListingWithStatus('active');
    await t.world.newListingWithStatus('active');
    await t.worker().drain({ until: 'empty' });
    dead = (await t.world.newListingWithStatus('active')).id;
    await deadLetter(dead, 'permanent: location.lat must be between -90 and 90, not 95');
    pending = (await t.world.newListingWithStatus('active')).id;
  });

  it('status --json prints counts, the oldest due age and the dead letters', async () => {
    const { stdout, error } = await queue(['queue', 'status'], { json: true });
    expect(error).toBeUndefined();
    const status = JSON.parse(stdout);
    expect(status).toMatchObject({ pending: 1, processing: 0, failed: 0, dead: 1 });
    expect(status.oldestDueAgeMs).toBeGreaterThanOrEqual(0);
    expect(status.deadLetters).toEqual([
      expect.objectContaining({
        listingId: dead,
        attempts: 3,
        error: 'permanent: location.lat must be between -90 and 90, not 95',
      }),
    ]);
    expect(pending).toBeGreaterThan(dead);
  });

  it('status prints a human summary', async () => {
    const { stdout } = await queue(['queue', 'status']);
    expect(stdout).toMatch(/^pending: {5}1$/m);
    expect(stdout).toMatch(/^dead: {8}1$/m);
    expect(stdout).toMatch(
      new RegExp(`#\\d+ listing ${dead} v\\d+ \\w+, 3 attempt\\(s\\), failed .*: permanent: location`),
    );
  });

  it('retry-dead --dry-run changes nothing; retry-dead --id requeues that dead letter only', async () => {
    const [letter] = await t.repos.outbox.deadLetters({ limit: 1 });
    const dryRun = await queue(['queue', 'retry-dead', '--dry-run'], { json: true });
    expect(JSON.parse(dryRun.stdout)).toEqual({ dryRun: true, requeued: 1, notDead: [] });
    expect(await t.queue()).toMatchObject({ dead: 1 });

    const run = await queue(['queue', 'retry-dead', '--id', String(letter?.id), '999999']);
    expect(run.stdout).toBe('requeued 1 dead letter(s)\nnot dead letters (left alone): 999999\n');
    expect(await t.queue()).toEqual({ completed: 2, pending: 2 });
  });

  it('purge deletes completed jobs before the cutoff, asks first, and checks its duration', async () => {
    const refused = await queue(['queue', 'purge', '--older-than', '0s']);
    expect(refused.error?.code).toBe('USAGE_INVALID');
    expect(await t.queue()).toMatchObject({ completed: 2 });

    const dryRun = await queue(['queue', 'purge', '--older-than', '7d', '--dry-run'], { json: true });
    const planned = JSON.parse(dryRun.stdout);
    expect(planned).toMatchObject({ dryRun: true, purged: null });
    expect(Date.now() - Date.parse(planned.before)).toBeGreaterThanOrEqual(7 * 86_400_000);

    expect((await queue(['queue', 'purge', '--older-than', '7d'], { yes: true, json: true })).stdout).toMatch(
      /"purged":0/,
    );
    const run = await queue(['queue', 'purge', '--older-than', '0s'], { yes: true });
    expect(run.stdout).toMatch(/^deleted 2 completed job\(s\) processed before /);
    expect(await t.queue()).toEqual({ dead: 1, pending: 1 });

    expect((await queue(['queue', 'purge', '--older-than', 'a week'], { yes: true })).error?.code).toBe(
      'USAGE_INVALID',
    );
  });
});
