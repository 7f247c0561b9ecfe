import type { VerifyReport } from '../../../src/monolith-migration/verify/verify-report.ts';

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
  );
}

/** The human summary of a verify report: verdict, the layers, then the differences found (each names its row). */
export function describeVerifyReport(report: VerifyReport): string {
  const lines = [
    `${report.ok ? 'OK' : 'DIFFERENCES FOUND'}: verify of run ${report.run_id} (${report.differences_total} difference(s), ${report.duration_s} s)`,
    `source ${report.source}; target ${report.target}; naive source times read as ${report.zones.source_zone}`,
    '',
    ...table([
      ['source table', 'source', 'migrated', 'rejected', 'repaired', 'mapped now', 'rejected now'],
      ...Object.entries(report.tables).map(([name, t]) =>
        [name, t.source, t.migrated, t.rejected, t.repaired, t.mapped_now, t.rejected_now].map(String),
      ),
    ]),
    '',
    ...table([
      ['target table', 'booked', 'present', 'id-set buckets', 'checksum buckets'],
      ...Object.entries(report.target_tables).map(([name, t]) => [
        name,
        String(t.booked),
        String(t.present),
        report.id_sets[name] ? `${report.id_sets[name].mismatched}/${report.id_sets[name].buckets} differ` : '-',
        report.checksums[name] ? `${report.checksums[name].mismatched}/${report.checksums[name].buckets} differ` : '-',
      ]),
    ]),
    '',
    `sums over ${report.sums.listings} listings: source ${JSON.stringify(report.sums.source)}; target ${JSON.stringify(report.sums.target)}`,
    `sample: ${report.sample.compared} of ${report.sample.size} listings compared field by field (seed ${report.sample.seed})`,
    'status matrix (raw → status: source / target):',
    ...report.status_matrix.map(
      (c) =>
        `  ${c.source_table} ${JSON.stringify(c.raw)} → ${c.status}: ${c.source} / ${c.target}${c.source === c.target ? '' : '  DIFFERS'}`,
    ),
  ];
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  if (report.differences.length > 0) {
    lines.push('', `differences by layer: ${JSON.stringify(report.differences_by_layer)}`);
    for (const d of report.differences) {
      lines.push(
        `  [${d.layer}] ${d.table}${d.id === null ? '' : ` ${d.id}`}${d.field === null ? '' : ` ${d.field}`}: expected ${JSON.stringify(d.expected)}, actual ${JSON.stringify(d.actual)}`,
      );
    }
    if (report.differences.length < report.differences_total) {
      lines.push(`  … ${report.differences_total - report.differences.length} more (50 listed per layer and table)`);
    }
  }
  return lines.join('\n');
}
