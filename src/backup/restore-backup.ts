import { pipeline } from 'node:stream';
import type { DatabaseDump, DatabaseInspection, DumpKind } from '../../ports/database-dump.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { AppError } from '../domain/errors.ts';
import { archiveOf } from './backup-archive.ts';
import type { BackupFolder } from './backup-folder.ts';
import type { BackupManifest } from './manifest.ts';
import { DigestingStream } from './stream-digest.ts';
import { compareWithManifest, type VerifyBackup, type VerifyStep } from './verify-backup.ts';

export interface RestoreBackupDeps {
  readonly folder: BackupFolder;
  readonly verify: VerifyBackup;
  readonly dumpFor: (kind: DumpKind) => DatabaseDump;
  /** The image store objects are put back into, for `withObjects`. */
  readonly images?: ObjectStore;
}

export interface RestoreBackupRequest {
  /** A PostgreSQL URL (postgres backups) or a PGlite data directory (pglite backups). */
  readonly target: string;
  /** A printable form of the target (a URL without its password), for messages. */
  readonly targetLabel: string;
  readonly clean: boolean;
  readonly dryRun: boolean;
  readonly withObjects: boolean;
  /** Asked once every check passed, just before the first write; rejects to abort. */
  readonly confirm: (question: string) => Promise<void>;
}

export interface RestorePlan {
  readonly id: string;
  readonly target: string;
  /** Tables the target holds before the restore. */
  readonly targetTables: number;
  readonly clean: boolean;
  readonly objects: number;
  readonly checks: readonly VerifyStep[];
}

export type RestoreReport =
  | ({ readonly dryRun: true } & RestorePlan)
  | ({
      readonly dryRun: false;
      /** True when the restored row counts and schema version equal the manifest's. */
      readonly matches: boolean;
      readonly differences: readonly string[];
      readonly tableRowCounts: DatabaseInspection['tableRowCounts'];
      readonly schemaVersion: string | null;
      readonly objectsRestored: number;
    } & RestorePlan);

/**
 * `listings backup restore`: checks the backup first (verify steps 1–3: manifest, every checksum, the table of
 * contents), refuses a target that holds tables unless `clean`, asks, restores, and reports the restored row counts
 * against the manifest. It never creates or drops a database: the target is the one the operator named.
 */
export class RestoreBackup {
  readonly #deps: RestoreBackupDeps;

  constructor(deps: RestoreBackupDeps) {
    this.#deps = deps;
  }

  async execute(id: string, request: RestoreBackupRequest): Promise<RestoreReport> {
    if (request.withObjects && this.#deps.images === undefined) {
      throw new AppError('INTERNAL', 'withObjects needs the image store');
    }
    const checked = await this.#deps.verify.execute(id, { restore: false, upTo: 3, record: false });
    const failed = checked.steps.find((s) => s.status === 'failed');
    if (failed !== undefined || checked.manifest === undefined) {
      const reason = failed === undefined ? 'unreadable manifest' : `step ${failed.step}: ${failed.details.join('; ')}`;
      throw new AppError('CHECK_FAILED', `backup ${id} failed its checks, nothing restored (${reason})`, {
        details: { steps: checked.steps },
      });
    }
    const manifest = checked.manifest;
    if (request.withObjects && manifest.objects === null) {
      throw new AppError('USAGE_INVALID', `backup ${id} holds no image objects (it was made without --with-objects)`);
    }
    const dump = this.#deps.dumpFor(manifest.kind);
    const before = await dump.inspect(request.target);
    const targetTables = Object.keys(before.tableRowCounts).length;
    if (targetTables > 0 && !request.clean) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `${request.targetLabel} already holds ${targetTables} table(s); restore into an empty database, or pass --clean to replace the backup's objects in it`,
      );
    }
    const plan: RestorePlan = {
      id,
      target: request.targetLabel,
      targetTables,
      clean: request.clean,
      objects: request.withObjects ? (manifest.objects?.length ?? 0) : 0,
      checks: checked.steps,
    };
    if (request.dryRun) return { dryRun: true, ...plan };
    await request.confirm(
      `restore backup ${id} (${manifest.database.name}, ${manifest.createdAt}) into ${request.targetLabel}` +
        (targetTables > 0 ? `, replacing its objects (${targetTables} tables there now)` : '') +
        (plan.objects > 0 ? `, and put ${plan.objects} image object(s) back into the image store` : '') +
        '?',
    );
    const restored = await dump.restore(archiveOf(this.#deps.folder, id, manifest), request.target, {
      clean: request.clean,
    });
    const objectsRestored = request.withObjects ? await this.#restoreObjects(id, manifest) : 0;
    const differences = compareWithManifest(manifest, restored);
    return {
      dryRun: false,
      ...plan,
      matches: differences.length === 0,
      differences,
      tableRowCounts: restored.tableRowCounts,
      schemaVersion: restored.schemaVersion,
      objectsRestored,
    };
  }

  async #restoreObjects(id: string, manifest: BackupManifest): Promise<number> {
    const images = this.#deps.images as ObjectStore;
    let restored = 0;
    for (const object of manifest.objects ?? []) {
      const source = await this.#deps.folder.store.get(this.#deps.folder.objectKey(id, object.key));
      const meter = new DigestingStream();
      pipeline(source.body, meter, () => {});
      const stored = await images.put(object.key, meter, {
        contentType: object.contentType,
        contentLength: object.size,
      });
      if (stored.sha256 !== undefined && stored.sha256 !== object.sha256) {
        throw new AppError('CHECK_FAILED', `image object ${object.key} changed in the backup store since verify`);
      }
      restored += 1;
    }
    return restored;
  }
}
