import type { ListingsClient } from '../../grpc/client/index.ts';
import { type Check, CheckFailure } from './check.ts';
import { grpcFailure, healthStatus, reflectedServices } from './grpc-probes.ts';
import { listingDifferences } from './listing-comparison.ts';
import { expectStatus, type RestClient } from './rest-client.ts';

const SERVICE = 'listings.v1.ListingsService';

export interface GrpcCheckOptions {
  readonly address: string;
  /** Deadline of each RPC (the per-check timeout). */
  readonly deadlineMs: number;
}

/** gRPC health as grpc_health_probe checks it, and reflection as grpcurl uses it (ops-scripts.md §3.4). */
export function grpcChecks(options: GrpcCheckOptions): Check[] {
  const { address, deadlineMs } = options;
  return [
    {
      name: 'grpc.health',
      retryable: true,
      async run() {
        const status = await healthStatus(address, SERVICE, deadlineMs);
        if (status !== 'SERVING') {
          throw new CheckFailure('failed', `grpc.health.v1 reports ${SERVICE} ${status}`, { status });
        }
        return { message: `${SERVICE} SERVING` };
      },
    },
    {
      name: 'grpc.reflection',
      retryable: true,
      async run() {
        const services = await reflectedServices(address, deadlineMs);
        if (!services.includes(SERVICE)) {
          throw new CheckFailure('failed', `reflection does not list ${SERVICE} (lists: ${services.join(', ')})`, {
            services,
          });
        }
        return { message: `lists ${services.length} services including ${SERVICE}`, details: { services } };
      },
    },
  ];
}

/** `--listing-id`: the same listing read over both APIs must agree member by member. */
export function knownListingCheck(rest: RestClient, grpc: ListingsClient, address: string, id: number): Check {
  return {
    name: 'known-listing',
    retryable: true,
    async run({ signal }) {
      const fromRest = await rest.request(`api/v1/listings/${id}`, { signal });
      expectStatus(fromRest, 200, `GET /api/v1/listings/${id}`);
      const fromGrpc = await grpc.getListing({ id }, { signal }).catch((error: unknown) => {
        throw grpcFailure('GetListing', address, error);
      });
      if (fromGrpc.listing === undefined) throw new CheckFailure('failed', `GetListing ${id} answered no listing`);
      const differences = listingDifferences(fromRest.json as Record<string, unknown>, fromGrpc.listing);
      if (differences.length > 0) {
        throw new CheckFailure('failed', `listing ${id} differs between REST and gRPC: ${differences.join('; ')}`, {
          differences,
        });
      }
      return { message: `listing ${id} identical over REST and gRPC` };
    },
  };
}
