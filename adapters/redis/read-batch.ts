import type { Redis } from 'ioredis';

/** Most keys one MGET carries; a larger turn's reads go out as several. */
const MAX_KEYS_PER_MGET = 1000;

interface Waiting {
  readonly keys: readonly string[];
  resolve(values: (string | null)[]): void;
  reject(error: unknown): void;
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
  #waiting: Waiting[] = [];

  constructor(client: Redis) {
    this.#client = client;
  }

  /** The values of these keys (null when absent), read with the other keys of this turn. Rejects when Redis fails. */
  read(keys: readonly string[]): Promise<(string | null)[]> {
    return new Promise((resolve, reject) => {
      if (this.#waiting.length === 0) setImmediate(() => this.#flush());
      this.#waiting.push({ keys, resolve, reject });
    });
  }

  #flush(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    let batch: Waiting[] = [];
    let size = 0;
    for (const read of waiting) {
      if (size > 0 && size + read.keys.length > MAX_KEYS_PER_MGET) {
        this.#send(batch);
        batch = [];
        size = 0;
      }
      batch.push(read);
      size += read.keys.length;
    }
    if (batch.length > 0) this.#send(batch);
  }

  #send(batch: readonly Waiting[]): void {
    const keys = batch.length === 1 ? (batch[0] as Waiting).keys : batch.flatMap((read) => read.keys);
    this.#client.mget(keys as string[]).then(
      (values) => {
        let offset = 0;
        for (const read of batch) {
          read.resolve(values.slice(offset, offset + read.keys.length));
          offset += read.keys.length;
        }
      },
      (error: unknown) => {
        for (const read of batch) read.reject(error);
      },
    );
  }
}
