// `npm run load [-- --quick] [-- options]`: the SLO load test of ops-scripts.md §5.3. A real `listings serve`
// (child process) over the real PostgreSQL, Redis and OpenSearch with 100,000 seeded listings takes a mixed
// workload (60 % GetListing, 25 % search, 10 % list, 5 % create/update; REST and gRPC) from this process, an open
// loop whose rate steps up until the SLO breaks. Prints a table and a chart per step, writes a JSON report with the
// machine's facts. See bench/README.md ("npm run load"). Exit status: 1 only when the test could not run.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { SignJWT } from 'jose';
import { DEFAULT_RATE_LIMIT_RULE, DEFAULT_RATE_LIMIT_RULES } from '../../adapters/grpc/interceptors/rate-limit.ts';
import { DEFAULT_REST_RATE_LIMIT_RULES } from '../../adapters/http/plugins/rate-limit.ts';
import { createPostgresKnex } from '../../adapters/postgres/postgres-knex.ts';
import { seedDraftListings } from '../support/burst-listings.ts';
import { drainBacklog } from '../support/burst-phases.ts';
import { createBenchDatabase } from '../support/database.ts';
import { formatReport } from '../support/report.ts';
import { startServeProcess } from '../support/serve-process.ts';
import { machineFacts } from './machine.ts';
import { MIX, OPERATIONS } from './mix.ts';
import { runStep } from './open-loop.ts';
import { highestHeld, stepRates } from './schedule.ts';
import { type LoadSettings, loadSettings, USAGE } from './settings.ts';
import { SLO } from './slo.ts';
import { formatChart, formatStepTable, type StepReport, stepReport } from './step-report.ts';
import { createWorkload, type SeededListing } from './workload.ts';

/** Redis database of the run's cache: bench databases all number their listings from 1, tests use database 0. */
const REDIS_DB = 11;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through scripts/load (npm run load)`);
  return value;
}

const log = (message: string) => process.stderr.write(`load: ${message}\n`);

/** Seeds `count` listings as support/burst-listings.ts builds them (images, attributes, tags, a city), all active. */
async function seed(dbUrl: string, categoryId: number, count: number): Promise<SeededListing[]> {
  const knex = createPostgresKnex({ url: dbUrl, poolMax: 2 });
  try {
    const ids = await seedDraftListings(knex, categoryId, count);
    await knex.raw(`UPDATE listings SET status = 'active', published_at = now() WHERE id BETWEEN ? AND ?`, [
      ids[0] as number,
      ids.at(-1) as number,
    ]);
    // As autovacuum would have long since done in production: hint bits and the visibility map set, statistics
    // fresh, so the first step does not pay for writing hint bits on pages the bulk insert left behind.
    await knex.raw('VACUUM ANALYZE');
    const rows = (await knex('listings')
      .whereBetween('id', [ids[0] as number, ids.at(-1) as number])
      .select('id', 'user_id')) as {
      id: string | number;
      user_id: string | number;
    }[];
    return rows.map((row) => ({ id: Number(row.id), userId: Number(row.user_id) }));
  } finally {
    await knex.destroy();
  }
}

/** HS256 tokens of every owner, signed with the run's secret (as an identity provider would), valid 6 hours. */
async function ownerTokens(secret: string, listings: readonly SeededListing[]): Promise<Map<number, string>> {
  const key = new TextEncoder().encode(secret);
  const tokens = new Map<number, string>();
  for (const userId of new Set(listings.map((l) => l.userId))) {
    const token = await new SignJWT({ roles: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(userId))
      .setIssuedAt()
      .setExpirationTime('6h')
      .sign(key);
    tokens.set(userId, token);
  }
  return tokens;
}

function serviceEnvironment(settings: LoadSettings, dbUrl: string, alias: string, secret: string, dataDir: string) {
  const redis = new URL(env('LISTINGS_TEST_REDIS_URL'));
  redis.pathname = `/${REDIS_DB}`;
  return {
    SVETULISTINGS_DB_URL: dbUrl,
    SVETULISTINGS_REDIS_URL: redis.toString(),
    SVETULISTINGS_CACHE_DRIVER: 'redis',
    SVETULISTINGS_OPENSEARCH_ADDRESSES: env('LISTINGS_TEST_OPENSEARCH_URL'),
    SVETULISTINGS_OPENSEARCH_USERNAME: '',
    SVETULISTINGS_OPENSEARCH_INDEX: alias,
    SVETULISTINGS_AUTH_JWT_SECRET: secret,
    SVETULISTINGS_DATA_DIR: dataDir,
    // Every request comes from this one process: a limiter keyed on the client address sees one client.
    SVETULISTINGS_TRUST_PROXY_HEADERS: 'false',
    SVETULISTINGS_RATE_LIMIT_ENABLED: String(settings.rateLimit === 'on'),
  };
}

/**
 * The limits the service applies when its limiter is on: §7's per-operation tables (gRPC and REST), per caller
 * and minute, keyed on the user id of an authenticated caller and on the client address otherwise. Read from the
 * service's own tables, so the report states what was really enforced.
 */
function rateLimitText(settings: LoadSettings): string {
  if (settings.rateLimit === 'off') return 'off (SVETULISTINGS_RATE_LIMIT_ENABLED=false)';
  const grpc = OPERATIONS.map((op) => `${op} ${DEFAULT_RATE_LIMIT_RULES[op]?.limit ?? DEFAULT_RATE_LIMIT_RULE.limit}`);
  const rest = (['read', 'search', 'write'] as const).map(
    (kind) => `${kind} ${DEFAULT_REST_RATE_LIMIT_RULES[kind].limit}`,
  );
  return (
    `on, the service's defaults per caller and minute (gRPC ${grpc.join(', ')}; REST ${rest.join(', ')}); ` +
    'anonymous reads are keyed on the client address, which all of this run shares'
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const settings = loadSettings(args);
  const machineBefore = machineFacts();
  const started = new Date();
  const db = await createBenchDatabase(0);
  const alias = `load_${randomBytes(4).toString('hex')}`;
  const opensearch = new Client({ node: env('LISTINGS_TEST_OPENSEARCH_URL') });
  const dataDir = await mkdtemp(join(tmpdir(), 'listings-load-'));
  const secret = randomBytes(32).toString('hex');
  let serve: Awaited<ReturnType<typeof startServeProcess>> | undefined;
  try {
    let t = performance.now();
    const listings = await seed(db.url, db.categoryId, settings.listings);
    log(`seeded ${listings.length} active listings in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    serve = await startServeProcess(serviceEnvironment(settings, db.url, alias, secret, dataDir));
    log(`listings serve (pid ${serve.pid}) on http ${serve.httpPort}, grpc ${serve.grpcPort}`);
    // The service's own worker indexes the seeded listings, queued as a backlog (as ResetReindexFlags does).
    t = performance.now();
    const knex = createPostgresKnex({ url: db.url, poolMax: 2 });
    try {
      await drainBacklog({ knex, client: opensearch, alias, ids: listings.map((l) => l.id) });
    } finally {
      await knex.destroy();
    }
    log(`indexed ${listings.length} listings in ${((performance.now() - t) / 1000).toFixed(0)} s`);

    const tokens = await ownerTokens(secret, listings);
    const workload = createWorkload({
      httpPort: serve.httpPort,
      grpcPort: serve.grpcPort,
      listings,
      categoryId: db.categoryId,
      tokenFor: (userId) => tokens.get(userId) as string,
      restConnections: settings.restConnections,
      grpcChannels: settings.grpcChannels,
      timeoutMs: settings.timeoutMs,
    });
    const steps: StepReport[] = [];
    try {
      log(`warm-up: ${settings.startRate}/s for ${settings.warmupMs / 1000} s (not recorded)`);
      await runStep(workload.call, settings.startRate, settings.warmupMs);
      const rates = stepRates(settings);
      for (const [index, rate] of rates.entries()) {
        log(`step ${index + 1}/${rates.length}: ${rate} requests/s for ${settings.stepMs / 1000} s`);
        const run = await runStep(workload.call, rate, settings.stepMs);
        const report = stepReport(index + 1, run, loadavg());
        steps.push(report);
        const o = report.overall;
        log(
          `  ${o.count} answered (${report.completedPerSec.toFixed(1)}/s), p95 ${o.p95Ms.toFixed(0)} ms, ` +
            `p99 ${o.p99Ms.toFixed(0)} ms, ${o.failures} failed: ${report.held ? 'held' : report.breaches.join('; ')}`,
        );
        if (!report.held) break;
      }
    } finally {
      workload.close();
    }

    const held = highestHeld(steps);
    const machine = machineFacts();
    const setup =
      `${listings.length} listings; listings serve (real command, child process; PostgreSQL pool 25, Redis cache ` +
      `db ${REDIS_DB}, OpenSearch, indexing worker on); rate limiting ${rateLimitText(settings)}; open loop from ` +
      `this process over ${settings.restConnections} keep-alive REST connections + ${settings.grpcChannels} gRPC ` +
      `channels; mix ${MIX.map((m) => `${m.operation} ${m.percent} %`).join(', ')}, REST/gRPC 50/50; steps of ` +
      `${settings.stepMs / 1000} s from ${settings.startRate}/s x${settings.factor}; timeout ${settings.timeoutMs / 1000} s`;
    const heldText =
      held === undefined
        ? 'the SLO broke at the first step: no rate held'
        : `highest rate that held the SLO: ${held} requests/s` +
          (steps.every((s) => s.held) ? ` (every step held; the plan ended before the SLO broke)` : '');
    process.stdout.write(
      formatReport({
        title: 'load: mixed REST + gRPC workload, open loop, stepped until the SLO breaks',
        setup,
        rows: steps.map((s) => ({
          label: `step ${s.step}: ${s.rate}/s offered${s.held ? '' : ' (broke)'}`,
          opsPerSec: s.completedPerSec,
          p50Ms: s.overall.p50Ms,
          p99Ms: s.overall.p99Ms,
          errors: s.overall.failures,
        })),
        comparisons: [],
        notes: [
          heldText,
          `SLO: p95 < ${SLO.overall.p95Ms} ms, p99 < ${SLO.overall.p99Ms} ms, success >= ${SLO.successRatio * 100} %; ` +
            'per operation below',
          `machine: ${machine.cpuCount} x ${machine.cpuModel}, ${machine.memoryTotalMiB} MiB, Node ${machine.nodeVersion}, ` +
            `load average ${machineBefore.loadAverage.map((l) => l.toFixed(2)).join(' ')} at start, ` +
            `${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')} at end`,
        ],
      }),
    );
    process.stdout.write(`\n${formatStepTable(steps)}\n\n${formatChart(steps)}\n\n`);

    const out = settings.out ?? join('.cache', 'load', `load-${started.toISOString().replace(/[:.]/g, '-')}.json`);
    await mkdir(dirname(out), { recursive: true });
    const { loadAverage: _atEnd, ...facts } = machine;
    const report = {
      kind: 'listings-load-test',
      started: started.toISOString(),
      finished: new Date().toISOString(),
      machine: {
        ...facts,
        loadAverageAtStart: machineBefore.loadAverage,
        loadAverageAtEnd: machine.loadAverage,
      },
      settings: { ...settings, out: undefined },
      service: {
        command: 'listings serve',
        rateLimit: rateLimitText(settings),
        cache: `redis db ${REDIS_DB}`,
        searchEngine: 'opensearch',
        databasePool: 25,
        worker: 'enabled',
      },
      mix: MIX,
      slo: SLO,
      highestRateHeld: held ?? null,
      steps,
    };
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`JSON report: ${out}`);
  } finally {
    await serve?.stop();
    await opensearch.indices.delete({ index: `${alias}_*`, ignore_unavailable: true }).catch(() => {});
    await opensearch.close();
    await rm(dataDir, { recursive: true, force: true });
    await db.dispose();
  }
}

try {
  await main();
  process.exit(0);
} catch (error) {
  console.error('load: FAILED', error);
  process.exit(1);
}
