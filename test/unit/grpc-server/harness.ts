/** An in-process gRPC server on 127.0.0.1:<free port> with fake handlers, and clients pointed at it. */
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import {
  createListingsClient,
  type ListingsClient,
  type ListingsClientOptions,
} from '../../../adapters/grpc/client/index.ts';
import { ListingsServiceClient } from '../../../adapters/grpc/generated/listings/v1/listings.ts';
import { createGrpcServer, type GrpcServer, type GrpcServerOptions } from '../../../adapters/grpc/server.ts';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

export function memoryLogger() {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, fields, message });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

export interface Harness {
  server: GrpcServer;
  address: string;
  logger: ReturnType<typeof memoryLogger>;
  /** The generated grpc-js client (callback API), for raw status checks. */
  raw: ListingsServiceClient;
  client(options?: ListingsClientOptions): ListingsClient;
  close(): Promise<void>;
}

export async function startServer(options: Partial<GrpcServerOptions> = {}): Promise<Harness> {
  const logger = memoryLogger();
  const server = createGrpcServer({ handlers: {}, reflection: false, logger, ...options });
  const port = await server.listen('127.0.0.1', 0);
  const address = `127.0.0.1:${port}`;
  const raw = new ListingsServiceClient(address, credentials.createInsecure());
  const clients: ListingsClient[] = [];
  return {
    server,
    address,
    logger,
    raw,
    client(clientOptions) {
      const client = createListingsClient(address, clientOptions);
      clients.push(client);
      return client;
    },
    async close() {
      raw.close();
      for (const client of clients) client.close();
      await server.shutdown(1_000);
    },
  };
}

export interface RawResult<T> {
  error: ServiceError | null;
  response: T | undefined;
  headers: Metadata | undefined;
}

/** Calls a method of the generated client and resolves with its error or response (never rejects). */
export function rawCall<T>(
  // biome-ignore lint/suspicious/noExplicitAny: the generated client's overloads are not worth typing here
  method: (...args: any[]) => any,
  client: ListingsServiceClient,
  request: unknown,
  metadata = new Metadata(),
  options: { deadline?: number } = {},
): Promise<RawResult<T>> {
  return new Promise((resolve) => {
    let headers: Metadata | undefined;
    const call = method.call(client, request, metadata, options, (error: ServiceError | null, response?: T) =>
      resolve({ error, response, headers }),
    );
    call.on('metadata', (m: Metadata) => {
      headers = m;
    });
  });
}
