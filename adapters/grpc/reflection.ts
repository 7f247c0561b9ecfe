import { fileURLToPath } from 'node:url';
import type { Server } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';

/** The repository's proto/ root; listings.proto imports google/protobuf/*, which protobufjs bundles. */
const PROTO_ROOT = fileURLToPath(new URL('../../proto/', import.meta.url));

/**
 * Adds server reflection (v1 and v1alpha) describing listings.v1.ListingsService and grpc.health.v1.Health, so
 * grpcurl and similar tools work without the .proto files, as they did against the original.
 */
export function addReflection(server: Server): void {
  const definition = loadSync(['listings/v1/listings.proto', healthProtoPath], {
    includeDirs: [PROTO_ROOT],
    keepCase: true,
  });
  new ReflectionService(definition).addToServer(server);
}
