import { ListingsServiceService } from './generated/listings/v1/listings.ts';

/**
 * The RPCs of listings.v1.ListingsService by their proto names (`GetProductsBySKUs`, not ts-proto's
 * `getProductsBySkUs` key), with request and response types derived from the generated service definition, so
 * a handler, a timeout or a rate-limit rule is keyed by the name that appears on the wire, in logs and in metrics.
 */
export const SERVICE_NAME = 'listings.v1.ListingsService';

type Definition = typeof ListingsServiceService;
type Key = keyof Definition;
type NameOf<K extends Key> = Definition[K]['path'] extends `/listings.v1.ListingsService/${infer N}` ? N : never;
type KeyByName = { [K in Key as NameOf<K>]: K };

export type RpcName = keyof KeyByName;
export type RpcDefinition<N extends RpcName> = Definition[KeyByName[N]];
export type RequestOf<N extends RpcName> = Parameters<RpcDefinition<N>['requestSerialize']>[0];
export type ResponseOf<N extends RpcName> = ReturnType<RpcDefinition<N>['responseDeserialize']>;

/** One method of the service definition, in the untyped shape grpc-js registers. */
export interface MethodDefinition {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  requestSerialize(value: unknown): Buffer;
  requestDeserialize(bytes: Buffer): unknown;
  responseSerialize(value: unknown): Buffer;
  responseDeserialize(bytes: Buffer): unknown;
}

export interface RpcEntry {
  /** Proto name, e.g. `GetListing`. */
  readonly name: RpcName;
  /** ts-proto key in the service definition, e.g. `getListing`. */
  readonly key: string;
  /** `/listings.v1.ListingsService/GetListing`: the metric label and rate-limit key source. */
  readonly path: string;
  readonly definition: MethodDefinition;
}

/** All 53 RPCs in proto order. */
export const RPCS: readonly RpcEntry[] = Object.entries(ListingsServiceService).map(([key, definition]) => ({
  name: definition.path.slice(SERVICE_NAME.length + 2) as RpcName,
  key,
  path: definition.path,
  definition: definition as unknown as MethodDefinition,
}));

export const RPC_NAMES: ReadonlySet<string> = new Set(RPCS.map((rpc) => rpc.name));

export function isRpcName(name: string): name is RpcName {
  return RPC_NAMES.has(name);
}
