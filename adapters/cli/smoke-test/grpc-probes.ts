import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  type Client,
  credentials,
  loadPackageDefinition,
  makeClientConstructor,
  type ServiceError,
  status as Status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import { ListingsClientError } from '../../grpc/client/index.ts';
import { CheckFailure } from './check.ts';

/**
 * The two standard gRPC services the typed client does not cover: `grpc.health.v1.Health/Check` (what
 * grpc_health_probe calls) and server reflection v1 (what grpcurl lists with). Plain grpc-js clients, one per call,
 * closed after it.
 */
type Callback<T> = (error: ServiceError | null, response: T) => void;
type HealthClient = Client & {
  check(request: { service: string }, options: { deadline: number }, callback: Callback<{ status: string }>): void;
};

export async function healthStatus(address: string, service: string, deadlineMs: number): Promise<string> {
  const Health = makeClientConstructor(healthService, 'grpc.health.v1.Health');
  const client = new Health(address, credentials.createInsecure()) as unknown as HealthClient;
  try {
    return await new Promise((resolve, reject) => {
      client.check({ service }, { deadline: Date.now() + deadlineMs }, (error, response) => {
        if (error) reject(grpcFailure('grpc.health.v1.Health/Check', address, error));
        else resolve(response.status);
      });
    });
  } finally {
    client.close();
  }
}

interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}

let reflectionConstructor:
  | (new (
      address: string,
      creds: ReturnType<typeof credentials.createInsecure>,
    ) => Client)
  | undefined;

/** The service names server reflection (v1) lists. */
export async function reflectedServices(address: string, deadlineMs: number): Promise<string[]> {
  if (reflectionConstructor === undefined) {
    const root = dirname(createRequire(import.meta.url).resolve('@grpc/reflection/package.json'));
    const definition = loadSync(join(root, 'build/proto/grpc/reflection/v1/reflection.proto'));
    // biome-ignore lint/suspicious/noExplicitAny: a package loaded at run time has no static type
    reflectionConstructor = (loadPackageDefinition(definition) as any).grpc.reflection.v1.ServerReflection;
  }
  const Reflection = reflectionConstructor as NonNullable<typeof reflectionConstructor>;
  const client = new Reflection(address, credentials.createInsecure()) as Client & {
    ServerReflectionInfo(options: { deadline: number }): NodeJS.ReadWriteStream & { end(): void };
  };
  try {
    const response = await new Promise<ReflectionResponse>((resolve, reject) => {
      const stream = client.ServerReflectionInfo({ deadline: Date.now() + deadlineMs });
      stream.on('data', (data: ReflectionResponse) => {
        resolve(data);
        stream.end();
      });
      stream.on('error', (error: ServiceError) => reject(grpcFailure('ServerReflectionInfo', address, error)));
      stream.write({ listServices: '' } as unknown as string);
    });
    if (response.errorResponse) {
      throw new CheckFailure('failed', `reflection answered an error: ${response.errorResponse.errorMessage}`);
    }
    return (response.listServicesResponse?.service ?? []).map((service) => service.name);
  } finally {
    client.close();
  }
}

/**
 * A failed gRPC call as a check failure: no connection (UNAVAILABLE, or a deadline with nothing listening) is
 * `unreachable`, a refused token is `auth`, everything else `failed`, each naming the RPC and the address.
 */
export function grpcFailure(rpc: string, address: string, error: unknown): CheckFailure {
  const code = error instanceof ListingsClientError ? error.code : (error as ServiceError).code;
  const details = error instanceof ListingsClientError ? error.details : (error as ServiceError).details;
  const name = Status[code] ?? String(code);
  // grpc-js appends an empty "Resolution note: " to connection errors.
  const said = (details ?? '').replace(/\s*Resolution note:\s*$/, '');
  const message = `${rpc} at ${address}: ${name}${said ? `: ${said}` : ''}`;
  if (code === Status.UNAVAILABLE || code === Status.DEADLINE_EXCEEDED) {
    return new CheckFailure('unreachable', message, { grpcCode: name });
  }
  if (code === Status.UNAUTHENTICATED || code === Status.PERMISSION_DENIED) {
    return new CheckFailure('auth', `${message} (the canary token was refused)`, { grpcCode: name });
  }
  return new CheckFailure('failed', message, { grpcCode: name });
}
