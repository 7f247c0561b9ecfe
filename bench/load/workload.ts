import { Agent, request } from 'node:http';
import { createListingsClient, type ListingsClient, ListingsClientError } from '../../adapters/grpc/client/index.ts';
import { pick } from '../support/load.ts';
import type { Operation, Transport } from './mix.ts';
import { grpcOutcome, httpOutcome, type Outcome } from './slo.ts';

/** A seeded listing and its owner (updates are sent as the owner). */
export interface SeededListing {
  readonly id: number;
  readonly userId: number;
}

export interface WorkloadOptions {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly listings: readonly SeededListing[];
  readonly categoryId: number;
  /** A bearer token of the given user. */
  readonly tokenFor: (userId: number) => string;
  /** Keep-alive HTTP/1.1 connections (requests beyond them wait in the client's queue, and that wait is counted). */
  readonly restConnections: number;
  /** gRPC channels, each its own HTTP/2 connection (calls are spread over them in turn). */
  readonly grpcChannels: number;
  /** A request not answered by then is a failure (a timeout), counted at this latency. */
  readonly timeoutMs: number;
}

export interface CallResult {
  readonly outcome: Outcome;
  /** What went wrong (status, gRPC code, error), for the first few of each kind in the report. */
  readonly detail?: string;
}

export interface Workload {
  call(operation: Operation, transport: Transport): Promise<CallResult>;
  close(): void;
}

/** Words of the seeded titles and descriptions (Russian and Serbian, support/burst-listings.ts); '' browses. */
const SEARCH_WORDS = ['квартира', 'stan', 'велосипед', 'telefon', 'диван', 'gume', 'ноутбук', 'kolica', 'odličnom', ''];
/** Price bands over the seeded prices (1,000 .. 501,000 RSD). */
const PRICE_BANDS: readonly (readonly [number, number])[] = [
  [1_000, 50_000],
  [50_000, 200_000],
  [200_000, 501_000],
];
const PAGE = 20;

/**
 * The requests of each operation, over REST (`/api/v1`) or gRPC (`listings.v1`): reads are anonymous, as public
 * reads are; writes carry the owner's bearer token. Ids, words, price bands and pages are drawn at random from
 * what was seeded, so reads spread over the whole data set (and the cache holds only what was read lately).
 */
export function createWorkload(options: WorkloadOptions): Workload {
  const agent = new Agent({ keepAlive: true, maxSockets: options.restConnections });
  const channels: ListingsClient[] = Array.from({ length: options.grpcChannels }, () =>
    createListingsClient(`127.0.0.1:${options.grpcPort}`, {
      deadlineMs: options.timeoutMs,
      // The load generator must see every failure: no retries of its own.
      retries: { maxAttempts: 1 },
      // One connection per channel (grpc-js shares one between channels to the same address otherwise).
      channelOptions: { 'grpc.use_local_subchannel_pool': 1 },
    }),
  );
  let nextChannel = 0;
  const channel = () => channels[nextChannel++ % channels.length] as ListingsClient;
  let created = 0;

  const http = (method: string, path: string, body?: unknown, token?: string): Promise<CallResult> =>
    new Promise((resolve) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          host: '127.0.0.1',
          port: options.httpPort,
          method,
          path: `/api/v1${path}`,
          agent,
          signal: AbortSignal.timeout(options.timeoutMs),
          headers: {
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
            ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const outcome = httpOutcome(status);
            resolve(outcome === 'ok' ? { outcome } : { outcome, detail: `HTTP ${status} ${method} ${path}` });
          });
          res.on('error', (error) => resolve({ outcome: 'failure', detail: `${method} ${path}: ${error.message}` }));
        },
      );
      req.on('error', (error) =>
        resolve({
          outcome: 'failure',
          detail: error.name === 'AbortError' ? `REST timeout after ${options.timeoutMs} ms` : error.message,
        }),
      );
      req.end(payload);
    });

  const grpc = async (send: () => Promise<unknown>): Promise<CallResult> => {
    try {
      await send();
      return { outcome: 'ok' };
    } catch (error) {
      if (!(error instanceof ListingsClientError)) return { outcome: 'failure', detail: String(error) };
      return { outcome: grpcOutcome(error.code), detail: error.message };
    }
  };
  const bearer = (userId: number) => ({ metadata: { authorization: `Bearer ${options.tokenFor(userId)}` } });

  const calls: Record<Operation, Record<Transport, () => Promise<CallResult>>> = {
    GetListing: {
      rest: () => http('GET', `/listings/${pick(options.listings).id}`),
      grpc: () => grpc(() => channel().getListing({ id: pick(options.listings).id })),
    },
    SearchListings: {
      rest: () => {
        const query = pick(SEARCH_WORDS);
        const [min, max] = pick(PRICE_BANDS);
        const words = query === '' ? `min_price=${min}&max_price=${max}` : `query=${encodeURIComponent(query)}`;
        return http('GET', `/listings/search?${words}&limit=${PAGE}`);
      },
      grpc: () => {
        const query = pick(SEARCH_WORDS);
        const [minPrice, maxPrice] = pick(PRICE_BANDS);
        const filter = query === '' ? { minPrice, maxPrice } : {};
        return grpc(() => channel().searchListings({ query, ...filter, limit: PAGE, offset: 0 }));
      },
    },
    ListListings: {
      rest: () => {
        const [min, max] = pick(PRICE_BANDS);
        const offset = PAGE * Math.floor(Math.random() * 5);
        return http('GET', `/listings?limit=${PAGE}&offset=${offset}&min_price=${min}&max_price=${max}`);
      },
      grpc: () => {
        const [minPrice, maxPrice] = pick(PRICE_BANDS);
        const offset = PAGE * Math.floor(Math.random() * 5);
        return grpc(() => channel().listListings({ minPrice, maxPrice, limit: PAGE, offset }));
      },
    },
    CreateListing: {
      rest: () => {
        const owner = pick(options.listings).userId;
        return http('POST', '/listings', newListing(owner, ++created, options.categoryId), options.tokenFor(owner));
      },
      grpc: () => {
        const owner = pick(options.listings).userId;
        const body = newListing(owner, ++created, options.categoryId);
        return grpc(() =>
          channel().createListing(
            {
              userId: owner,
              title: body.title,
              description: body.description,
              price: body.price,
              currency: body.currency,
              categoryId: body.category_id,
              quantity: body.quantity,
            },
            bearer(owner),
          ),
        );
      },
    },
    UpdateListing: {
      rest: () => {
        const listing = pick(options.listings);
        return http('PATCH', `/listings/${listing.id}`, { price: newPrice() }, options.tokenFor(listing.userId));
      },
      grpc: () => {
        const listing = pick(options.listings);
        return grpc(() =>
          channel().updateListing(
            { id: listing.id, userId: listing.userId, price: newPrice() },
            bearer(listing.userId),
          ),
        );
      },
    },
  };

  return {
    call: (operation, transport) => calls[operation][transport](),
    close() {
      agent.destroy();
      for (const client of channels) client.close();
    },
  };
}

function newListing(owner: number, n: number, categoryId: number) {
  return {
    title: `Load test listing ${n} of user ${owner}`,
    description: 'Created by npm run load: a used item in good condition.',
    price: newPrice(),
    currency: 'RSD',
    category_id: categoryId,
    quantity: 1,
  };
}

function newPrice(): number {
  return 1_000 + Math.floor(Math.random() * 500_000);
}
