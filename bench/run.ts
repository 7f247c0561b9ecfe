// `npm run bench [-- --quick] [-- <name>...]`: runs the benchmarks one after another on a fresh database and prints
// one table per benchmark. Figures are informational: benchmarks report, tests never check timings.
import * as createListing from './create-listing.bench.ts';
import * as getById from './get-by-id.bench.ts';
import * as grpcGet from './grpc-get.bench.ts';
import * as httpGet from './http-get.bench.ts';
import * as indexBurst from './index-burst.bench.ts';
import * as monolithMigrate from './monolith-migrate.bench.ts';
import { createBenchDatabase } from './support/database.ts';
import { type BenchReport, formatReport } from './support/report.ts';
import { benchSettings } from './support/settings.ts';

const BENCHMARKS = {
  'get-by-id': getById.run,
  'create-listing': createListing.run,
  'http-get': httpGet.run,
  'grpc-get': grpcGet.run,
  'monolith-migrate': monolithMigrate.run,
  'index-burst': indexBurst.run,
} as const;
type Name = keyof typeof BENCHMARKS;

const args = process.argv.slice(2);
const settings = benchSettings(args);
const named = args.filter((a) => !a.startsWith('--'));
const unknown = named.filter((a) => !(a in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
/** Run only when named: generating and migrating 1,000,000 monolith rows takes the better part of an hour. */
const ON_REQUEST: ReadonlySet<string> = new Set(['monolith-migrate']);
const selected = (named.length > 0 ? named : Object.keys(BENCHMARKS).filter((n) => !ON_REQUEST.has(n))) as Name[];

const started = performance.now();
const db = await createBenchDatabase();
let failed = false;
try {
  for (const name of selected) {
    let report: BenchReport;
    try {
      report = await BENCHMARKS[name](db, settings);
    } catch (error) {
      failed = true;
      console.error(`== ${name}: FAILED`, error);
      continue;
    }
    process.stdout.write(`${formatReport(report)}\n`);
  }
} finally {
  await db.dispose();
}
console.log(`bench: ${selected.length} benchmark(s) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
