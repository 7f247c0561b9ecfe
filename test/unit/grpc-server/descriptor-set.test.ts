/** The reflection descriptor set is compiled from proto/ by buf and must be rebuilt whenever proto/ changes. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { filesOf } from '../../../adapters/grpc/reflection/reflection.ts';

const DIR = join(import.meta.dirname, '../../../adapters/grpc/reflection');
const committed = readFileSync(join(DIR, 'descriptor-set.binpb'));

describe('reflection descriptor set', () => {
  it('is current: a fresh build-descriptor-set.sh gives the same bytes', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'descriptors-'));
    try {
      execFileSync(join(DIR, 'build-descriptor-set.sh'), [join(tmp, 'set.binpb')], { stdio: 'pipe' });
      const fresh = readFileSync(join(tmp, 'set.binpb'));
      expect(
        fresh.equals(committed),
        'stale: run adapters/grpc/reflection/build-descriptor-set.sh and commit descriptor-set.binpb',
      ).toBe(true);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it('holds listings.v1, its google/protobuf imports, grpc.health.v1 and google.rpc error details', () => {
    const names = filesOf(committed).map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes).name);
    expect(names).toEqual(
      expect.arrayContaining([
        'listings/v1/listings.proto',
        'google/protobuf/empty.proto',
        'google/protobuf/field_mask.proto',
        'google/protobuf/struct.proto',
        'google/protobuf/timestamp.proto',
        'grpc/health/v1/health.proto',
        'google/rpc/error_details.proto',
        'google/protobuf/duration.proto',
      ]),
    );
  });
});
