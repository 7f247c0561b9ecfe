/**
 * `_bulk` writes with external versions and one result per item (flaw #12).
 *
 * Requests are bounded by bytes and by action count. `_bulk` answers 200 even when items failed, so each item is
 * read: 200/201 ok; a delete's 404 ok (nothing to remove, a tombstone was still recorded); 409 version conflict =
 * stale; 429 and 5xx retryable; any other 4xx (e.g. a 400 mapping error) permanent. A request that fails as a whole
 * makes each of its items retryable (or permanent on a non-transient 4xx).
 */
import type { Client } from '@opensearch-project/opensearch';
import type { IndexItemResult, IndexRemoval, SearchDocument } from '../../ports/search-index.ts';
import { sourceJsons, toSource } from '../../src/search/search-document-source.ts';
import { isTransient, reasonOf, statusOf } from './opensearch-errors.ts';

export interface BulkLimits {
  /** Bytes of NDJSON per request; default 5 MiB. */
  readonly maxBytes: number;
  /** Documents or deletes per request; default 1000. */
  readonly maxItems: number;
}

export const DEFAULT_BULK_LIMITS: BulkLimits = { maxBytes: 5 * 1024 * 1024, maxItems: 1000 };

interface Action {
  readonly id: number;
  /** The action line (JSON, no newline). */
  readonly meta: string;
  /** The document line of an `index` action (JSON in UTF-8, no newline), or null. */
  readonly source: Buffer | null;
  /** UTF-8 bytes of the action's NDJSON lines, newlines included. */
  readonly bytes: number;
  /** Why it cannot be sent at all, or null. */
  readonly problem: string | null;
}

interface BulkItem {
  readonly status: number;
  readonly result?: string;
  readonly error?: { readonly type?: string; readonly reason?: string };
}

function action(id: number, version: number, header: 'index' | 'delete', index: string, json: Buffer | null): Action {
  const problem =
    !Number.isSafeInteger(id) || id <= 0
      ? `id must be a positive integer, not ${id}`
      : !Number.isSafeInteger(version) || version <= 0
        ? `version must be a positive integer, not ${version}`
        : null;
  const meta = JSON.stringify({ [header]: { _index: index, _id: String(id), version, version_type: 'external_gte' } });
  const bytes = Buffer.byteLength(meta) + 1 + (json === null ? 0 : json.length + 1);
  return { id, meta, source: json, bytes, problem };
}

/**
 * The NDJSON body of `actions` in one buffer of the size the actions add up to: action lines encoded into it, the
 * documents' UTF-8 bytes (sourceJsons, encoded once for both engines) copied. (Joining
 * the lines into one string first copied every document again, and the client then measured and encoded that string:
 * the benchmark's documents carry Cyrillic text, so the body was a two-byte string of about 1.6 MB per 500.)
 */
export function bulkBody(actions: readonly Action[]): Buffer {
  let size = 0;
  for (const action of actions) size += action.bytes;
  const body = Buffer.allocUnsafe(size);
  let at = 0;
  for (const action of actions) {
    at += body.write(action.meta, at, 'utf8');
    body[at++] = NEWLINE;
    if (action.source !== null) {
      body.set(action.source, at);
      at += action.source.length;
      body[at++] = NEWLINE;
    }
  }
  return at === size ? body : body.subarray(0, at);
}

const NEWLINE = 0x0a;

export function indexActions(index: string, documents: readonly SearchDocument[]): Action[] {
  // The texts the PostgreSQL mirror stores and hashes too (search-document-source.ts): serialised once for both.
  const texts = sourceJsons(documents);
  return documents.map((document, i) =>
    // A document that cannot be serialised throws here, as it always did.
    action(document.id, document.version, 'index', index, texts[i] ?? Buffer.from(JSON.stringify(toSource(document)))),
  );
}

export function deleteActions(index: string, items: readonly IndexRemoval[]): Action[] {
  return items.map((item) => action(item.id, item.version, 'delete', index, null));
}

/** Sends the actions in bounded requests, in order, and returns one result per action. */
export async function sendBulk(
  client: Client,
  actions: readonly Action[],
  limits: BulkLimits,
  /** Refuse targets that are not aliases, so a missing alias is an error instead of an auto-created index. */
  requireAlias: boolean,
): Promise<IndexItemResult[]> {
  const results: IndexItemResult[] = new Array(actions.length);
  let batch: number[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const sent = batch;
    batch = [];
    bytes = 0;
    const outcomes = await request(
      client,
      sent.map((i) => actions[i] as Action),
      requireAlias,
    );
    sent.forEach((position, i) => {
      results[position] = outcomes[i] as IndexItemResult;
    });
  };
  for (let i = 0; i < actions.length; i++) {
    const item = actions[i] as Action;
    if (item.problem !== null) {
      results[i] = { id: item.id, status: 'permanent', reason: item.problem };
      continue;
    }
    if (batch.length > 0 && (batch.length >= limits.maxItems || bytes + item.bytes > limits.maxBytes)) await flush();
    batch.push(i);
    bytes += item.bytes;
  }
  await flush();
  return results;
}

/**
 * Only what {@link itemResult} reads comes back. A full answer repeats the index, id, version, shard counts, sequence
 * number and primary term for every item (about 180 bytes each): the worker received and parsed them, on the two
 * cores it shares with the engine and the database, to read a status.
 */
const ITEM_FIELDS = 'items.*.status,items.*.result,items.*.error.type,items.*.error.reason';

async function request(client: Client, actions: readonly Action[], requireAlias: boolean): Promise<IndexItemResult[]> {
  let items: readonly Record<string, BulkItem>[];
  try {
    const response = await client.transport.request({
      method: 'POST',
      path: '/_bulk',
      querystring: { ...(requireAlias ? { require_alias: 'true' } : {}), filter_path: ITEM_FIELDS },
      bulkBody: bulkBody(actions),
    });
    items = (response.body as { items: Record<string, BulkItem>[] }).items;
  } catch (error) {
    const status = isTransient(error) || statusOf(error) === undefined ? 'retryable' : 'permanent';
    const reason = `bulk request failed: ${reasonOf(error)}`;
    return actions.map((item) => ({ id: item.id, status, reason }));
  }
  return actions.map((item, i) => itemResult(item.id, Object.values(items[i] ?? {})[0]));
}

function itemResult(id: number, item: BulkItem | undefined): IndexItemResult {
  if (item === undefined) return { id, status: 'retryable', reason: 'no result for this item in the bulk response' };
  if (item.status === 200 || item.status === 201) return { id, status: 'ok' };
  if (item.status === 404 && item.result === 'not_found') return { id, status: 'ok' };
  if (item.status === 409) return { id, status: 'stale' };
  const reason = `${item.status} ${item.error?.type ?? 'error'}: ${item.error?.reason ?? ''}`.trim();
  // A missing index or alias is a deployment step not yet done (ensureIndex), not a bad document.
  const missing = item.error?.type === 'index_not_found_exception';
  if (item.status === 429 || item.status >= 500 || missing) return { id, status: 'retryable', reason };
  return { id, status: 'permanent', reason };
}
