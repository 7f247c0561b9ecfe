import type { BackupFolder, VerifyRecord } from './backup-folder.ts';
import { type BackupManifest, manifestSize } from './manifest.ts';

/** One backup folder as `list`, `prune` and the metrics see it. */
export type InventoryEntry =
  | {
      readonly id: string;
      readonly state: 'complete';
      readonly manifest: BackupManifest;
      readonly sizeBytes: number;
      readonly lastVerify: VerifyRecord | undefined;
      readonly keys: readonly string[];
    }
  | {
      /** `incomplete`: no manifest (a create that failed or is still running); `damaged`: a manifest that fails step 1. */
      readonly id: string;
      readonly state: 'incomplete' | 'damaged';
      readonly problems: readonly string[];
      readonly sizeBytes: number;
      readonly lastVerify: VerifyRecord | undefined;
      readonly keys: readonly string[];
    };

/** Every backup folder with its manifest and last verify, oldest id first. */
export async function readInventory(folder: BackupFolder): Promise<InventoryEntry[]> {
  const entries: InventoryEntry[] = [];
  for (const stored of await folder.list()) {
    const keys = stored.objects.map((o) => o.key);
    const sizeBytes = stored.objects.reduce((sum, o) => sum + o.size, 0);
    const lastVerify = stored.objects.some((o) => o.key === folder.verifyKey(stored.id))
      ? await folder.readVerifyRecord(stored.id)
      : undefined;
    if (!stored.hasManifest) {
      entries.push({ id: stored.id, state: 'incomplete', problems: ['no manifest'], sizeBytes, lastVerify, keys });
      continue;
    }
    const parsed = await folder.readManifest(stored.id);
    if (parsed === undefined || !parsed.ok) {
      const problems = parsed === undefined ? ['no manifest'] : parsed.problems;
      entries.push({ id: stored.id, state: 'damaged', problems, sizeBytes, lastVerify, keys });
      continue;
    }
    const size = manifestSize(parsed.manifest);
    entries.push({ id: stored.id, state: 'complete', manifest: parsed.manifest, sizeBytes: size, lastVerify, keys });
  }
  return entries;
}
