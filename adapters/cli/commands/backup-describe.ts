import type { CreateBackupReport, CreateProgress } from '../../../src/backup/create-backup.ts';
import type { BackupListing } from '../../../src/backup/list-backups.ts';
import type { PruneReport } from '../../../src/backup/prune-backups.ts';
import type { RestoreReport } from '../../../src/backup/restore-backup.ts';
import type { VerifyReport } from '../../../src/backup/verify-backup.ts';

/** Human text of the backup commands (stdout without --json). */

export function describeCreate(report: CreateBackupReport, repository: string): string {
  if (report.dryRun) {
    const { source } = report;
    return [
      `would back up ${source.kind} database ${source.database} (server ${source.serverVersion}, about ${bytes(source.sizeBytes)})`,
      `with ${source.tool}, format ${report.format}${report.withObjects ? ', with image objects' : ''}`,
      `into ${repository} (dry run: nothing written)`,
    ].join('\n');
  }
  const { manifest } = report;
  const tables = Object.keys(manifest.tableRowCounts).length;
  const rows = Object.values(manifest.tableRowCounts).reduce((sum, n) => sum + n, 0);
  const lines = [
    `backup ${manifest.id} written to ${repository}`,
    `  ${manifest.kind}/${manifest.format}, ${manifest.files.length} file(s), ${bytes(report.sizeBytes)}`,
    `  ${tables} table(s), ${rows} row(s), schema version ${manifest.database.schemaVersion ?? '(none)'}`,
  ];
  if (manifest.objects !== null) lines.push(`  ${manifest.objects.length} image object(s) copied`);
  if (report.missingObjects.length > 0) {
    lines.push(`  ${report.missingObjects.length} referenced image object(s) missing from the image store:`);
    lines.push(...report.missingObjects.slice(0, 20).map((key) => `    ${key}`));
  }
  return lines.join('\n');
}

export function describeList(backups: readonly BackupListing[]): string {
  if (backups.length === 0) return 'no backups';
  const header = ['ID', 'TIME', 'TYPE', 'SIZE', 'AGE', 'LAST VERIFY'];
  const rows = backups.map((b) => [
    b.id,
    b.createdAt ?? `(${b.state})`,
    b.type ?? '-',
    bytes(b.sizeBytes),
    b.ageSeconds === null ? '-' : age(b.ageSeconds),
    b.lastVerify === null
      ? 'never'
      : `${b.lastVerify.passed ? 'passed' : 'FAILED'}${b.lastVerify.restored ? ' (restore)' : ''} ${b.lastVerify.at}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function describeVerify(report: VerifyReport): string {
  const lines = [`backup ${report.id}: ${report.passed ? 'PASSED' : 'FAILED'}`];
  for (const step of report.steps) {
    lines.push(`  ${step.step}. ${step.status.padEnd(7)} ${step.name}`);
    for (const detail of step.details) lines.push(`       ${detail}`);
  }
  return lines.join('\n');
}

export function describeRestore(report: RestoreReport): string {
  const checks = report.checks.map((s) => `  ${s.step}. ${s.status} ${s.name}`);
  if (report.dryRun) {
    return [
      `would restore backup ${report.id} into ${report.target} (${report.targetTables} table(s) there now${report.clean ? ', --clean' : ''})`,
      ...checks,
      '(dry run: nothing written)',
    ].join('\n');
  }
  const lines = [
    `restored backup ${report.id} into ${report.target}: ${report.matches ? 'row counts and schema version match the manifest' : 'DIFFERS from the manifest'}`,
    ...checks,
  ];
  lines.push(...report.differences.map((d) => `  ${d}`));
  if (report.objectsRestored > 0) lines.push(`  ${report.objectsRestored} image object(s) put back`);
  return lines.join('\n');
}

export function describePrune(report: PruneReport): string {
  const verb = report.dryRun ? 'would delete' : 'deleted';
  const { daily, weekly, monthly } = report.policy;
  const lines = [
    `${verb} ${report.deleted.length} backup(s), ${bytes(report.deletedBytes)}; keeping ${report.kept.length} (policy ${daily} daily / ${weekly} weekly / ${monthly} monthly)`,
  ];
  for (const d of report.deleted) lines.push(`  - ${d.id} ${d.state}`);
  for (const k of report.kept) lines.push(`  + ${k.id} ${k.keptBecause.join(', ')}`);
  if (report.dryRun) lines.push('(dry run: pass --yes to delete)');
  return lines.join('\n');
}

/** A URL without its password, for messages; anything else unchanged. */
export function redactUrl(target: string): string {
  return target.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:<redacted>@');
}

/** A live counter on a terminal; a JSON line every few seconds otherwise. */
export function progressWriter(json: boolean): (progress: CreateProgress) => void {
  let last = Date.now();
  return (progress) => {
    if (process.stderr.isTTY && !json) {
      process.stderr.write(`\r${progress.files} file(s), ${progress.objects} object(s), ${bytes(progress.bytes)}   `);
      return;
    }
    if (Date.now() - last < 5000) return;
    last = Date.now();
    process.stderr.write(`${JSON.stringify({ progress })}\n`);
  };
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function age(seconds: number): string {
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}
