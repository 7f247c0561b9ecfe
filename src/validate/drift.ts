/**
 * The kinds of drift between PostgreSQL and the search index (ops-scripts.md §1.8), and a tally that stays bounded
 * however much drift there is: every finding is counted, only the first `keptIds` ids per kind are kept (for the
 * report, the re-check and the repair).
 */
import type { SearchDocument } from '../../ports/search-index.ts';
import type { StoredDocument } from '../../ports/search-index-maintenance.ts';
import type { ListingDetails } from '../domain/listing.ts';
import { differingFields } from './document-diff.ts';

/**
 * - `missing`: a searchable listing without a document.
 * - `stale`: the document's version is older than the row's.
 * - `ahead`: the document's version is newer than the row's (a database restored from an older backup): the
 *   worker's versioned writes cannot repair it; a reindex does.
 * - `mismatched`: same version, different fields (or a document that cannot be read back).
 * - `unsearchable`: a document of a listing that must not be searchable (soft-deleted, private, not active).
 * - `extra`: a document without any row (hard-deleted, or never existed).
 */
export type IndexDriftKind = 'missing' | 'stale' | 'ahead' | 'mismatched' | 'unsearchable' | 'extra';

export const INDEX_DRIFT_KINDS: readonly IndexDriftKind[] = [
  'missing',
  'stale',
  'ahead',
  'mismatched',
  'unsearchable',
  'extra',
];

export interface IndexFinding {
  readonly kind: IndexDriftKind;
  readonly id: number;
  /** The row's version (0 when there is no live row). */
  readonly rowVersion: number;
  /** The document's version (0 when there is no document). */
  readonly documentVersion: number;
  /** For `mismatched`: the fields that differ (`unreadable` when the document could not be read back). */
  readonly fields?: readonly string[];
}

export interface KindTally {
  count: number;
  findings: IndexFinding[];
}

export class DriftTally {
  readonly #kept: number;
  readonly kinds = new Map<IndexDriftKind, KindTally>(
    INDEX_DRIFT_KINDS.map((kind) => [kind, { count: 0, findings: [] }]),
  );

  constructor(keptIds: number) {
    this.#kept = keptIds;
  }

  add(finding: IndexFinding): void {
    const tally = this.kinds.get(finding.kind) as KindTally;
    tally.count += 1;
    if (tally.findings.length < this.#kept) tally.findings.push(finding);
  }

  /** Counted findings beyond the kept ones (they are reported as a count only, not re-checked or repaired). */
  truncated(): number {
    let beyond = 0;
    for (const tally of this.kinds.values()) beyond += tally.count - tally.findings.length;
    return beyond;
  }

  findings(): IndexFinding[] {
    return [...this.kinds.values()].flatMap((tally) => tally.findings);
  }

  total(): number {
    let sum = 0;
    for (const tally of this.kinds.values()) sum += tally.count;
    return sum;
  }
}

/**
 * What the index holds for a listing against what it should hold, or null when they agree. `row` is the live row
 * (undefined when there is none), `want` the document it builds (null when it must not be searchable).
 * Fields are compared only when `compareFields`.
 */
export function classify(
  id: number,
  row: ListingDetails | undefined,
  want: SearchDocument | null,
  stored: StoredDocument | undefined,
  compareFields: boolean,
): IndexFinding | null {
  const rowVersion = row?.version ?? 0;
  const documentVersion = stored?.version ?? 0;
  const base = { id, rowVersion, documentVersion };
  if (stored === undefined) return want === null ? null : { kind: 'missing', ...base };
  if (row === undefined) return { kind: 'extra', ...base };
  if (want === null) return { kind: 'unsearchable', ...base };
  if (stored.version < row.version) return { kind: 'stale', ...base };
  if (stored.version > row.version) return { kind: 'ahead', ...base };
  if (stored.document === null) return { kind: 'mismatched', ...base, fields: ['unreadable'] };
  if (!compareFields) return null;
  const fields = differingFields(stored.document, want);
  return fields.length === 0 ? null : { kind: 'mismatched', ...base, fields };
}
