/**
 * One-off measurement (not a test): does `listings backup create` stream? Backs up a small and a large database
 * (a few hundred MB) to a folder and to MinIO, sampling the CLI process's peak RSS (VmHWM in /proc/<pid>/status)
 * and, separately, pg_dump's. Run: `scripts/run node test/integration/backup/measure-backup-memory.ts [rows]`.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { CLI_ENTRY, REPO_ROOT } from '../../support/cli.ts';
import { freshPostgres, temporaryDirectory } from '../../support/databases.ts';
import { removeBucket } from '../images/image-world.ts';
import { minioEnv, populate } from './backup-world.ts';

const MiB = 1024 * 1024;

async function peakKiB(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kib) ? kib : undefined;
  } catch {
    return undefined;
  }
}

async function childPids(pid: number): Promise<number[]> {
  try {
    const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return children.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Runs the CLI and returns its peak RSS and its children's (pg_dump), in MiB. */
async function measure(
  args: string[],
  env: Record<string, string>,
): Promise<{ cli: number; children: number; stdout: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SVETULISTINGS_')));
  const child = spawn(process.execPath, [CLI_ENTRY, '--json', ...args], { cwd: REPO_ROOT, env: { ...clean, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  let cli = 0;
  let children = 0;
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let done = false;
  exited.then(() => {
    done = true;
  });
  while (!done) {
    cli = Math.max(cli, (await peakKiB(child.pid as number)) ?? 0);
    for (const pid of await childPids(child.pid as number)) children = Math.max(children, (await peakKiB(pid)) ?? 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const code = await exited;
  if (code !== 0) throw new Error(`backup create exited ${code}: ${stderr}`);
  return { cli: cli / 1024, children: children / 1024, stdout };
}

const rows = Number(process.argv[2] ?? 250_000);
const folder = await temporaryDirectory('listings-backup-memory-');
const results: string[] = [];
for (const [label, count] of [
  ['small', 200],
  ['large', rows],
] as const) {
  const db = await freshPostgres('listings_bk_mem');
  try {
    const started = Date.now();
    await populate(db.knex, count, true);
    const size = Number((await db.knex.raw('SELECT pg_database_size(current_database()) AS s')).rows[0].s);
    process.stderr.write(
      `${label}: ${count} listings, database ${(size / MiB).toFixed(0)} MiB (filled in ${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
    );
    for (const target of ['folder', 'minio'] as const) {
      const bucket = `listings-backup-mem-${Date.now().toString(36)}`;
      const repo = target === 'folder' ? `${folder.path}/${label}` : `s3://${bucket}/mem`;
      const env = {
        SVETULISTINGS_DB_URL: db.url as string,
        SVETULISTINGS_DATA_DIR: `${folder.path}/data`,
        SVETULISTINGS_LOG_LEVEL: 'warn',
        ...(target === 'minio' ? minioEnv() : {}),
      };
      const t0 = Date.now();
      const result = await measure(['backup', 'create', '--repo', repo], env);
      const dumped = (JSON.parse(result.stdout) as { sizeBytes: number }).sizeBytes;
      const line = `${label.padEnd(5)} db ${(size / MiB).toFixed(0).padStart(4)} MiB → ${target.padEnd(6)} dump ${(dumped / MiB).toFixed(1).padStart(6)} MiB in ${((Date.now() - t0) / 1000).toFixed(1)} s: CLI peak RSS ${result.cli.toFixed(0)} MiB, pg_dump peak RSS ${result.children.toFixed(0)} MiB`;
      process.stderr.write(`${line}\n`);
      results.push(line);
      if (target === 'minio') await removeBucket(bucket);
    }
  } finally {
    await db.dispose();
  }
}
await folder.remove();
process.stdout.write(`${results.join('\n')}\n`);
