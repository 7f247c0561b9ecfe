import { readFileSync } from 'node:fs';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';

/** Built by build-descriptor-set.sh with buf: listings.v1, its google/protobuf imports, grpc.health.v1. */
const DESCRIPTOR_SET = new URL('./descriptor-set.binpb', import.meta.url);

/** The serialized FileDescriptorProtos of a FileDescriptorSet (`repeated FileDescriptorProto file = 1`). */
export function filesOf(set: Uint8Array): Uint8Array[] {
  const files: Uint8Array[] = [];
  const reader = new BinaryReader(set);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === WireType.LengthDelimited) files.push(reader.bytes());
    else reader.skip(wireType, field);
  }
  return files;
}

/**
 * Adds server reflection (v1 and v1alpha) describing listings.v1.ListingsService and grpc.health.v1.Health, so
 * grpcurl and similar tools work without the .proto files, as they did against the original. @grpc/reflection
 * reads only `fileDescriptorProtos` from the package definition, so the compiled set is handed over in that shape.
 */
export function addReflection(server: Server): void {
  const fileDescriptorProtos = filesOf(readFileSync(DESCRIPTOR_SET));
  const definition = { 'descriptor-set': { fileDescriptorProtos } } as unknown as PackageDefinition;
  new ReflectionService(definition).addToServer(server);
}
