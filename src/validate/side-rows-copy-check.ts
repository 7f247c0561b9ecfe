import type { SideRowsCopy } from '../../ports/side-rows-copy.ts';

/**
 * The read copy of listings' side rows (ports/side-rows-copy.ts) against the side tables: every listing, in id
 * order, a thousand per statement. The copy is written in the same transaction as the side rows, so a difference is
 * never a write in flight: no re-check is needed. Only the first `keptIds` ids are kept (reported and rebuilt by
 * `--fix`); the rest are counted.
 */
export interface SideRowsCheckResult {
  readonly examined: number;
  readonly count: number;
  readonly ids: readonly number[];
  readonly stopped: boolean;
}

const BATCH = 1000;

export async function findDriftedSideRows(
  copy: SideRowsCopy,
  options: { readonly keptIds: number; readonly stopped: () => boolean },
): Promise<SideRowsCheckResult> {
  let examined = 0;
  let count = 0;
  const ids: number[] = [];
  let afterId: number | null = 0;
  while (afterId !== null) {
    if (options.stopped()) return { examined, count, ids, stopped: true };
    const batch = await copy.findDrifted(afterId, BATCH);
    examined += batch.examined;
    count += batch.drifted.length;
    for (const id of batch.drifted) if (ids.length < options.keptIds) ids.push(id);
    afterId = batch.nextAfterId;
  }
  return { examined, count, ids, stopped: false };
}
