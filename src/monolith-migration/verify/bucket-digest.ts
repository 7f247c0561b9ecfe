/**
 * Order-independent bucket checksums of verify's key-column layer (§4.8). mapping/verify-keys.ts defines the
 * canonical key text of each row and a checksum over a bucket's rows in key order; verify keeps that text but sums
 * the rows' md5 words instead of hashing their ordered concatenation, because a bucket's expected rows arrive from
 * several source tables at different points of one streaming pass (C2C and B2C listings share buckets; favorites
 * come in user order): a sum needs 5 numbers per bucket, an ordered md5 every row of the bucket held until the end.
 * The SQL side computes the same sums (adapters/postgres/monolith/verify-target.ts).
 */
import { createHash } from 'node:crypto';
import type { BucketDigest } from '../../../ports/monolith-verification.ts';
import { bucketOf, KEY_SPECS, keyColumnText, type VerifiedRows, type VerifiedTable } from '../mapping/index.ts';

interface MutableDigest {
  rows: number;
  sums: [number, number, number, number];
}

/** md5 of a text as four unsigned 32-bit words. */
export function md5Words(text: string): [number, number, number, number] {
  const digest = createHash('md5').update(text, 'utf8').digest();
  return [digest.readUInt32BE(0), digest.readUInt32BE(4), digest.readUInt32BE(8), digest.readUInt32BE(12)];
}

/** Expected digests of one table, fed row by row in any order. */
export class BucketDigests {
  readonly table: VerifiedTable;
  readonly #buckets = new Map<number, MutableDigest>();

  constructor(table: VerifiedTable) {
    this.table = table;
  }

  add(row: VerifiedRows[VerifiedTable]): void {
    const spec = KEY_SPECS[this.table] as { bucketId(row: unknown): number };
    const bucket = bucketOf(spec.bucketId(row));
    const words = md5Words(keyColumnText(this.table, row as never));
    let digest = this.#buckets.get(bucket);
    if (digest === undefined) {
      digest = { rows: 0, sums: [0, 0, 0, 0] };
      this.#buckets.set(bucket, digest);
    }
    digest.rows++;
    for (let i = 0; i < 4; i++) digest.sums[i] = (digest.sums[i] as number) + (words[i] as number);
  }

  get buckets(): ReadonlyMap<number, BucketDigest> {
    return this.#buckets;
  }
}

export function sameDigest(a: BucketDigest | undefined, b: BucketDigest | undefined): boolean {
  if (a === undefined || b === undefined) return a === b || (a ?? b)?.rows === 0;
  return a.rows === b.rows && a.sums.every((sum, i) => sum === b.sums[i]);
}

/** Buckets whose digests differ (present on one side only included), ascending. */
export function mismatchedBuckets(
  expected: ReadonlyMap<number, BucketDigest>,
  actual: ReadonlyMap<number, BucketDigest>,
): number[] {
  const all = new Set([...expected.keys(), ...actual.keys()]);
  return [...all].filter((bucket) => !sameDigest(expected.get(bucket), actual.get(bucket))).sort((a, b) => a - b);
}
