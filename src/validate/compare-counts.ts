/**
 * `listings validate --quick` (ops-scripts.md §1.8): the searchable listings PostgreSQL holds against the documents
 * the index holds, counted in all, per status and per category. Grouped counts on each side, never a document read,
 * so it answers in seconds whatever the catalogue size; it cannot tell which listings drifted (a missing document
 * and a document without a row in the same bucket cancel out): the full validate does.
 *
 * Counts taken while the worker is behind differ for a moment, so a difference is counted again after `settleMs`
 * (and an index refresh) and only what is still different is reported.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ListingCounts } from '../../ports/listing-counts.ts';
import type { SearchIndex } from '../../ports/search-index.ts';
import type { BucketCounts, SearchIndexMaintenance } from '../../ports/search-index-maintenance.ts';
import { AppError } from '../domain/errors.ts';

export interface CompareCountsDeps {
  readonly listings: ListingCounts;
  readonly searchIndex: SearchIndex;
  readonly maintenance: SearchIndexMaintenance;
  readonly monotonicMs: () => number;
}

/** One bucket whose counts differ. */
export interface CountDifference {
  readonly bucket: string;
  readonly database: number;
  readonly index: number;
}

export interface CountsReport {
  readonly mode: 'quick';
  readonly engine: 'opensearch' | 'postgres';
  readonly index: string;
  /** True when every count agrees. */
  readonly clean: boolean;
  /** PostgreSQL's searchable listings. */
  readonly database: BucketCounts;
  /** The index's documents. */
  readonly documents: BucketCounts;
  readonly differences: {
    readonly total: CountDifference | null;
    readonly status: readonly CountDifference[];
    readonly category: readonly CountDifference[];
  };
  readonly durationMs: number;
}

export class CompareIndexCounts {
  readonly #deps: CompareCountsDeps;

  constructor(deps: CompareCountsDeps) {
    this.#deps = deps;
  }

  async execute(request: { readonly settleMs: number }): Promise<CountsReport> {
    const { maintenance, searchIndex } = this.#deps;
    const started = this.#deps.monotonicMs();
    const serving = (await maintenance.indices()).serving;
    if (serving === null) throw new AppError('PRECONDITION_FAILED', 'there is no serving search index to validate');
    await searchIndex.refresh();
    let counted = await this.#count();
    if (!isClean(counted.differences) && request.settleMs > 0) {
      await sleep(request.settleMs);
      await searchIndex.refresh();
      counted = await this.#count();
    }
    return {
      mode: 'quick',
      engine: maintenance.engine,
      index: serving,
      clean: isClean(counted.differences),
      ...counted,
      durationMs: Math.round(this.#deps.monotonicMs() - started),
    };
  }

  async #count(): Promise<Pick<CountsReport, 'database' | 'documents' | 'differences'>> {
    const [database, documents] = await Promise.all([
      this.#deps.listings.searchable(),
      this.#deps.maintenance.countDocuments(),
    ]);
    return {
      database,
      documents,
      differences: {
        total:
          database.total === documents.total
            ? null
            : { bucket: 'total', database: database.total, index: documents.total },
        status: differingBuckets(database.byStatus, documents.byStatus),
        category: differingBuckets(database.byCategory, documents.byCategory),
      },
    };
  }
}

function isClean(differences: CountsReport['differences']): boolean {
  return differences.total === null && differences.status.length === 0 && differences.category.length === 0;
}

/** Buckets present on either side whose counts differ (an absent bucket counts 0), in bucket order. */
export function differingBuckets(
  database: Readonly<Record<string, number>>,
  index: Readonly<Record<string, number>>,
): CountDifference[] {
  const buckets = [...new Set([...Object.keys(database), ...Object.keys(index)])].sort(bucketOrder);
  return buckets
    .map((bucket) => ({ bucket, database: database[bucket] ?? 0, index: index[bucket] ?? 0 }))
    .filter((difference) => difference.database !== difference.index);
}

/** Numeric buckets (category ids) by number, others by text. */
function bucketOrder(a: string, b: string): number {
  const left = Number(a);
  const right = Number(b);
  if (Number.isFinite(left) && Number.isFinite(right)) return left - right;
  return a < b ? -1 : a > b ? 1 : 0;
}
