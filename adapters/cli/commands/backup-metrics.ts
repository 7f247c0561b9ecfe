import { rename, writeFile } from 'node:fs/promises';
import type { BackupHealth } from '../../../src/backup/list-backups.ts';

/**
 * The backup metrics as a Prometheus text file, for node_exporter's textfile collector: a backup command is a
 * short-lived process, so it leaves its figures in a file the running exporter serves. Written to a temporary
 * name and renamed, so the collector never reads half a file. Ages are as of the write; alert on
 * `time() - listings_backup_last_verify_timestamp_seconds` to count from the scrape instead.
 */
export function renderBackupMetrics(health: BackupHealth, repository: string): string {
  const seconds = (iso: string | null) => (iso === null ? undefined : Date.parse(iso) / 1000);
  const label = `{repository="${repository.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"}`;
  const gauges: [string, string, number | undefined | null][] = [
    ['listings_backup_count', 'Complete backups (with a valid manifest) in the repository.', health.completeBackups],
    [
      'listings_backup_newest_timestamp_seconds',
      'Snapshot time of the newest complete backup, in Unix seconds.',
      seconds(health.newestCreatedAt),
    ],
    ['listings_backup_newest_size_bytes', 'Size of the newest complete backup.', health.newestSizeBytes],
    [
      'listings_backup_last_verify_timestamp_seconds',
      'Time of the most recent passing backup verify, in Unix seconds.',
      seconds(health.lastVerifyAt),
    ],
    [
      'listings_backup_newest_verified_timestamp_seconds',
      'Snapshot time of the newest backup whose last verify passed, in Unix seconds.',
      seconds(health.newestVerifiedCreatedAt),
    ],
    [
      'listings_backup_newest_verified_age_seconds',
      'Age of the newest backup whose last verify passed, when this file was written.',
      health.newestVerifiedAgeSeconds,
    ],
  ];
  const lines: string[] = [];
  for (const [name, help, value] of gauges) {
    // A figure that does not exist yet (no verified backup) is left out, so `absent()` alerts fire.
    if (value === undefined || value === null) continue;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name}${label} ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function writeMetricsFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
