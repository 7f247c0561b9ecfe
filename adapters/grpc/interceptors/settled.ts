import type { CallState, Next } from '../context.ts';

/** `next(call)`, with a synchronous throw turned into a rejection, so a layer that observes it always sees it. */
export function settled(next: Next, call: CallState): Promise<unknown> {
  try {
    return next(call);
  } catch (error) {
    return Promise.reject(error);
  }
}
