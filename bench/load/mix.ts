/**
 * The workload's operations and how often each is sent: §5.3 of the ops reference asks for 60 % reads by id,
 * 25 % search, 10 % list and 5 % writes; the writes are split evenly between creating and updating a listing,
 * and every operation goes over REST or gRPC with equal odds.
 */
export type Operation = 'GetListing' | 'SearchListings' | 'ListListings' | 'CreateListing' | 'UpdateListing';
export type Transport = 'rest' | 'grpc';

export const OPERATIONS: readonly Operation[] = [
  'GetListing',
  'SearchListings',
  'ListListings',
  'CreateListing',
  'UpdateListing',
];
export const TRANSPORTS: readonly Transport[] = ['rest', 'grpc'];

export interface MixEntry {
  readonly operation: Operation;
  /** Share of all requests, in percent. */
  readonly percent: number;
}

export const MIX: readonly MixEntry[] = [
  { operation: 'GetListing', percent: 60 },
  { operation: 'SearchListings', percent: 25 },
  { operation: 'ListListings', percent: 10 },
  { operation: 'CreateListing', percent: 2.5 },
  { operation: 'UpdateListing', percent: 2.5 },
];

/**
 * The operation a uniform draw `r` in [0, 1) falls on: the mix laid out as consecutive intervals of [0, 1), in
 * the order given, each as wide as its share of the total (so shares need not add up to exactly 100).
 */
export function pickOperation(mix: readonly MixEntry[], r: number): Operation {
  if (mix.length === 0) throw new Error('an empty mix');
  const total = mix.reduce((sum, entry) => sum + entry.percent, 0);
  let upper = 0;
  for (const entry of mix) {
    upper += entry.percent / total;
    if (r < upper) return entry.operation;
  }
  // r within rounding of 1: the last interval.
  return (mix.at(-1) as MixEntry).operation;
}

/** REST for a draw `r` in [0, 1) below `restShare`, gRPC otherwise. */
export function pickTransport(r: number, restShare = 0.5): Transport {
  return r < restShare ? 'rest' : 'grpc';
}
