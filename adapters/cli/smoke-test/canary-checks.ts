import { status as Status } from '@grpc/grpc-js';
import { type ListingsClient, ListingsClientError } from '../../grpc/client/index.ts';
import { canaryPng } from './canary-image.ts';
import { searchableStep, searchGoneStep } from './canary-search.ts';
import { type CanaryOwner, sweepCanaries } from './canary-sweep.ts';
import { type CanaryTag, canaryAttributes, canaryTitle } from './canary-tag.ts';
import { type Check, CheckFailure } from './check.ts';
import { grpcFailure } from './grpc-probes.ts';
import { listingDifferences } from './listing-comparison.ts';
import { expectStatus, type RestClient } from './rest-client.ts';

export interface CanaryOptions {
  readonly rest: RestClient;
  readonly grpc: ListingsClient;
  readonly grpcAddress: string;
  readonly owner: CanaryOwner;
  readonly tag: CanaryTag;
  /** `--canary-category-id`; else the first category the API lists. */
  readonly categoryId?: number | undefined;
  /** How long the canary may take to become searchable (and to leave search). */
  readonly searchWaitMs: number;
  /** Deadline of one canary step other than the search waits. */
  readonly timeoutMs: number;
}

/** What the steps learn and hand on; the cleanup reads it to know what is left to remove. */
export interface CanaryState {
  createAttempted: boolean;
  id?: number;
  etag?: string;
  deleted: boolean;
  /** Set when the canary went live for the search step (it is a draft, invisible to buyers, until then). */
  published: boolean;
  /** Commit-to-searchable lag of the publish, as seen through the search API. */
  indexLagMs?: number;
}

const API = 'api/v1/listings';

/**
 * The write canary (ops-scripts.md §3.4): create a tagged draft over REST, read it back over REST and gRPC,
 * upload and fetch an image, update it with If-Match (and see a stale tag refused), publish it and wait until
 * search finds it (the index lag), delete it, and confirm it is gone everywhere. Steps run in order and stop at
 * the first failure; {@link canaryCleanupCheck} runs after them whatever happened.
 */
export function canaryChecks(options: CanaryOptions, state: CanaryState): Check[] {
  const { rest, grpc, owner, tag, grpcAddress } = options;
  const token = owner.token;
  const getListing = (id: number, signal: AbortSignal) =>
    grpc.getListing({ id }, { signal }).catch((error: unknown) => {
      throw grpcFailure('GetListing', grpcAddress, error);
    });
  const readRest = async (signal: AbortSignal) => {
    const response = await rest.request(`${API}/${state.id}`, { token, signal });
    expectStatus(response, 200, `GET /${API}/${state.id}`);
    state.etag = response.headers.get('etag') ?? undefined;
    return response.json as Record<string, unknown>;
  };
  return [
    {
      name: 'canary.leftovers',
      retryable: false,
      async run({ signal }) {
        const { removed, kept } = await sweepCanaries(rest, owner, { kind: 'expired', now: new Date() }, signal);
        const note = kept > 0 ? `; ${kept} canary(ies) of runs still in progress left alone` : '';
        return {
          message: `${removed.length === 0 ? 'no' : removed.length} canary(ies) of crashed runs removed${note}`,
          details: { removed, kept },
        };
      },
    },
    {
      name: 'canary.create',
      retryable: false,
      async run({ signal }) {
        const categoryId = options.categoryId ?? (await firstCategory(rest, signal));
        state.createAttempted = true;
        const response = await rest.request(API, {
          method: 'POST',
          token,
          signal,
          // The run id as the key: should the request be sent again, the server answers the first creation.
          headers: { 'idempotency-key': `smoke-test-${tag.runId}` },
          body: {
            title: canaryTitle(tag),
            description: `Created by \`listings smoke-test\` run ${tag.runId} and deleted by it. If it is still here after ${tag.expiresAt.toISOString()}, \`listings smoke-test --cleanup\` removes it.`,
            price: 1,
            currency: 'RSD',
            category_id: categoryId,
            quantity: 1,
            visibility: 'public',
            attributes: canaryAttributes(tag),
          },
        });
        expectStatus(response, 201, `POST /${API}`);
        const body = response.json as { id: number; status: string };
        state.id = body.id;
        state.etag = response.headers.get('etag') ?? undefined;
        return {
          message: `listing ${body.id} created (${body.status}, category ${categoryId})`,
          details: { id: body.id },
        };
      },
    },
    {
      name: 'canary.read-rest',
      retryable: false,
      async run({ signal }) {
        const body = await readRest(signal);
        if (body.title !== canaryTitle(tag)) throw new CheckFailure('failed', `read back title ${String(body.title)}`);
        if (state.etag === undefined) throw new CheckFailure('failed', `GET /${API}/${state.id} sent no ETag`);
        return { message: `listing ${state.id} read back, ETag ${state.etag}` };
      },
    },
    {
      name: 'canary.read-grpc',
      retryable: false,
      async run({ signal }) {
        const restBody = await readRest(signal);
        const { listing } = await getListing(state.id as number, signal);
        if (listing === undefined) throw new CheckFailure('failed', `GetListing ${state.id} answered no listing`);
        const differences = listingDifferences(restBody, listing);
        if (differences.length > 0) {
          throw new CheckFailure('failed', `REST and gRPC disagree: ${differences.join('; ')}`, { differences });
        }
        return { message: `GetListing ${state.id} matches the REST document` };
      },
    },
    {
      name: 'canary.image',
      retryable: false,
      async run({ signal }) {
        const form = new FormData();
        form.append('file', new Blob([canaryPng()], { type: 'image/png' }), 'smoke-test-canary.png');
        const response = await rest.request(`${API}/${state.id}/images`, { method: 'POST', token, signal, body: form });
        expectStatus(response, 201, `POST /${API}/${state.id}/images`);
        const url = (response.json as { url?: string }).url;
        if (typeof url !== 'string') throw new CheckFailure('failed', 'the uploaded image has no url');
        const fetched = await rest.bytes(url, signal);
        if (fetched.status !== 200 || !fetched.type.startsWith('image/') || fetched.bytes === 0) {
          throw new CheckFailure('failed', `GET ${url}: ${fetched.status} ${fetched.type}, ${fetched.bytes} bytes`);
        }
        return { message: `image uploaded and fetched (${fetched.type}, ${fetched.bytes} bytes)` };
      },
    },
    {
      name: 'canary.update',
      retryable: false,
      async run({ signal }) {
        await readRest(signal);
        const stale = state.etag as string;
        const patch = (ifMatch: string) =>
          rest.request(`${API}/${state.id}`, {
            method: 'PATCH',
            token,
            signal,
            headers: { 'if-match': ifMatch },
            body: { price: 2 },
          });
        const updated = await patch(stale);
        expectStatus(updated, 200, `PATCH /${API}/${state.id} with If-Match`);
        state.etag = updated.headers.get('etag') ?? undefined;
        const refused = await patch(stale);
        expectStatus(refused, 412, `PATCH /${API}/${state.id} with the stale ETag`);
        const { listing } = await getListing(state.id as number, signal);
        if (listing?.price !== 2)
          throw new CheckFailure('failed', `gRPC reads price ${listing?.price} after the update`);
        return { message: 'updated with If-Match (the stale ETag got 412); gRPC reads the new price' };
      },
    },
    searchableStep(options, state),
    {
      name: 'canary.delete',
      retryable: false,
      async run({ signal }) {
        const response = await rest.request(`${API}/${state.id}`, { method: 'DELETE', token, signal });
        expectStatus(response, 204, `DELETE /${API}/${state.id}`);
        state.deleted = true;
        return { message: `listing ${state.id} deleted` };
      },
    },
    {
      name: 'canary.gone',
      retryable: false,
      async run({ signal }) {
        const response = await rest.request(`${API}/${state.id}`, { token, signal });
        expectStatus(response, 404, `GET /${API}/${state.id} after the delete`);
        const grpcAnswer = await grpc.getListing({ id: state.id as number }, { signal }).then(
          () => 'a listing',
          (error: unknown) => (error instanceof ListingsClientError ? error.code : error),
        );
        if (grpcAnswer !== Status.NOT_FOUND) {
          const said = typeof grpcAnswer === 'number' ? Status[grpcAnswer] : String(grpcAnswer);
          throw new CheckFailure('failed', `GetListing ${state.id} after the delete answered ${said}, not NOT_FOUND`);
        }
        return { message: 'REST 404, gRPC NOT_FOUND' };
      },
    },
    searchGoneStep(options, state),
  ];
}

/**
 * Removes the canary whatever happened before: by id when the create answered, else by the run id (a create that
 * timed out may still have happened). Its failure names the id and the way to remove it by hand.
 */
export function canaryCleanupCheck(options: CanaryOptions, state: CanaryState): Check {
  return {
    name: 'canary.cleanup',
    retryable: false,
    async run({ signal }) {
      if (!state.createAttempted) return { message: 'nothing to clean up: no canary was created' };
      if (state.deleted) return { message: `nothing left: listing ${state.id} was deleted by canary.delete` };
      try {
        const { removed } = await sweepCanaries(
          options.rest,
          options.owner,
          { kind: 'run', runId: options.tag.runId },
          signal,
        );
        if (state.id !== undefined && !removed.includes(state.id)) {
          const response = await options.rest.request(`${API}/${state.id}`, {
            method: 'DELETE',
            token: options.owner.token,
            signal,
          });
          if (response.status !== 404) expectStatus(response, 204, `DELETE /${API}/${state.id}`);
          removed.push(state.id);
        }
        state.deleted = removed.length > 0 || state.deleted;
        return { message: `removed the canary (${removed.join(', ') || 'none found'})`, details: { removed } };
      } catch (error) {
        const failure = error instanceof CheckFailure ? error : new CheckFailure('failed', String(error));
        const which = state.id === undefined ? `of run ${options.tag.runId}` : `listing ${state.id}`;
        throw new CheckFailure(
          failure.kind,
          `${failure.message}; the canary ${which} may be left: \`listings smoke-test --cleanup\` removes it`,
          failure.details,
        );
      }
    },
  };
}

async function firstCategory(rest: RestClient, signal: AbortSignal): Promise<number> {
  const response = await rest.request('api/v1/categories', { signal });
  expectStatus(response, 200, 'GET /api/v1/categories (to pick the canary category)');
  const first = (response.json as { categories?: { id: number }[] }).categories?.[0];
  if (first === undefined) {
    throw new CheckFailure('failed', 'the server has no categories: give one with --canary-category-id');
  }
  return first.id;
}
