/**
 * The indexing worker's writes when OpenSearch serves searches: every write goes to the primary index and, in
 * parallel, to the PostgreSQL search table that answers searches while OpenSearch is down
 * (failover-search-index.ts). A job is done only when both hold the change, so the fallback never drifts: an item's
 * result is the worse of the two (permanent, then retryable, then ok, then stale), and a retry re-sends to both
 * (external versions make the side that already has it answer `stale`).
 *
 * Why the worker keeps the fallback rather than the fallback reading `listings` directly: PostgreSQL full text needs
 * its vectors and indexes to answer in milliseconds (`listings` has none, and adding them would slow every write of
 * the service), and the fallback then answers with the same stemming, filters, facets and cursors as the embedded
 * engine. The price: the mirror is as fresh as OpenSearch was when it went down (the worker stops claiming while the
 * engine is down), and each batch also writes the table. Reads, counts and the reindex lifecycle are the primary's.
 */
import type { IndexItemResult, SearchIndex } from '../../ports/search-index.ts';

const SEVERITY: Readonly<Record<IndexItemResult['status'], number>> = { stale: 0, ok: 1, retryable: 2, permanent: 3 };

export function mirroredSearchIndex(primary: SearchIndex, mirror: SearchIndex): SearchIndex {
  const both = async (
    write: (index: SearchIndex) => Promise<readonly IndexItemResult[]>,
  ): Promise<readonly IndexItemResult[]> => {
    const [ours, mirrored] = await Promise.all([write(primary), write(mirror)]);
    return ours.map((result, i) => worse(result, mirrored[i], mirror.engine));
  };
  return {
    engine: primary.engine,
    visibilityDelayMs: Math.max(primary.visibilityDelayMs ?? 0, mirror.visibilityDelayMs ?? 0),
    search: (query) => primary.search(query),
    suggest: (request) => primary.suggest(request),
    upsert: (documents) => both((index) => index.upsert(documents)),
    remove: (items) => both((index) => index.remove(items)),
    async ensureIndex() {
      await mirror.ensureIndex();
      return primary.ensureIndex();
    },
    createVersionedIndex: () => primary.createVersionedIndex(),
    bulkInto: (name, documents) => primary.bulkInto(name, documents),
    swapAlias: (name, options) => primary.swapAlias(name, options),
    dropIndex: (name) => primary.dropIndex(name),
    count: (name) => primary.count(name),
    refresh: (name) => primary.refresh(name),
    close: () => primary.close(),
  };
}

function worse(
  ours: IndexItemResult,
  mirrored: IndexItemResult | undefined,
  mirrorEngine: SearchIndex['engine'],
): IndexItemResult {
  if (mirrored === undefined) {
    return { id: ours.id, status: 'retryable', reason: `${mirrorEngine} mirror: no result for this item` };
  }
  if (SEVERITY[mirrored.status] <= SEVERITY[ours.status]) return ours;
  if (mirrored.status === 'retryable' || mirrored.status === 'permanent') {
    return { id: ours.id, status: mirrored.status, reason: `${mirrorEngine} mirror: ${mirrored.reason}` };
  }
  return { id: ours.id, status: mirrored.status };
}
