import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerImagesCommand } from '../../../adapters/cli/commands/images.ts';
import type { CommandContext } from '../../../adapters/cli/context.ts';
import { createOutput } from '../../../adapters/cli/output.ts';
import { openDatabase } from '../../../adapters/composition/database.ts';
import type { Config } from '../../../adapters/config/config.ts';
import { loadConfig } from '../../../adapters/config/load.ts';
import { FsObjectStore } from '../../../adapters/fs-storage/fs-object-store.ts';
import { MemoryCache } from '../../../adapters/memory/cache/memory-cache.ts';
import { MinioObjectStore } from '../../../adapters/minio/minio-object-store.ts';
import { KnexUnitOfWork } from '../../../adapters/sql/knex-unit-of-work.ts';
import { seed } from '../../../migrations/seeds/categories.ts';
import { NO_METRICS } from '../../../ports/core-metrics.ts';
import type { ObjectStore } from '../../../ports/object-store.ts';
import { ChangeListingImages } from '../../../src/images/change-listing-images.ts';
import { CreateListing } from '../../../src/listings/create-listing.ts';
import { ListingCache } from '../../../src/listings/listing-cache.ts';
import { temporaryDirectory } from '../../support/databases.ts';
import { s3Settings } from '../../support/servers.ts';
import { OWNER } from '../use-cases/listings/principals.ts';
import { removeBucket, SIGNING_SECRET, STORE_KINDS } from './image-world.ts';

/** The command on a config of its own (embedded PGlite in a temp folder, and the store), output captured. */
function commandContext(config: Config, options: { yes: boolean }): { context: CommandContext; stdout: () => string } {
  let stdout = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      stdout += String(chunk);
      done();
    },
  });
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const context: CommandContext = {
    options: { json: true, yes: options.yes },
    output: createOutput(true, sink, silent),
    config: () => ({ config, provenance: [] }) as unknown as ReturnType<CommandContext['config']>,
    logger: () => pino({ level: 'silent' }),
  };
  return { context, stdout: () => stdout };
}

async function runGc(config: Config, args: string[], options = { yes: true }): Promise<Record<string, unknown>> {
  const { context, stdout } = commandContext(config, options);
  const program = new Command('listings').exitOverride();
  registerImagesCommand(program, () => context);
  await program.parseAsync(['images', 'gc', ...args], { from: 'user' });
  return JSON.parse(stdout()) as Record<string, unknown>;
}

describe.each(STORE_KINDS)('listings images gc on %s', (kind) => {
  let folder: Awaited<ReturnType<typeof temporaryDirectory>>;
  let config: Config;
  let store: ObjectStore;
  let referenced: string;
  let orphans: string[];

  beforeAll(async () => {
    folder = await temporaryDirectory('listings-gc-cli-');
    const environment: Record<string, string> = { SVETULISTINGS_DATA_DIR: folder.path };
    if (kind === 'minio') {
      const { endpoint, accessKey, secretKey } = s3Settings();
      Object.assign(environment, {
        SVETULISTINGS_MINIO_ENDPOINT: endpoint,
        SVETULISTINGS_MINIO_ACCESS_KEY: accessKey,
        SVETULISTINGS_MINIO_SECRET_KEY: secretKey,
        SVETULISTINGS_MINIO_BUCKET: `listings-gc-${randomUUID().slice(0, 8)}`,
      });
    }
    config = loadConfig({ version: '0.0.0-test', environment, dotenvPath: false }).config;
    expect(config.storage.driver).toBe(kind);
    store =
      kind === 'minio'
        ? new MinioObjectStore({ ...config.minio })
        : new FsObjectStore({ root: config.storage.directory, signingSecret: SIGNING_SECRET });
    await store.ensureReady();

    // One listing with one image row, one orphan folder, one foreign key.
    const database = await openDatabase(config);
    try {
      await database.migrator.latest();
      await seed(database.knex);
      const [category] = await database.knex('c2c_categories').where({ slug: 'bicycles' }).select('id');
      const uow = new KnexUnitOfWork(database.knex);
      const cache = new ListingCache({ cache: new MemoryCache(), metrics: NO_METRICS });
      const clock = { now: () => new Date(), monotonicMs: () => performance.now() };
      const ids = { uuid: () => randomUUID() };
      const { listing } = await new CreateListing({ uow, clock, ids, cache, metrics: NO_METRICS }).execute(OWNER, {
        userId: 7,
        title: 'Bike',
        price: 10,
        currency: 'RSD',
        categoryId: Number(category.id),
        quantity: 1,
      });
      referenced = `listings/${listing.id}/${randomUUID()}/original.jpg`;
      await new ChangeListingImages({ uow, cache }).add(OWNER, {
        listingId: listing.id,
        url: 'https://cdn.example/x.jpg',
        storageKey: referenced,
      });
      const orphanFolder = `listings/${listing.id}/${randomUUID()}/`;
      orphans = [`${orphanFolder}original.png`, `${orphanFolder}small.webp`];
      for (const key of [referenced, ...orphans, 'listings/legacy.jpg']) {
        await store.put(key, Buffer.from(key), { contentType: 'image/jpeg' });
      }
    } finally {
      await database.close();
    }
    // Whole seconds pass, so every object is older than a grace period of 0s, even at second precision.
    await new Promise((resolve) => setTimeout(resolve, 1100));
  });

  afterAll(async () => {
    await store?.close();
    if (kind === 'minio' && config !== undefined) await removeBucket(config.minio.bucket);
    await folder?.remove();
  });

  it('reports with --dry-run, then deletes only the orphan folder', async () => {
    const dry = await runGc(config, ['--dry-run', '--older-than', '0s']);
    expect(dry).toMatchObject({
      dryRun: true,
      scannedObjects: 4,
      orphanObjects: 2,
      deletedObjects: 0,
      foreignObjects: 1,
    });
    expect((dry.orphanKeys as string[]).sort()).toEqual(orphans);
    expect(await store.stat(orphans[0] as string)).toBeDefined();

    const kept = await runGc(config, ['--older-than', '1h']);
    expect(kept).toMatchObject({ dryRun: false, orphanObjects: 0, recentObjects: 2, referencedObjects: 1 });

    const run = await runGc(config, ['--older-than', '0s']);
    expect(run).toMatchObject({ dryRun: false, orphanObjects: 2, deletedObjects: 2, referencedObjects: 1 });
    expect(await store.stat(orphans[0] as string)).toBeUndefined();
    expect(await store.stat(referenced)).toBeDefined();
    expect(await store.stat('listings/legacy.jpg')).toBeDefined();
  });

  it('refuses a bad --older-than, and deleting without --yes when nobody can be asked', async () => {
    await expect(runGc(config, ['--older-than', 'soon'])).rejects.toMatchObject({ code: 'USAGE_INVALID' });
    await expect(runGc(config, ['--older-than', '0s'], { yes: false })).rejects.toMatchObject({
      code: 'USAGE_INVALID',
    });
  });
});
