/**
 * What this run decided for the rows of one parent table (listings, variants), so child steps can ask about their
 * parent without a query and a dry run, which writes nothing, still sees its own decisions. Keys arrive in
 * increasing order (keyset scans), so the registry is three growing typed arrays searched by bisection: about
 * 13 bytes per row, flat whatever the table size, instead of a Map of objects.
 */
const MIGRATED = 1;
const REJECTED = 2;

export type RegisteredOutcome =
  | { readonly state: 'migrated'; readonly createdAt: string | null }
  | { readonly state: 'rejected' };

export class OutcomeRegistry {
  #ids = new Float64Array(1024);
  #states = new Uint8Array(1024);
  /** created_at as microseconds since the epoch (NaN when not convertible: kept in #odd). */
  #micros = new Float64Array(1024);
  #size = 0;
  readonly #odd = new Map<number, string | null>();

  get size(): number {
    return this.#size;
  }

  set(id: number, outcome: RegisteredOutcome): void {
    const last = this.#size > 0 ? (this.#ids[this.#size - 1] as number) : Number.NEGATIVE_INFINITY;
    if (id <= last) {
      // Out of order (never with keyset scans): overwrite in place when present, else keep aside.
      const at = this.#find(id);
      if (at >= 0) {
        this.#write(at, id, outcome);
        return;
      }
      this.#odd.set(id, outcome.state === 'migrated' ? outcome.createdAt : '\u0000rejected');
      return;
    }
    if (this.#size === this.#ids.length) this.#grow();
    this.#write(this.#size, id, outcome);
    this.#size++;
  }

  get(id: number): RegisteredOutcome | undefined {
    const odd = this.#odd.get(id);
    if (odd !== undefined || this.#odd.has(id)) {
      return odd === '\u0000rejected' ? { state: 'rejected' } : { state: 'migrated', createdAt: odd ?? null };
    }
    const at = this.#find(id);
    if (at < 0) return undefined;
    if (this.#states[at] === REJECTED) return { state: 'rejected' };
    const micros = this.#micros[at] as number;
    return {
      state: 'migrated',
      createdAt: Number.isNaN(micros) ? (this.#odd.get(-id - 1) ?? null) : fromMicros(micros),
    };
  }

  #write(at: number, id: number, outcome: RegisteredOutcome): void {
    this.#ids[at] = id;
    this.#states[at] = outcome.state === 'migrated' ? MIGRATED : REJECTED;
    const micros = outcome.state === 'migrated' ? toMicros(outcome.createdAt) : Number.NaN;
    this.#micros[at] = micros;
    if (outcome.state === 'migrated' && Number.isNaN(micros)) this.#odd.set(-id - 1, outcome.createdAt);
  }

  #find(id: number): number {
    let low = 0;
    let high = this.#size - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.#ids[mid] as number;
      if (value === id) return mid;
      if (value < id) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  #grow(): void {
    const ids = new Float64Array(this.#ids.length * 2);
    ids.set(this.#ids);
    this.#ids = ids;
    const states = new Uint8Array(this.#states.length * 2);
    states.set(this.#states);
    this.#states = states;
    const micros = new Float64Array(this.#micros.length * 2);
    micros.set(this.#micros);
    this.#micros = micros;
  }
}

const CANONICAL = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{6})Z$/;

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` → microseconds since the epoch; NaN for anything else (kept as text instead). */
export function toMicros(text: string | null): number {
  if (text === null) return Number.NaN;
  const match = CANONICAL.exec(text);
  if (!match) return Number.NaN;
  const ms = Date.parse(`${match[1]}Z`);
  const micros = ms * 1000 + Number(match[2]);
  // Exact only within ±2^53 µs (years 1685–2255); anything further is kept as text.
  return Number.isSafeInteger(micros) ? micros : Number.NaN;
}

export function fromMicros(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(fraction).padStart(6, '0')}Z`;
}
