import type { BackupFolder } from './backup-folder.ts';
import { readInventory } from './backup-inventory.ts';
import { type RetentionPolicy, selectRetained } from './retention.ts';

export interface PruneRequest {
  readonly policy: RetentionPolicy;
  /** Report only; the CLI's default until `--yes`. */
  readonly dryRun: boolean;
}

export interface PruneDecision {
  readonly id: string;
  readonly createdAt: string | null;
  readonly state: 'complete' | 'incomplete' | 'damaged';
  readonly sizeBytes: number;
  /** Why it stays (retention periods, newest, newest verified, damaged), empty when it goes. */
  readonly keptBecause: readonly string[];
}

export interface PruneReport {
  readonly dryRun: boolean;
  readonly policy: RetentionPolicy;
  readonly kept: readonly PruneDecision[];
  readonly deleted: readonly PruneDecision[];
  /** Bytes freed (or that would be). */
  readonly deletedBytes: number;
}

/**
 * `listings backup prune`: applies {@link selectRetained} to the complete backups. Incomplete folders (no
 * manifest) older than the newest complete backup are leftovers of failed runs and go too; a newer one may be a
 * create in progress and stays. A damaged manifest is never pruned: it may be the last copy of something and
 * needs a human. A backup goes manifest first, so an interrupted prune leaves an incomplete folder, never a
 * manifest that promises missing files.
 */
export class PruneBackups {
  readonly #folder: BackupFolder;

  constructor(folder: BackupFolder) {
    this.#folder = folder;
  }

  async execute(request: PruneRequest): Promise<PruneReport> {
    const inventory = await readInventory(this.#folder);
    const complete = inventory.flatMap((entry) =>
      entry.state === 'complete'
        ? [{ id: entry.id, createdAt: new Date(entry.manifest.createdAt), verified: entry.lastVerify?.passed === true }]
        : [],
    );
    const retained = selectRetained(complete, request.policy);
    const newestComplete = complete.reduce<string | undefined>(
      (max, b) => (max === undefined || b.id > max ? b.id : max),
      undefined,
    );
    const kept: PruneDecision[] = [];
    const doomed: { decision: PruneDecision; keys: readonly string[] }[] = [];
    for (const entry of inventory) {
      const createdAt = entry.state === 'complete' ? entry.manifest.createdAt : null;
      const base = { id: entry.id, createdAt, state: entry.state, sizeBytes: entry.sizeBytes };
      let reasons: string[] = [];
      if (entry.state === 'complete') reasons = retained.get(entry.id) ?? [];
      else if (entry.state === 'damaged') reasons = ['damaged manifest: left for an operator'];
      else if (newestComplete === undefined || entry.id > newestComplete)
        reasons = ['incomplete, newer than every complete backup (may be running)'];
      if (reasons.length > 0) kept.push({ ...base, keptBecause: reasons });
      else doomed.push({ decision: { ...base, keptBecause: [] }, keys: entry.keys });
    }
    if (!request.dryRun) {
      for (const { decision, keys } of doomed) {
        const manifest = this.#folder.manifestKey(decision.id);
        await this.#folder.store.delete(keys.filter((k) => k === manifest));
        const rest = keys.filter((k) => k !== manifest);
        for (let i = 0; i < rest.length; i += 1000) await this.#folder.store.delete(rest.slice(i, i + 1000));
      }
    }
    const deleted = doomed.map((d) => d.decision);
    return {
      dryRun: request.dryRun,
      policy: request.policy,
      kept,
      deleted,
      deletedBytes: deleted.reduce((sum, d) => sum + d.sizeBytes, 0),
    };
  }
}
