import { randomInt } from 'node:crypto';

/**
 * How a canary listing is recognised, by this run and by any later one: its title starts with
 * {@link CANARY_TITLE_PREFIX} and names the run, and its attributes carry the run id and the instant after which
 * no run can still be using it (the run's overall deadline). A later run removes canaries past that instant; a
 * crashed run's canary is therefore removed by the next run, while a concurrent run's canary is left alone.
 */
export const CANARY_TITLE_PREFIX = 'listings smoke-test canary';
export const RUN_ATTRIBUTE = 'smoke_test_canary';
export const EXPIRES_ATTRIBUTE = 'smoke_test_expires_at';

export interface CanaryTag {
  /** Letters only, so every search analyser keeps it one token. */
  readonly runId: string;
  readonly expiresAt: Date;
}

export function newCanaryTag(now: Date, overallDeadlineMs: number): CanaryTag {
  let runId = '';
  for (let i = 0; i < 12; i++) runId += String.fromCharCode(97 + randomInt(26));
  return { runId, expiresAt: new Date(now.getTime() + overallDeadlineMs) };
}

export function canaryTitle(tag: CanaryTag): string {
  return `${CANARY_TITLE_PREFIX} ${tag.runId}`;
}

export function canaryAttributes(tag: CanaryTag): Record<string, string> {
  return { [RUN_ATTRIBUTE]: tag.runId, [EXPIRES_ATTRIBUTE]: tag.expiresAt.toISOString() };
}

/** A listing document (REST JSON) that is a canary: its run id and expiry, else undefined. */
export function readCanaryTag(listing: Record<string, unknown>): { runId: string; expiresAt: Date | null } | undefined {
  const title = typeof listing.title === 'string' ? listing.title : '';
  if (!title.startsWith(`${CANARY_TITLE_PREFIX} `)) return undefined;
  const attributes = (listing.attributes ?? {}) as Record<string, unknown>;
  const runId = typeof attributes[RUN_ATTRIBUTE] === 'string' ? attributes[RUN_ATTRIBUTE] : title.split(' ').at(-1);
  const expires = new Date(String(attributes[EXPIRES_ATTRIBUTE]));
  return { runId: runId ?? '', expiresAt: Number.isNaN(expires.getTime()) ? null : expires };
}
