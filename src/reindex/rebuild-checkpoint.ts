/**
 * Checkpoints of a rebuild (ops-scripts.md §1.7 step 3: "checkpoint after each confirmed bulk so a kill resumes"),
 * kept with the index being built. A checkpoint names the outbox mark taken before the copy (the replay of a resumed
 * run starts there, so nothing written since the first start is missed) and the id up to which every listing is
 * confirmed written. Saves are throttled: the copy confirms batches far more often than is worth a round trip.
 */
import type { OutboxMark } from '../../ports/index-outbox.ts';
import type { IndexInventory, SearchIndexMaintenance } from '../../ports/search-index-maintenance.ts';

export interface RebuildCheckpoint {
  readonly mark: OutboxMark;
  /** Every searchable listing with an id up to this one was written. */
  readonly afterId: number;
  /** Documents and bytes written up to `afterId`. */
  readonly documents: number;
  readonly bytes: number;
}

export function encodeCheckpoint(checkpoint: RebuildCheckpoint): string {
  return JSON.stringify({ v: 1, ...checkpoint });
}

/** The checkpoint, or null when `text` is not one (another tool's metadata, a newer format). */
export function decodeCheckpoint(text: string | null): RebuildCheckpoint | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<RebuildCheckpoint> & { v?: number };
    const whole = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
    if (value.v !== 1 || typeof value.mark !== 'string' || !whole(value.afterId)) return null;
    if (!whole(value.documents) || !whole(value.bytes)) return null;
    return { mark: value.mark, afterId: value.afterId!, documents: value.documents!, bytes: value.bytes! };
  } catch {
    return null;
  }
}

/** The newest index a killed rebuild left with a checkpoint, or null. */
export async function findResumable(
  maintenance: SearchIndexMaintenance,
  inventory: IndexInventory,
): Promise<{ readonly name: string; readonly checkpoint: RebuildCheckpoint } | null> {
  for (const name of [...inventory.other].reverse()) {
    const checkpoint = decodeCheckpoint(await maintenance.checkpoint(name));
    if (checkpoint !== null) return { name, checkpoint };
  }
  return null;
}

/** Saves a rebuild's checkpoints at most every `everyMs` (and always when forced). */
export class CheckpointWriter {
  readonly #maintenance: SearchIndexMaintenance;
  readonly #name: string;
  readonly #mark: OutboxMark;
  readonly #now: () => number;
  readonly #everyMs: number;
  #last = Number.NEGATIVE_INFINITY;

  constructor(maintenance: SearchIndexMaintenance, name: string, mark: OutboxMark, now: () => number, everyMs = 2000) {
    this.#maintenance = maintenance;
    this.#name = name;
    this.#mark = mark;
    this.#now = now;
    this.#everyMs = everyMs;
  }

  async save(
    afterId: number,
    copied: { readonly documents: number; readonly bytes: number },
    force = false,
  ): Promise<void> {
    const now = this.#now();
    if (!force && now - this.#last < this.#everyMs) return;
    this.#last = now;
    const checkpoint = { mark: this.#mark, afterId, documents: copied.documents, bytes: copied.bytes };
    await this.#maintenance.saveCheckpoint(this.#name, encodeCheckpoint(checkpoint));
  }
}
