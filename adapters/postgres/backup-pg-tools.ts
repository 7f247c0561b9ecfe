import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { AppError } from '../../src/domain/errors.ts';

/** A PostgreSQL client program and its major version. */
export interface PgTool {
  readonly path: string;
  /** `pg_dump (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)` */
  readonly version: string;
  readonly major: number;
}

/** Folders searched for client tools, after an explicit one: Debian's per-version folders (newest first), then PATH. */
function candidateFolders(explicitDir: string | undefined): string[] {
  if (explicitDir !== undefined && explicitDir !== '') return [explicitDir];
  const debian = '/usr/lib/postgresql';
  const versioned = existsSync(debian)
    ? readdirSync(debian)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
        .map((name) => join(debian, name, 'bin'))
    : [];
  return [...versioned, ...(process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '')];
}

function versionOf(path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(path, ['--version'], { timeout: 10_000 }, (error, stdout) => {
      resolve(error ? undefined : stdout.trim());
    });
  });
}

/** `pg_dump (PostgreSQL) 15.10 (Debian ...)` → 15; `... 9.6.24` → 9. */
export function majorOf(version: string): number | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(version) ?? /^(\d+)(?:\.(\d+))?/.exec(version);
  if (match === null) return undefined;
  const major = Number(match[1]);
  return major < 10 ? Number(`${match[1]}.${match[2] ?? 0}`) : major;
}

/**
 * The first `program` (pg_dump, pg_restore) of major version `minMajor` or newer: in `explicitDir` when given, else
 * in /usr/lib/postgresql/<N>/bin (newest first), else on PATH. A dump taken with an older pg_dump than the server
 * can miss what the server has, and pg_restore cannot read archives of a newer pg_dump, hence the floor.
 * None found is `PRECONDITION_FAILED` naming every version seen.
 */
export async function findPgTool(program: string, minMajor: number, explicitDir?: string): Promise<PgTool> {
  const seen: string[] = [];
  for (const folder of candidateFolders(explicitDir)) {
    const path = join(folder, program);
    if (!existsSync(path)) continue;
    const version = await versionOf(path);
    if (version === undefined) continue;
    const major = majorOf(version);
    if (major !== undefined && major >= minMajor) return { path, version, major };
    seen.push(`${path} (${version})`);
  }
  const where = explicitDir ? `in ${explicitDir}` : 'in /usr/lib/postgresql/*/bin or on PATH';
  throw new AppError(
    'PRECONDITION_FAILED',
    `${program} ${minMajor} or newer is needed ${where}; ` +
      (seen.length > 0 ? `found only ${seen.join(', ')}` : 'found none') +
      '. Install the PostgreSQL client tools of that version (Debian: postgresql-client-<major>) or pass --pg-bin-dir',
  );
}

/** A libpq URL without its password, and the environment that passes the password instead (not visible in ps). */
export function libpqConnection(url: string): { url: string; env: Record<string, string> } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const env: Record<string, string> = { PGAPPNAME: 'listings-backup' };
  if (password !== '') env.PGPASSWORD = password;
  return { url: parsed.toString(), env };
}

/** Keeps the last bytes of a child's stderr, for the error message. */
export function stderrTail(child: ChildProcess, limit = 16_384): () => string {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-limit);
  });
  return () => tail.trim();
}

/** Resolves with the exit code once the child ended (a signal counts as failure). */
export function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
}

export function spawnTool(tool: PgTool, args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(tool.path, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}
