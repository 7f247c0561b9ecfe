/**
 * Grandfather-father-son retention, as `listings backup prune` applies it (§2.9): keep the newest backup of each of
 * the last `daily` days that have backups, of each of the last `weekly` ISO weeks that have backups, and of each of
 * the last `monthly` months that have backups (the union of the three sets); never drop the newest backup or the
 * newest verified one. Periods are counted among those that have backups (as restic's --keep-daily does), so a
 * pause in backups never empties the set; calendar periods are UTC.
 */
export interface RetentionPolicy {
  readonly daily: number;
  readonly weekly: number;
  readonly monthly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

export interface RetentionCandidate {
  readonly id: string;
  readonly createdAt: Date;
  /** Its last verify passed. */
  readonly verified: boolean;
}

/** Why each kept backup is kept (`daily 2026-11-25`, `weekly 2026-W48`, `monthly 2026-11`, `newest`...). */
export function selectRetained(backups: readonly RetentionCandidate[], policy: RetentionPolicy): Map<string, string[]> {
  const newestFirst = [...backups].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1),
  );
  const kept = new Map<string, string[]>();
  const keep = (id: string, reason: string) => kept.set(id, [...(kept.get(id) ?? []), reason]);

  const periods: [string, number, (d: Date) => string][] = [
    ['daily', policy.daily, (d) => d.toISOString().slice(0, 10)],
    ['weekly', policy.weekly, isoWeek],
    ['monthly', policy.monthly, (d) => d.toISOString().slice(0, 7)],
  ];
  for (const [name, count, periodOf] of periods) {
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      if (seen.size >= count) break;
      const period = periodOf(backup.createdAt);
      if (seen.has(period)) continue;
      seen.add(period);
      keep(backup.id, `${name} ${period}`);
    }
  }
  const newest = newestFirst[0];
  if (newest !== undefined) keep(newest.id, 'newest');
  const newestVerified = newestFirst.find((b) => b.verified);
  if (newestVerified !== undefined) keep(newestVerified.id, 'newest verified');
  return kept;
}

/** ISO 8601 week of a UTC date, `2026-W48`: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
