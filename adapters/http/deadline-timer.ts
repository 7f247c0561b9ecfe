/** Something with a deadline, as {@link DeadlineTimer} tracks it. */
export interface Expiring {
  /** The duration the deadline was set with, in ms: entries of one duration expire in the order they were added. */
  readonly timeoutMs: number;
  /** `performance.now()` at which it expires. */
  readonly expiresAt: number;
  /** Called once, when `expiresAt` has passed and the entry is still tracked. */
  expire(): void;
}

/** An entry as the timer tracks it: what {@link DeadlineTimer.add} returns and {@link DeadlineTimer.delete} takes. */
export interface Tracked {
  readonly entry: Expiring;
}

/** A place in one duration's list. `list` is undefined once the entry left it (deleted or expired). */
interface Link extends Tracked {
  list: LinkList | undefined;
  previous: Link | undefined;
  next: Link | undefined;
}

/** The tracked entries of one duration, oldest first. */
interface LinkList {
  first: Link | undefined;
  last: Link | undefined;
  size: number;
}

/**
 * One timer for every in-flight deadline, instead of a `setTimeout` and `clearTimeout` per request.
 *
 * Entries are kept in one insertion-ordered list per duration. Within a list, later entries expire later (the clock
 * is monotonic), so the first entry of each list is the next to expire there, and nothing needs sorting: adding and
 * removing are O(1). The timer is armed for the earliest first entry; most requests finish long before their
 * deadline, so when it fires it usually finds that entry gone, expires nothing and re-arms for the current first
 * entries: about one wake-up per deadline duration under steady traffic, whatever the request rate. The timer is
 * unref'd: pending deadlines never keep the process alive.
 *
 * The lists are doubly linked through the entries' own links, not `Set`s: a removed link is cut from both
 * neighbours and forgets them, so nothing long-lived keeps a finished request reachable. With one `Set` per duration,
 * requests that waited on I/O (a cache read from Redis) survived young-generation collections long after they had
 * been answered: about 12 MB was promoted at every scavenge, and the server spent about a third more CPU per
 * request (bench/README.md, http-get). With the lists nothing is promoted.
 */
export class DeadlineTimer {
  readonly #byDuration = new Map<number, LinkList>();
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #armedFor = Number.POSITIVE_INFINITY;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Tracks `entry` until it expires or {@link DeadlineTimer.delete} gets what this returns. */
  add(entry: Expiring): Tracked {
    let list = this.#byDuration.get(entry.timeoutMs);
    if (list === undefined) {
      list = { first: undefined, last: undefined, size: 0 };
      this.#byDuration.set(entry.timeoutMs, list);
    }
    const link: Link = { entry, list, previous: list.last, next: undefined };
    if (list.last === undefined) list.first = link;
    else list.last.next = link;
    list.last = link;
    list.size += 1;
    if (entry.expiresAt < this.#armedFor) this.#arm(entry.expiresAt);
    return link;
  }

  /** Stops tracking an entry (its request finished); one already deleted or expired is ignored. */
  delete(tracked: Tracked): void {
    unlink(tracked as Link);
  }

  /** Entries tracked, for tests and diagnostics. */
  get size(): number {
    let size = 0;
    for (const list of this.#byDuration.values()) size += list.size;
    return size;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = this.#now();
    let next = Number.POSITIVE_INFINITY;
    for (const list of this.#byDuration.values()) {
      for (let link = list.first; link !== undefined; link = list.first) {
        if (link.entry.expiresAt > now) {
          next = Math.min(next, link.entry.expiresAt);
          break;
        }
        unlink(link);
        try {
          link.entry.expire();
        } catch {
          // One entry's failure must not stop the others from expiring.
        }
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, Math.ceil(at - this.#now())));
    this.#timer.unref();
  }
}

/** Takes `link` out of its list and clears its own references; a link in no list is left alone. */
function unlink(link: Link): void {
  const list = link.list;
  if (list === undefined) return;
  if (link.previous === undefined) list.first = link.next;
  else link.previous.next = link.next;
  if (link.next === undefined) list.last = link.previous;
  else link.next.previous = link.previous;
  list.size -= 1;
  link.list = undefined;
  link.previous = undefined;
  link.next = undefined;
}
