/**
 * What the OpenSearch client throws, as the error catalogue: no client error crosses the port.
 *
 * | thrown                                              | code                                            |
 * |-----------------------------------------------------|-------------------------------------------------|
 * | connection refused/reset, timeout, no living node   | DEPENDENCY_UNAVAILABLE                          |
 * | HTTP 401/403 (credentials), 429, 5xx                | DEPENDENCY_UNAVAILABLE                          |
 * | HTTP 404 `index_not_found_exception`                | the caller's choice (missing index)             |
 * | anything else (a 400 is a query this adapter built) | INTERNAL, with OpenSearch's error type and reason |
 */
import { AppError } from '../../src/domain/errors.ts';

interface ResponseErrorShape {
  readonly name?: string;
  readonly statusCode?: number;
  readonly meta?: { readonly statusCode?: number | null; readonly body?: unknown };
  readonly body?: unknown;
  readonly message?: string;
}

const UNREACHABLE = new Set(['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError', 'RequestAbortedError']);

export function statusOf(error: unknown): number | undefined {
  const shape = error as ResponseErrorShape | undefined;
  return shape?.statusCode ?? shape?.meta?.statusCode ?? undefined;
}

/** `type: reason` of an OpenSearch error body (`{ error: { type, reason } }`), or the message. */
export function reasonOf(error: unknown): string {
  const shape = error as ResponseErrorShape | undefined;
  const body = (shape?.meta?.body ?? shape?.body) as { error?: { type?: string; reason?: string } } | undefined;
  const cause = body?.error;
  if (cause?.type !== undefined) return `${cause.type}: ${cause.reason ?? ''}`.trim();
  return shape?.message ?? String(error);
}

export function isIndexNotFound(error: unknown): boolean {
  return statusOf(error) === 404 && reasonOf(error).startsWith('index_not_found_exception');
}

/** Whether a failed request may pass later unchanged (the engine is down, busy or failing). */
export function isTransient(error: unknown): boolean {
  const name = (error as ResponseErrorShape | undefined)?.name ?? '';
  if (UNREACHABLE.has(name)) return true;
  const status = statusOf(error);
  return status === 401 || status === 403 || status === 429 || (status !== undefined && status >= 500);
}

/**
 * Why the engine could not be reached, without the client's message: that names the node's address
 * (`connect ECONNREFUSED 10.0.3.7:9200`), and this message reaches callers as the 503's detail.
 */
function unreachableReason(error: unknown): string {
  const shape = error as ResponseErrorShape | undefined;
  const errno = /\b(E[A-Z]{3,})\b/.exec(shape?.message ?? '')?.[1];
  return errno === undefined ? (shape?.name ?? 'unreachable') : `${shape?.name ?? 'unreachable'} ${errno}`;
}

export function translateOpenSearchError(error: unknown, doing: string): AppError {
  if (error instanceof AppError) return error;
  if (isTransient(error)) {
    const name = (error as ResponseErrorShape | undefined)?.name ?? '';
    const reason = UNREACHABLE.has(name) ? unreachableReason(error) : reasonOf(error);
    return new AppError('DEPENDENCY_UNAVAILABLE', `OpenSearch is unavailable (${doing}): ${reason}`, {
      cause: error,
      details: { status: statusOf(error) },
    });
  }
  return new AppError('INTERNAL', `OpenSearch refused ${doing}: ${reasonOf(error)}`, {
    cause: error,
    details: { status: statusOf(error) },
  });
}
