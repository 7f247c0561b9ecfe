// Where a migrate-from-monolith run spends its time: `node bench/support/profile-migration.ts <source dsn>
// <empty migrated target dsn> [zone]`. Runs the CLI (a child, --no-enqueue) with statement-timing.ts preloaded and
// V8's CPU profiler on, then prints wall and CPU time, the statements by total time per connection, and the
// functions with the most self time. Not a benchmark: the probes cost a little; bench/monolith-migrate.bench.ts
// measures without them.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

const [source, target, zone = 'Europe/Belgrade'] = process.argv.slice(2);
if (!source || !target) {
  process.stderr.write('usage: node bench/support/profile-migration.ts <source dsn> <target dsn> [zone]\n');
  process.exit(2);
}
const folder = await mkdtemp(join(tmpdir(), 'migration-profile-'));
const timing = join(folder, 'statements.json');
const root = resolve(import.meta.dirname, '../..');
const started = performance.now();
const code = await new Promise<number>((done, fail) => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      resolve(import.meta.dirname, 'statement-timing.ts'),
      '--cpu-prof',
      '--cpu-prof-dir',
      folder,
      join(root, 'adapters/cli/main.ts'),
      'migrate-from-monolith',
      '--source',
      source,
      '--target',
      target,
      '--source-zone',
      zone,
      '--no-enqueue',
      '--json',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, STATEMENT_TIMING_FILE: timing } },
  );
  child.on('error', fail);
  child.on('close', (exit) => done(exit ?? 1));
});
const wallMs = performance.now() - started;
const statements = JSON.parse(await readFile(timing, 'utf8')) as {
  wall_ms: number;
  cpu_user_ms: number;
  cpu_system_ms: number;
  statements: { key: string; calls: number; ms: number }[];
};
const profileFile = (await readdir(folder)).find((name) => name.endsWith('.cpuprofile'));
const profile = JSON.parse(await readFile(join(folder, profileFile as string), 'utf8')) as CpuProfile;
const self = new Map<number, number>();
for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = `${functionName || '(anonymous)'} ${url.replace(`file://${root}/`, '')}:${lineNumber + 1}`;
  byFunction.set(where, (byFunction.get(where) ?? 0) + (self.get(node.id) ?? 0) / 1000);
}
const perConnection = new Map<string, number>();
for (const s of statements.statements) {
  const who = s.key.split(' | ')[0] as string;
  perConnection.set(who, (perConnection.get(who) ?? 0) + s.ms);
}
const lines = [
  `exit ${code}; wall ${(wallMs / 1000).toFixed(1)} s; CPU of the migration process: user ${(statements.cpu_user_ms / 1000).toFixed(1)} s, system ${(statements.cpu_system_ms / 1000).toFixed(1)} s`,
  'time waiting on statements, per connection (sums overlap when both connections work at once):',
  ...[...perConnection].map(([who, ms]) => `  ${(ms / 1000).toFixed(1).padStart(8)} s  ${who}`),
  'statements by total time:',
  ...statements.statements
    .slice(0, 25)
    .map((s) => `  ${(s.ms / 1000).toFixed(1).padStart(8)} s ${String(s.calls).padStart(6)} x  ${s.key}`),
  'functions by self time (CPU profile):',
  ...[...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([where, ms]) => `  ${(ms / 1000).toFixed(1).padStart(8)} s  ${where}`),
];
process.stdout.write(`${lines.join('\n')}\n`);
await rm(folder, { recursive: true, force: true });
