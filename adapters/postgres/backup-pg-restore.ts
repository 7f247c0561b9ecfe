import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import type { ArchiveContents, DumpArchive } from '../../ports/database-dump.ts';
import { AppError } from '../../src/domain/errors.ts';
import { quoteIdent } from './backup-inspection.ts';
import { exitOf, findPgTool, libpqConnection, majorOf, type PgTool, spawnTool, stderrTail } from './backup-pg-tools.ts';
import { RestoreSearchPath } from './backup-search-path.ts';

export interface RestoreToolSettings {
  readonly binDir: string | undefined;
  readonly stagingDir: string | undefined;
}

/** pg_restore of the archive's pg_dump major or newer (an older pg_restore cannot read a newer archive). */
function restoreTool(archive: DumpArchive, settings: RestoreToolSettings): Promise<PgTool> {
  return findPgTool('pg_restore', majorOf(archive.tool) ?? 0, settings.binDir);
}

const CUSTOM_FILE = 'database.dump';
const TABLE_DATA = /^\d+; \d+ \d+ TABLE DATA (\S+) (\S+) /;

/**
 * Reads the table of contents (`pg_restore --list`), then the whole archive into /dev/null (`pg_restore --file`),
 * which decompresses every data block: a damaged or truncated archive fails here even when its TOC is intact.
 */
export async function listArchive(archive: DumpArchive, settings: RestoreToolSettings): Promise<ArchiveContents> {
  const tool = await restoreTool(archive, settings);
  return withArchiveInput(archive, settings, async (input) => {
    const listing = await runRestore(tool, ['--list', ...input.args], {}, await input.stream(), true);
    await runRestore(tool, ['--file=/dev/null', ...input.args], {}, await input.stream(), false);
    const lines = listing.split('\n').filter((line) => line.trim() !== '' && !line.startsWith(';'));
    const dataTables = lines.flatMap((line) => {
      const match = TABLE_DATA.exec(line);
      return match ? [`${match[1]}.${match[2]}`] : [];
    });
    return { entries: lines.length, dataEntries: dataTables.length, dataTables };
  });
}

/**
 * Restores into an existing database: pg_restore turns the archive into an SQL script (`--file=-`) that psql runs in
 * one transaction, stopping at the first error, so a failed restore leaves the target as it was; both stream, so
 * nothing holds the dump. Objects come without their original owners and grants (the target's role owns them).
 * The script's search_path is set to `public` (see backup-search-path.ts for why).
 */
export async function restoreArchive(
  archive: DumpArchive,
  url: string,
  settings: RestoreToolSettings & { readonly clean: boolean },
): Promise<void> {
  const tool = await restoreTool(archive, settings);
  const psql = await findPgTool('psql', tool.major, settings.binDir);
  const connection = libpqConnection(url);
  const args = ['--file=-', '--no-owner', '--no-privileges', ...(settings.clean ? ['--clean', '--if-exists'] : [])];
  await withArchiveInput(archive, settings, async (input) => {
    const client = spawnTool(
      psql,
      [
        '--no-psqlrc',
        '--quiet',
        '--set=ON_ERROR_STOP=1',
        '--single-transaction',
        '--no-password',
        `--dbname=${connection.url}`,
      ],
      connection.env,
    );
    const clientErrors = stderrTail(client);
    client.stdout?.resume();
    const clientExit = exitOf(client);
    const script = new RestoreSearchPath();
    const piping = pipeline(script, client.stdin as NodeJS.WritableStream).catch(() => {});
    try {
      await runRestore(tool, [...args, ...input.args], {}, await input.stream(), script);
    } catch (error) {
      // psql stopping at an error closes the pipe and pg_restore fails with it: psql's message says why.
      const code = await clientExit;
      if (code !== 0) throw new AppError('CHECK_FAILED', `restore failed (psql exit ${code}): ${clientErrors()}`);
      throw error;
    }
    await piping;
    const code = await clientExit;
    if (code !== 0) throw new AppError('CHECK_FAILED', `restore failed (psql exit ${code}): ${clientErrors()}`);
  });
}

/** Creates `listings_verify_<random>` on the server of `serverUrl`, runs `work` on its URL, and always drops it. */
export async function withScratchDatabase<T>(serverUrl: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `listings_verify_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl, application_name: 'listings-backup' });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end().catch(() => {});
    }
  };
  await admin(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8'`);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  }
}

interface ArchiveInput {
  /** pg_restore's positional arguments: the staged folder, or nothing (stdin). */
  readonly args: string[];
  /** A fresh stream of the archive for stdin, or undefined when pg_restore reads the staged folder. */
  stream(): Promise<Readable | undefined>;
}

/** A custom archive streams from the store into stdin; a directory archive is staged locally first. */
async function withArchiveInput<T>(
  archive: DumpArchive,
  settings: RestoreToolSettings,
  work: (input: ArchiveInput) => Promise<T>,
): Promise<T> {
  if (archive.format === 'custom') {
    if (!archive.files.some((f) => f.name === CUSTOM_FILE)) {
      throw new AppError('CHECK_FAILED', `the archive has no ${CUSTOM_FILE}`);
    }
    return work({ args: ['--format=custom'], stream: () => archive.open(CUSTOM_FILE) });
  }
  if (archive.format !== 'directory') throw new AppError('INTERNAL', `not a pg_dump archive: ${archive.format}`);
  const staging = await mkdtemp(join(settings.stagingDir ?? tmpdir(), 'listings-restore-'));
  try {
    for (const file of archive.files) {
      const path = join(staging, file.name);
      await mkdir(dirname(path), { recursive: true });
      await pipeline(await archive.open(file.name), createWriteStream(path));
    }
    return await work({ args: ['--format=directory', join(staging, 'database')], stream: async () => undefined });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Runs pg_restore, feeding `input` to stdin; stdout is returned (`true`), dropped (`false`) or piped into a stream.
 * Failure is CHECK_FAILED.
 */
async function runRestore(
  tool: PgTool,
  args: string[],
  env: Record<string, string>,
  input: Readable | undefined,
  output: boolean | NodeJS.WritableStream,
): Promise<string> {
  const child = spawnTool(tool, args, env);
  const stderr = stderrTail(child);
  let stdout = '';
  if (typeof output === 'object') (child.stdout as Readable).pipe(output);
  else {
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      if (output) stdout += chunk;
    });
  }
  let inputError: unknown;
  let feeding = Promise.resolve();
  if (input === undefined) child.stdin?.end();
  else {
    feeding = pipeline(input, child.stdin as NodeJS.WritableStream).catch((error: unknown) => {
      inputError = error;
    });
  }
  const code = await exitOf(child);
  // pg_restore --list stops reading after the table of contents; the broken pipe that follows is expected.
  if (input !== undefined && !input.destroyed) input.destroy();
  await feeding;
  if (code !== 0) throw new AppError('CHECK_FAILED', `pg_restore failed (exit ${code}): ${stderr() || 'no message'}`);
  if (inputError !== undefined && !isBrokenPipe(inputError)) {
    throw new AppError('CHECK_FAILED', `reading the archive failed: ${(inputError as Error).message}`);
  }
  return stdout;
}

function isBrokenPipe(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_STREAM_DESTROYED';
}
