/** grpc.health.v1.Health (SERVING, then NOT_SERVING once shutdown begins) and server reflection. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createFileRegistry, fromBinary, toJson } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import {
  type Client,
  credentials,
  loadPackageDefinition,
  makeClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBadRequest, encodeErrorInfo, encodeRetryInfo } from '../../../adapters/grpc/google-rpc.ts';
import { type Harness, startServer } from './harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

type Callback<T> = (error: ServiceError | null, response: T) => void;
type HealthClient = Client & { check(request: { service: string }, callback: Callback<{ status: string }>): void };

function healthCheck(address: string, service: string): Promise<string> {
  const Health = makeClientConstructor(healthService, 'grpc.health.v1.Health');
  const client = new Health(address, credentials.createInsecure()) as unknown as HealthClient;
  return new Promise((resolve, reject) => {
    client.check({ service }, (error, response) => {
      client.close();
      if (error) reject(error);
      else resolve(response.status);
    });
  });
}

interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}

/** Sends one request to the v1 reflection service with a plain grpc-js client (as grpcurl would). */
async function reflect(address: string, request: Record<string, string>): Promise<ReflectionResponse> {
  const reflectionDir = dirname(createRequire(import.meta.url).resolve('@grpc/reflection/package.json'));
  const definition = loadSync(join(reflectionDir, 'build/proto/grpc/reflection/v1/reflection.proto'));
  // biome-ignore lint/suspicious/noExplicitAny: a dynamically loaded package
  const loaded = loadPackageDefinition(definition) as any;
  const client = new loaded.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) => {
      const stream = client.ServerReflectionInfo();
      stream.on('data', (response: ReflectionResponse) => {
        resolve(response);
        stream.end();
      });
      stream.on('error', reject);
      stream.write(request);
    });
  } finally {
    client.close();
  }
}

async function listServices(address: string): Promise<string[]> {
  const response = await reflect(address, { listServices: '' });
  return (response.listServicesResponse?.service ?? []).map((s) => s.name);
}

/**
 * The files reflection serves for a symbol, loaded into a protobuf-es registry: that fails, as protobuf-go
 * (grpcurl) would, on unresolvable imports or type names.
 */
async function registryFor(address: string, symbol: string) {
  const response = await reflect(address, { fileContainingSymbol: symbol });
  expect(response.errorResponse).toBeUndefined();
  const file = (response.fileDescriptorResponse?.fileDescriptorProto ?? []).map((bytes) =>
    fromBinary(FileDescriptorProtoSchema, bytes),
  );
  const byName = new Map(file.map((f) => [f.name, f]));
  return { names: file.map((f) => f.name), registry: createFileRegistry(file[0]!, (name) => byName.get(name)) };
}

describe('health service', () => {
  it('reports SERVING, then NOT_SERVING as soon as shutdown begins', async () => {
    harness = await startServer({ notServingDelayMs: 300 });
    expect(await healthCheck(harness.address, '')).toBe('SERVING');
    expect(await healthCheck(harness.address, 'listings.v1.ListingsService')).toBe('SERVING');
    const stopping = harness.server.shutdown(1_000);
    expect(await healthCheck(harness.address, '')).toBe('NOT_SERVING');
    expect(await healthCheck(harness.address, 'listings.v1.ListingsService')).toBe('NOT_SERVING');
    await stopping;
  });

  it('follows setServing (readiness)', async () => {
    harness = await startServer();
    harness.server.setServing(false);
    expect(await healthCheck(harness.address, '')).toBe('NOT_SERVING');
    harness.server.setServing(true);
    expect(await healthCheck(harness.address, '')).toBe('SERVING');
  });
});

describe('reflection', () => {
  it('lists listings.v1.ListingsService and grpc.health.v1.Health when enabled', async () => {
    harness = await startServer({ reflection: true });
    const services = await listServices(harness.address);
    expect(services).toEqual(expect.arrayContaining(['listings.v1.ListingsService', 'grpc.health.v1.Health']));
  });

  it('serves valid descriptors: listings.proto with its google/protobuf imports, and health.proto', async () => {
    harness = await startServer({ reflection: true });
    const listings = await registryFor(harness.address, 'listings.v1.ListingsService');
    expect(listings.names).toEqual(
      expect.arrayContaining([
        'listings/v1/listings.proto',
        'google/protobuf/struct.proto',
        'google/protobuf/empty.proto',
      ]),
    );
    expect(listings.registry.getService('listings.v1.ListingsService')?.methods).toHaveLength(53);
    const attributes = listings.registry.getMessage('listings.v1.ListingVariant')?.field.attributes;
    expect(attributes?.fieldKind).toBe('map');
    const health = await registryFor(harness.address, 'grpc.health.v1.Health');
    expect(health.names).toContain('grpc/health/v1/health.proto');
  });

  it('describes the google.rpc error details, matching the hand-written encoder', async () => {
    harness = await startServer({ reflection: true });
    const { registry } = await registryFor(harness.address, 'google.rpc.ErrorInfo');
    const errorInfo = registry.getMessage('google.rpc.ErrorInfo')!;
    const bytes = encodeErrorInfo({
      reason: 'PRODUCT_NOT_FOUND',
      domain: 'listings.v1',
      metadata: { legacy_reason: 'products.not_found' },
    });
    expect(toJson(errorInfo, fromBinary(errorInfo, bytes))).toEqual({
      reason: 'PRODUCT_NOT_FOUND',
      domain: 'listings.v1',
      metadata: { legacy_reason: 'products.not_found' },
    });
    const badRequest = registry.getMessage('google.rpc.BadRequest')!;
    const violations = encodeBadRequest([{ field: 'title', description: 'title is required', reason: 'required' }]);
    expect(toJson(badRequest, fromBinary(badRequest, violations))).toEqual({
      fieldViolations: [{ field: 'title', description: 'title is required', reason: 'required' }],
    });
    const retryInfo = registry.getMessage('google.rpc.RetryInfo')!;
    expect(toJson(retryInfo, fromBinary(retryInfo, encodeRetryInfo(61_500)))).toEqual({ retryDelay: '61.500s' });
  });

  it('is absent when disabled', async () => {
    harness = await startServer({ reflection: false });
    await expect(listServices(harness.address)).rejects.toMatchObject({ code: 12 });
  });
});

describe('shutdown', () => {
  it('lets an in-flight call finish within the grace period', async () => {
    harness = await startServer({
      handlers: {
        SyncDiscounts: async () => {
          await new Promise((resolve) => setTimeout(resolve, 150));
          return {};
        },
      },
    });
    const client = harness.client();
    const call = client.syncDiscounts({});
    await new Promise((resolve) => setTimeout(resolve, 30));
    await harness.server.shutdown(2_000);
    await expect(call).resolves.toEqual({});
  });

  it('cancels calls still running after the grace period', async () => {
    harness = await startServer({
      handlers: {
        SyncDiscounts: () => new Promise(() => {}),
      },
    });
    const client = harness.client({ retries: { maxAttempts: 1 } });
    const call = client.syncDiscounts({});
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = Date.now();
    await harness.server.shutdown(100);
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(call).rejects.toMatchObject({ name: 'ListingsClientError' });
  });
});
