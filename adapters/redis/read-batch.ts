import type { Redis } from 'ioredis';

/** Most keys one MGET carries; a larger turn's reads go out as several. */
const MAX_KEYS_PER_MGET = 1000;

interface Waiting {
  readonly keys: readonly string[];
  resolve(values: (string | null)[]): void;
  reject(error: unknown): void;
}

/**
 * A read of one key (every cached GET's fence): no array of its own on the way in or out, and settled with what its
 * caller hands on (`undefined` for an absent key, `failed(error)` when Redis fails), so the caller needs no promise
 * of its own to translate the reply.
 */
interface WaitingOne {
  readonly key: string;
  readonly failed: (error: unknown) => string | undefined;
  resolve(value: string | undefined): void;
}

/**
 * The reads of one event-loop turn as one MGET. Every request a server handles in a turn (all the sockets that were
 * readable at once) looks up the cache. ioredis's auto-pipelining already gives such commands one write, but each is
 * still a command of its own: a Command object with its own timeout timer, a promise, a reply resolved on its own
 * tick, and Redis's own per-command work on the same cores. Collected until `setImmediate` (after the turn's I/O
 * callbacks), they are one command with one reply. A read waits for the end of its turn at most and still runs after
 * every write issued before it (those are queued first), so it never sees older data than an unbatched read would.
 */
export class ReadBatch {
  readonly #client: Redis;
  #waiting: (Waiting | WaitingOne)[] = [];

  constructor(client: Redis) {
    this.#client = client;
  }

  /** The values of these keys (null when absent), read with the other keys of this turn. Rejects when Redis fails. */
  read(keys: readonly string[]): Promise<(string | null)[]> {
    return new Promise((resolve, reject) => this.#wait({ keys, resolve, reject }));
  }

  /**
   * {@link ReadBatch.read} of one key: its value, undefined when absent, or what `failed` makes of the error when Redis
   * fails (never rejects). Pass a function made once, not one per read.
   */
  readOne(key: string, failed: (error: unknown) => string | undefined): Promise<string | undefined> {
    return new Promise((resolve) => this.#wait({ key, failed, resolve }));
  }

  #wait(read: Waiting | WaitingOne): void {
    if (this.#waiting.length === 0) setImmediate(() => this.#flush());
    this.#waiting.push(read);
  }

  #flush(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    let batch: (Waiting | WaitingOne)[] = [];
    let size = 0;
    for (const read of waiting) {
      const count = keyCount(read);
      if (size > 0 && size + count > MAX_KEYS_PER_MGET) {
        this.#send(batch, size);
        batch = [];
        size = 0;
      }
      batch.push(read);
      size += count;
    }
    if (batch.length > 0) this.#send(batch, size);
  }

  #send(batch: readonly (Waiting | WaitingOne)[], size: number): void {
    const keys: string[] = new Array(size);
    let at = 0;
    for (const read of batch) {
      if ('key' in read) keys[at++] = read.key;
      else for (const key of read.keys) keys[at++] = key;
    }
    this.#client.mget(keys).then(
      (values) => {
        let offset = 0;
        for (const read of batch) {
          if ('key' in read) {
            read.resolve(values[offset] ?? undefined);
            offset += 1;
          } else {
            read.resolve(values.slice(offset, offset + read.keys.length));
            offset += read.keys.length;
          }
        }
      },
      (error: unknown) => {
        for (const read of batch) {
          if ('key' in read) read.resolve(settleFailed(read.failed, error));
          else read.reject(error);
        }
      },
    );
  }
}

/** What `failed` answers, or undefined if it throws: one caller's failing fallback must not leave the others waiting. */
function settleFailed(failed: (error: unknown) => string | undefined, error: unknown): string | undefined {
  try {
    return failed(error);
  } catch {
    return undefined;
  }
}

function keyCount(read: Waiting | WaitingOne): number {
  return 'key' in read ? 1 : read.keys.length;
}
