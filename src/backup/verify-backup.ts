import type { Clock } from '../../ports/clock.ts';
import type { DatabaseDump, DatabaseInspection, DumpKind } from '../../ports/database-dump.ts';
import { AppError } from '../domain/errors.ts';
import { archiveOf } from './backup-archive.ts';
import type { BackupFolder, VerifyRecord } from './backup-folder.ts';
import type { BackupManifest } from './manifest.ts';
import { digestOf } from './stream-digest.ts';

export interface VerifyBackupDeps {
  readonly folder: BackupFolder;
  readonly clock: Clock;
  /** The dump adapter able to read backups of this kind. */
  readonly dumpFor: (kind: DumpKind) => DatabaseDump;
}

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface VerifyStep {
  readonly step: 1 | 2 | 3 | 4;
  readonly name: string;
  readonly status: StepStatus;
  /** What was checked, or every problem found. */
  readonly details: readonly string[];
}

export interface VerifyReport {
  readonly id: string;
  readonly passed: boolean;
  readonly verifiedAt: string;
  readonly steps: readonly VerifyStep[];
  /** The manifest, when step 1 passed. */
  readonly manifest: BackupManifest | undefined;
}

const STEP_NAMES = {
  1: 'manifest present and self-consistent',
  2: 'every file present, size and sha256 match',
  3: 'archive table of contents readable',
  4: 'test restore into a scratch database matches the manifest',
} as const;

/**
 * `listings backup verify`: the ladder of §2.9, each step reported, stopping at the first failure:
 * (1) the manifest parses and its checksum matches; (2) every file and copied object is there with its size and
 * sha256, and nothing else is; (3) the dump tool reads the table of contents, which names every counted table;
 * (4) with `restore`, a scratch restore whose row counts and schema version equal the manifest's.
 * The result is recorded beside the manifest (`verify.json`) for `list`, `prune` and the metrics.
 */
export class VerifyBackup {
  readonly #deps: VerifyBackupDeps;

  constructor(deps: VerifyBackupDeps) {
    this.#deps = deps;
  }

  /**
   * Runs the ladder on backup `id`. `restore` adds step 4; `upTo` stops earlier (restore checks steps 1–3 before
   * it starts); `record: false` writes nothing (dry runs).
   */
  async execute(
    id: string,
    options: { readonly restore: boolean; readonly upTo?: 1 | 2 | 3; readonly record?: boolean },
  ): Promise<VerifyReport> {
    const { folder, clock } = this.#deps;
    const steps: VerifyStep[] = [];
    const run = async (step: 1 | 2 | 3 | 4, check: () => Promise<string[] | { problems: string[] }>) => {
      if (steps.some((s) => s.status === 'failed')) {
        steps.push({ step, name: STEP_NAMES[step], status: 'skipped', details: [] });
        return;
      }
      try {
        const result = await check();
        if (Array.isArray(result)) steps.push({ step, name: STEP_NAMES[step], status: 'passed', details: result });
        else steps.push({ step, name: STEP_NAMES[step], status: 'failed', details: result.problems });
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'CHECK_FAILED') throw error;
        steps.push({ step, name: STEP_NAMES[step], status: 'failed', details: [error.message] });
      }
    };

    let manifest: BackupManifest | undefined;
    let hasManifest = false;
    await run(1, async () => {
      const parsed = await folder.readManifest(id);
      if (parsed === undefined) return { problems: [`backup ${id} has no manifest (missing or incomplete backup)`] };
      hasManifest = true;
      if (!parsed.ok) return { problems: [...parsed.problems] };
      manifest = parsed.manifest;
      return [`${manifest.files.length} file(s), ${manifest.objects?.length ?? 0} object(s), ${manifest.kind}`];
    });
    const upTo = options.upTo ?? 4;
    if (upTo >= 2) await run(2, () => this.#checkFiles(id, manifest as BackupManifest));
    if (upTo >= 3) await run(3, () => this.#checkContents(id, manifest as BackupManifest));
    if (options.restore && upTo >= 4) await run(4, () => this.#testRestore(id, manifest as BackupManifest));

    const failed = steps.find((s) => s.status === 'failed');
    const verifiedAt = clock.now().toISOString();
    if (hasManifest && options.record !== false) {
      const record: VerifyRecord = {
        verifiedAt,
        passed: failed === undefined,
        restored: options.restore && failed === undefined,
        failedStep: failed?.step ?? null,
        message: failed === undefined ? 'passed' : `step ${failed.step}: ${failed.details.join('; ')}`,
      };
      await folder.writeVerifyRecord(id, record);
    }
    return { id, passed: failed === undefined, verifiedAt, steps, manifest };
  }

  async #checkFiles(id: string, manifest: BackupManifest): Promise<string[] | { problems: string[] }> {
    const { folder } = this.#deps;
    const present = new Map<string, number>();
    for await (const object of folder.store.list(folder.folder(id), { recursive: true })) {
      present.set(object.key, object.size);
    }
    const expected: { key: string; size: number; sha256: string; label: string }[] = [
      ...manifest.files.map((f) => ({
        key: folder.dataKey(id, f.name),
        size: f.size,
        sha256: f.sha256,
        label: f.name,
      })),
      ...(manifest.objects ?? []).map((o) => ({
        key: folder.objectKey(id, o.key),
        size: o.size,
        sha256: o.sha256,
        label: `object ${o.key}`,
      })),
    ];
    const problems: string[] = [];
    let bytes = 0;
    for (const entry of expected) {
      const size = present.get(entry.key);
      if (size === undefined) {
        problems.push(`${entry.label}: missing`);
        continue;
      }
      if (size !== entry.size) {
        problems.push(`${entry.label}: ${size} bytes, the manifest says ${entry.size}`);
        continue;
      }
      const digest = await digestOf((await folder.store.get(entry.key)).body);
      if (digest.sha256 !== entry.sha256) problems.push(`${entry.label}: sha256 does not match the manifest`);
      bytes += digest.size;
    }
    const known = new Set([...expected.map((e) => e.key), folder.manifestKey(id), folder.verifyKey(id)]);
    for (const key of present.keys()) {
      if (!known.has(key)) problems.push(`${key.slice(folder.folder(id).length)}: not in the manifest`);
    }
    if (problems.length > 0) return { problems };
    return [`${expected.length} file(s) and object(s), ${bytes} bytes, checksums match`];
  }

  async #checkContents(id: string, manifest: BackupManifest): Promise<string[] | { problems: string[] }> {
    const dump = this.#deps.dumpFor(manifest.kind);
    const contents = await dump.listContents(archiveOf(this.#deps.folder, id, manifest));
    if (contents.dataTables !== null) {
      const inArchive = new Set(contents.dataTables);
      const absent = Object.keys(manifest.tableRowCounts).filter((table) => !inArchive.has(table));
      if (absent.length > 0) return { problems: [`the archive holds no data for ${absent.join(', ')}`] };
    }
    return [`${contents.entries} entries, ${contents.dataEntries} with data`];
  }

  async #testRestore(id: string, manifest: BackupManifest): Promise<string[] | { problems: string[] }> {
    const dump = this.#deps.dumpFor(manifest.kind);
    const restored = await dump.restoreIntoScratch(archiveOf(this.#deps.folder, id, manifest));
    const problems = compareWithManifest(manifest, restored);
    if (problems.length > 0) return { problems };
    const tables = Object.keys(restored.tableRowCounts).length;
    return [`${tables} table(s) with the manifest's row counts, schema version ${restored.schemaVersion ?? '(none)'}`];
  }
}

/** Every difference between a restored database and the manifest: tables, row counts, schema version. */
export function compareWithManifest(manifest: BackupManifest, restored: DatabaseInspection): string[] {
  const problems: string[] = [];
  const expected = manifest.tableRowCounts;
  const actual = restored.tableRowCounts;
  for (const [table, rows] of Object.entries(expected)) {
    if (!(table in actual)) problems.push(`${table}: missing after restore`);
    else if (actual[table] !== rows) problems.push(`${table}: ${actual[table]} rows, the manifest says ${rows}`);
  }
  for (const table of Object.keys(actual)) {
    if (!(table in expected)) problems.push(`${table}: not in the manifest`);
  }
  if (restored.schemaVersion !== manifest.database.schemaVersion) {
    problems.push(
      `schema version ${restored.schemaVersion ?? '(none)'}, the manifest says ${manifest.database.schemaVersion ?? '(none)'}`,
    );
  }
  return problems;
}
