import type { ClaimedJob, DeadLetter, IndexOperation, OutboxEntry, OutboxMark } from '../../ports/index-outbox.ts';
import { AppError } from '../../src/domain/errors.ts';

/** `indexing_queue` rows ↔ the outbox port's types, and the encoding of queue positions (marks). */
export interface OutboxRow {
  readonly id: number;
  readonly listing_id: number;
  readonly operation: string;
  readonly status: string;
  readonly retry_count: number;
  readonly max_retries: number;
  readonly error_message: string | null;
  readonly listing_version: number | null;
  readonly available_at: Date;
  readonly locked_at: Date | null;
  readonly locked_by: string | null;
  readonly created_at: Date;
  readonly updated_at: Date;
  readonly processed_at: Date | null;
}

export function toOutboxEntry(row: Pick<OutboxRow, 'listing_id' | 'listing_version' | 'operation'>): OutboxEntry {
  return { listingId: row.listing_id, version: row.listing_version ?? 0, operation: row.operation as IndexOperation };
}

/** The columns {@link toClaimedJob} reads: what a claim selects of the rows it returns. */
export const CLAIMED_COLUMNS = [
  'id',
  'listing_id',
  'operation',
  'listing_version',
  'retry_count',
  'max_retries',
  'created_at',
  'locked_by',
  'locked_at',
] as const satisfies readonly (keyof OutboxRow)[];

export type ClaimedRow = Pick<OutboxRow, (typeof CLAIMED_COLUMNS)[number]>;

export function toClaimedJob(row: ClaimedRow): ClaimedJob {
  return {
    ...toOutboxEntry(row),
    id: row.id,
    attempt: row.retry_count,
    maxAttempts: row.max_retries,
    enqueuedAt: row.created_at,
    workerId: row.locked_by ?? '',
    lockedAt: row.locked_at ?? new Date(0),
  };
}

export function toDeadLetter(row: OutboxRow): DeadLetter {
  return {
    ...toOutboxEntry(row),
    id: row.id,
    attempts: row.retry_count,
    error: row.error_message,
    enqueuedAt: row.created_at,
    failedAt: row.processed_at ?? row.updated_at,
  };
}

/** A position in (change_xid, id) order: entries after it have a greater pair. */
export interface QueuePosition {
  readonly xid: string;
  readonly id: number;
}

export function encodeMark(position: QueuePosition): OutboxMark {
  return `${position.xid}:${position.id}`;
}

export function decodeMark(mark: OutboxMark): QueuePosition {
  const match = /^(\d{1,20}):(\d{1,16})$/.exec(mark);
  if (!match) {
    throw new AppError('VALIDATION_FAILED', 'not an outbox mark', {
      violations: [{ field: 'mark', reason: 'invalid_format', message: 'not an outbox mark' }],
    });
  }
  return { xid: match[1] as string, id: Number(match[2]) };
}
