import { AppError } from '../../../src/domain/errors.ts';
import { readCanaryTag } from './canary-tag.ts';
import { expectStatus, type RestClient } from './rest-client.ts';

export interface CanaryOwner {
  readonly userId: number;
  readonly token: string;
}

/** Which canaries a sweep removes. */
export type SweepScope =
  /** Every canary of the owner (`--cleanup`: the operator says no run is in progress). */
  | { readonly kind: 'all' }
  /** Canaries whose run's deadline passed before `now` (start of every run: never a concurrent run's). */
  | { readonly kind: 'expired'; readonly now: Date }
  /** The canaries of one run (its own cleanup, when its create answered no id). */
  | { readonly kind: 'run'; readonly runId: string };

const PAGE = 100;
/** A bound on the walk, so an owner with a huge history cannot keep a smoke test busy. */
const MAX_PAGES = 20;

/**
 * Finds the owner's canaries through the API (the owner lists every status of their own listings) and deletes
 * them. Returns the ids deleted; a canary already gone (404: another run removed it) counts as removed.
 */
export async function sweepCanaries(
  rest: RestClient,
  owner: CanaryOwner,
  scope: SweepScope,
  signal: AbortSignal,
): Promise<{ removed: number[]; kept: number }> {
  const removed: number[] = [];
  let kept = 0;
  let cursor: string | undefined;
  const found: number[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `user_id=${owner.userId}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await rest.request(`api/v1/listings?${query}`, { token: owner.token, signal });
    expectStatus(response, 200, "GET /api/v1/listings (the canary user's listings)");
    const body = response.json as { listings: Record<string, unknown>[]; next_cursor?: string };
    for (const listing of body.listings) {
      const tag = readCanaryTag(listing);
      if (tag === undefined) continue;
      if (selected(scope, tag)) found.push(listing.id as number);
      else kept++;
    }
    cursor = body.next_cursor;
    if (cursor === undefined) break;
  }
  for (const id of found) {
    const response = await rest.request(`api/v1/listings/${id}`, { method: 'DELETE', token: owner.token, signal });
    if (response.status !== 404) expectStatus(response, 204, `DELETE /api/v1/listings/${id} (a canary)`);
    removed.push(id);
  }
  return { removed, kept };
}

function selected(scope: SweepScope, tag: { runId: string; expiresAt: Date | null }): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'run') return tag.runId === scope.runId;
  // A canary without a readable expiry was not written by this version: nobody is waiting on it.
  return tag.expiresAt === null || tag.expiresAt.getTime() < scope.now.getTime();
}

/** The canary owner's user id: the token's `sub`, which must be numeric (the listing belongs to that user). */
export function tokenUserId(token: string): number {
  const payload = token.split('.')[1];
  let sub: unknown;
  try {
    sub = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')).sub;
  } catch {
    throw new AppError('USAGE_INVALID', 'the canary token is not a JWT (header.payload.signature)');
  }
  const id = typeof sub === 'string' && /^\d+$/.test(sub) ? Number(sub) : typeof sub === 'number' ? sub : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new AppError(
      'USAGE_INVALID',
      `the canary token's sub must be the numeric id of the smoke-test user, got ${JSON.stringify(sub)}`,
    );
  }
  return id;
}
