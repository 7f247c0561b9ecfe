/**
 * Responses built once per shared value, and encoded once per response.
 *
 * The listing cache hands every reader of one entry the same deep-frozen ListingDetails (src/shared/fenced-cache.ts
 * decodes an entry once). A frozen value cannot change, so the message mapped from it cannot either: it is built
 * once, frozen in turn, and remembered beside the value (a WeakMap, so it lives exactly as long as the value), and
 * the server's serializer remembers the bytes of a frozen message the same way. A cached GetListing then skips the
 * mapping (dates to RFC 3339, money to the wire's double) and the protobuf encoding, which were a fifth of the
 * server's CPU per call (bench/grpc-get.bench.ts). Values that are not frozen (read from the database, built for
 * one caller) are mapped and encoded every time, as before. The bytes are the same either way.
 */
import { deepFreeze } from '../../../src/shared/deep-freeze.ts';

/** `build`, run once per frozen source (and its result frozen); every time for a source that is not frozen. */
export function builtOncePerSharedValue<S extends object, M extends object>(build: (source: S) => M): (source: S) => M {
  const built = new WeakMap<S, M>();
  return (source) => {
    if (!Object.isFrozen(source)) return build(source);
    let message = built.get(source);
    if (message === undefined) {
      message = deepFreeze(build(source));
      built.set(source, message);
    }
    return message;
  };
}

/**
 * A response serializer that keeps the bytes of each frozen message it encoded. grpc-js copies them into its own
 * frame (server-interceptors `serializeMessage`), so the kept buffer is never written to.
 */
export function encodedOncePerFrozenMessage(serialize: (value: unknown) => Buffer): (value: unknown) => Buffer {
  const encoded = new WeakMap<object, Buffer>();
  return (value) => {
    if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return serialize(value);
    let bytes = encoded.get(value);
    if (bytes === undefined) {
      bytes = serialize(value);
      encoded.set(value, bytes);
    }
    return bytes;
  };
}
