import type { Clock } from '../../ports/clock.ts';
import type { BackupFolder } from './backup-folder.ts';
import { readInventory } from './backup-inventory.ts';

export interface BackupListing {
  readonly id: string;
  readonly state: 'complete' | 'incomplete' | 'damaged';
  /** Snapshot time, for complete backups. */
  readonly createdAt: string | null;
  /** `postgres/custom`, `postgres/directory`, `pglite/pglite-datadir`, plus `+objects`. */
  readonly type: string | null;
  readonly sizeBytes: number;
  readonly ageSeconds: number | null;
  readonly lastVerify: {
    readonly at: string;
    readonly passed: boolean;
    readonly restored: boolean;
    readonly message: string;
  } | null;
}

/** The figures behind the backup metrics, at the time of the listing. */
export interface BackupHealth {
  readonly completeBackups: number;
  readonly newestCreatedAt: string | null;
  readonly newestSizeBytes: number | null;
  /** The most recent passing verify, of any backup. */
  readonly lastVerifyAt: string | null;
  /** The newest backup whose last verify passed. */
  readonly newestVerifiedCreatedAt: string | null;
  readonly newestVerifiedAgeSeconds: number | null;
}

/** `listings backup list`: every backup folder with its type, size, age and last verify, oldest first. */
export async function listBackups(
  folder: BackupFolder,
  clock: Clock,
): Promise<{ backups: BackupListing[]; health: BackupHealth }> {
  const now = clock.now().getTime();
  const inventory = await readInventory(folder);
  const backups = inventory.map((entry): BackupListing => {
    const lastVerify =
      entry.lastVerify === undefined
        ? null
        : {
            at: entry.lastVerify.verifiedAt,
            passed: entry.lastVerify.passed,
            restored: entry.lastVerify.restored,
            message: entry.lastVerify.message,
          };
    if (entry.state !== 'complete') {
      return {
        id: entry.id,
        state: entry.state,
        createdAt: null,
        type: null,
        sizeBytes: entry.sizeBytes,
        ageSeconds: null,
        lastVerify,
      };
    }
    const { manifest } = entry;
    return {
      id: entry.id,
      state: 'complete',
      createdAt: manifest.createdAt,
      type: `${manifest.kind}/${manifest.format}${manifest.objects === null ? '' : '+objects'}`,
      sizeBytes: entry.sizeBytes,
      ageSeconds: Math.max(0, Math.round((now - Date.parse(manifest.createdAt)) / 1000)),
      lastVerify,
    };
  });
  const complete = backups.filter((b) => b.state === 'complete').sort(byCreatedAt);
  const newest = complete.at(-1);
  const verified = complete.filter((b) => b.lastVerify?.passed === true);
  const newestVerified = verified.at(-1);
  const verifyTimes = backups.flatMap((b) => (b.lastVerify?.passed === true ? [b.lastVerify.at] : [])).sort();
  return {
    backups,
    health: {
      completeBackups: complete.length,
      newestCreatedAt: newest?.createdAt ?? null,
      newestSizeBytes: newest?.sizeBytes ?? null,
      lastVerifyAt: verifyTimes.at(-1) ?? null,
      newestVerifiedCreatedAt: newestVerified?.createdAt ?? null,
      newestVerifiedAgeSeconds: newestVerified?.ageSeconds ?? null,
    },
  };
}

function byCreatedAt(a: BackupListing, b: BackupListing): number {
  return Date.parse(a.createdAt ?? '') - Date.parse(b.createdAt ?? '');
}
