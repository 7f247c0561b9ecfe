import { createHash } from 'node:crypto';
import type { DumpFormat, DumpKind } from '../../ports/database-dump.ts';

/**
 * What a backup holds, written last (`<id>/manifest.json`), so a backup without one is incomplete. It carries its
 * own checksum, like pg_verifybackup's `Manifest-Checksum`: a manifest edited or damaged after the fact fails
 * verify step 1 before any file is trusted.
 */
export interface BackupManifest {
  readonly manifestVersion: 1;
  readonly id: string;
  /** When the database snapshot was taken (ISO 8601, UTC). Retention and ages count from here. */
  readonly createdAt: string;
  readonly completedAt: string;
  readonly kind: DumpKind;
  readonly format: DumpFormat;
  readonly database: {
    readonly name: string;
    readonly serverVersion: string;
    readonly schemaVersion: string | null;
  };
  /** The dump tool and its version. */
  readonly tool: string;
  /** The `listings` version that wrote the backup. */
  readonly producer: string;
  /** Rows per table in the dump's snapshot, keyed `schema.table`. */
  readonly tableRowCounts: Readonly<Record<string, number>>;
  /** The dump's files, relative to the backup folder (`database.dump`, `database/3012.dat.gz`...). */
  readonly files: readonly ManifestEntry[];
  /** Image objects copied with `--with-objects` (under `<id>/objects/<key>`), else null. */
  readonly objects: readonly ManifestObject[] | null;
}

export interface ManifestEntry {
  readonly name: string;
  /** Bytes. */
  readonly size: number;
  /** Hex SHA-256 of the bytes. */
  readonly sha256: string;
}

export interface ManifestObject {
  /** The key in the image store. */
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly contentType: string;
}

const CHECKSUM_FIELD = 'manifestSha256';

/** Keys sorted at every level, so the checksum does not depend on how a writer ordered them. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function checksumOf(manifest: unknown): string {
  return createHash('sha256').update(canonicalJson(manifest)).digest('hex');
}

/** The manifest's file text: readable JSON ending with its own checksum. */
export function serializeManifest(manifest: BackupManifest): string {
  return `${JSON.stringify({ ...manifest, [CHECKSUM_FIELD]: checksumOf(manifest) }, null, 2)}\n`;
}

export type ManifestParse =
  | { readonly ok: true; readonly manifest: BackupManifest }
  | { readonly ok: false; readonly problems: readonly string[] };

const SHA256 = /^[0-9a-f]{64}$/;
const FORMATS: readonly DumpFormat[] = ['custom', 'directory', 'pglite-datadir'];

/**
 * Parses and checks a manifest: JSON, its own checksum, the fields' types, the id it should carry, file names
 * that stay inside the backup folder, no name twice. Returns every problem found.
 */
export function parseManifest(text: string, expectedId: string): ManifestParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`manifest is not JSON: ${(error as Error).message}`] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: ['manifest is not a JSON object'] };
  }
  const { [CHECKSUM_FIELD]: recorded, ...body } = raw as Record<string, unknown>;
  if (typeof recorded !== 'string') return { ok: false, problems: [`manifest has no ${CHECKSUM_FIELD}`] };
  if (checksumOf(body) !== recorded) {
    return { ok: false, problems: ['manifest checksum does not match its content (edited or damaged)'] };
  }
  const problems = shapeProblems(body, expectedId);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, manifest: body as unknown as BackupManifest };
}

function shapeProblems(m: Record<string, unknown>, expectedId: string): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  need(m.manifestVersion === 1, `unsupported manifestVersion ${JSON.stringify(m.manifestVersion)}`);
  need(m.id === expectedId, `manifest id ${JSON.stringify(m.id)} is not the backup's id ${expectedId}`);
  need(isDate(m.createdAt) && isDate(m.completedAt), 'createdAt/completedAt are not ISO dates');
  need(m.kind === 'postgres' || m.kind === 'pglite', `unknown kind ${JSON.stringify(m.kind)}`);
  need(FORMATS.includes(m.format as DumpFormat), `unknown format ${JSON.stringify(m.format)}`);
  const database = m.database as Record<string, unknown> | undefined;
  need(
    typeof database?.name === 'string' &&
      typeof database.serverVersion === 'string' &&
      (database.schemaVersion === null || typeof database.schemaVersion === 'string'),
    'database facts are missing',
  );
  need(typeof m.tool === 'string' && typeof m.producer === 'string', 'tool or producer is missing');
  const counts = m.tableRowCounts as Record<string, unknown> | undefined;
  need(
    counts !== null &&
      typeof counts === 'object' &&
      Object.values(counts).every((n) => Number.isSafeInteger(n) && (n as number) >= 0),
    'tableRowCounts must map tables to row counts',
  );
  const files = m.files;
  if (!Array.isArray(files) || files.length === 0) problems.push('the manifest lists no files');
  else problems.push(...entryProblems(files, 'name', 'file'));
  if (m.objects !== null) {
    if (!Array.isArray(m.objects)) problems.push('objects must be a list or null');
    else problems.push(...entryProblems(m.objects, 'key', 'object'));
  }
  return problems;
}

function entryProblems(entries: unknown[], nameField: 'name' | 'key', what: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries as Record<string, unknown>[]) {
    const name = entry?.[nameField];
    if (typeof name !== 'string' || !isSafeRelativeName(name)) {
      problems.push(`${what} name ${JSON.stringify(name)} is not a safe relative name`);
      continue;
    }
    if (seen.has(name)) problems.push(`${what} ${name} is listed twice`);
    seen.add(name);
    if (!Number.isSafeInteger(entry.size) || (entry.size as number) < 0) problems.push(`${what} ${name}: bad size`);
    if (typeof entry.sha256 !== 'string' || !SHA256.test(entry.sha256)) problems.push(`${what} ${name}: bad sha256`);
  }
  return problems;
}

function isSafeRelativeName(name: string): boolean {
  return name.length > 0 && !name.startsWith('/') && name.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

function isDate(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/** Total bytes of the dump's files and copied objects. */
export function manifestSize(manifest: BackupManifest): number {
  const files = manifest.files.reduce((sum, f) => sum + f.size, 0);
  return files + (manifest.objects ?? []).reduce((sum, o) => sum + o.size, 0);
}
