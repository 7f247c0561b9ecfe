import type { CanaryOptions, CanaryState } from './canary-checks.ts';
import { type Check, CheckFailure, CheckSkipped } from './check.ts';
import { expectStatus } from './rest-client.ts';

/** How often the search API is asked while waiting: a tenth of a second keeps the measured lag honest. */
const POLL_MS = 100;

/**
 * Search only holds active public listings, so the canary is a draft (invisible to buyers) until this step
 * publishes it: it is live for as long as the index takes to show it, then deleted. The lag reported is from the
 * publish's answer to the first search that finds it, through the public search API (what a buyer would see).
 */
export function searchableStep(options: CanaryOptions, state: CanaryState): Check {
  return {
    name: 'canary.searchable',
    retryable: false,
    timeoutMs: options.searchWaitMs + options.timeoutMs,
    async run({ signal }) {
      if ((await search(options, state, signal)) === 'not configured') {
        throw new CheckSkipped('search is not configured on this server (501): the canary stays a draft');
      }
      const path = `api/v1/listings/${state.id}/publish`;
      const headers: Record<string, string> = state.etag ? { 'if-match': state.etag } : {};
      const response = await options.rest.request(path, {
        method: 'POST',
        token: options.owner.token,
        signal,
        headers,
      });
      expectStatus(response, 200, `POST /${path}`);
      state.published = true;
      state.etag = response.headers.get('etag') ?? undefined;
      const published = performance.now();
      const found = await waitFor(options, state, signal, true);
      if (!found) {
        // Tell a stale cached answer from a listing the index never got: the same search asked with another page
        // size has its own cache entry, so it reaches the index.
        if ((await search(options, state, signal, 19)) === 'found') {
          throw new CheckFailure(
            'failed',
            `search still answers without the published canary after ${options.searchWaitMs} ms, although the index has it (the same search with another page size finds it): a stale cached search answer`,
            { staleSearchCache: true },
          );
        }
        throw new CheckFailure('failed', `search did not find the published canary within ${options.searchWaitMs} ms`);
      }
      state.indexLagMs = Math.round(found - published);
      return {
        message: `published; search found it after ${state.indexLagMs} ms (index lag)`,
        details: { indexLagMs: state.indexLagMs },
      };
    },
  };
}

export function searchGoneStep(options: CanaryOptions, state: CanaryState): Check {
  return {
    name: 'canary.search-gone',
    retryable: false,
    timeoutMs: options.searchWaitMs + options.timeoutMs,
    async run({ signal }) {
      if (!state.published) throw new CheckSkipped('the canary was never published, so never searchable');
      const started = performance.now();
      const gone = await waitFor(options, state, signal, false);
      if (!gone) {
        throw new CheckFailure('failed', `search still finds the deleted canary after ${options.searchWaitMs} ms`);
      }
      return { message: `search dropped it after ${Math.round(gone - started)} ms` };
    },
  };
}

/** Polls until the canary's presence in search is `present`; the instant it was, or undefined past the wait. */
async function waitFor(
  options: CanaryOptions,
  state: CanaryState,
  signal: AbortSignal,
  present: boolean,
): Promise<number | undefined> {
  const until = performance.now() + options.searchWaitMs;
  for (;;) {
    const found = (await search(options, state, signal)) === 'found';
    if (found === present) return performance.now();
    if (performance.now() >= until) return undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function search(
  options: CanaryOptions,
  state: CanaryState,
  signal: AbortSignal,
  limit = 20,
): Promise<'found' | 'absent' | 'not configured'> {
  // The same search every time, as a buyer repeating it would send: what the step sees is what they would see.
  const query = `query=${options.tag.runId}&user_id=${options.owner.userId}&limit=${limit}`;
  const response = await options.rest.request(`api/v1/listings/search?${query}`, { signal });
  if (response.status === 501) return 'not configured';
  expectStatus(response, 200, 'GET /api/v1/listings/search');
  const listings = (response.json as { listings: { id: number }[] }).listings;
  return listings.some((listing) => listing.id === state.id) ? 'found' : 'absent';
}
