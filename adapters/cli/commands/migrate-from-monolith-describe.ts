import type { MigrationReport } from '../../../src/monolith-migration/run-report.ts';

/** The human form of a migrate-from-monolith report (§4.6, §4.7): a table per source table, then the details. */
export function describeMigrationReport(report: MigrationReport): string {
  const would = report.dry_run ? 'would ' : '';
  const lines = [
    `${report.dry_run ? 'DRY RUN (nothing written): ' : ''}${report.mode} run ${report.run_id}`,
    `source ${report.source} (shape ${report.source_shape.name}${report.source_shape.hasGeo ? '' : ', no unified_geo'})`,
    `target ${report.target}`,
    `zones: naive source times read as ${report.zones.source_zone}; source server TimeZone ${report.zones.source_server_zone}`,
  ];
  if (report.since !== null) lines.push(`--since ${report.since}: listings, products, stores, categories narrowed`);
  if (report.resumed_from !== null) lines.push(`resumed after interrupted run ${report.resumed_from.run_id}`);
  const header = [
    'table',
    'source',
    'read',
    `${would}insert`,
    `${would}update`,
    'unchanged',
    `${would}reject`,
    'repaired',
    `${would}delete`,
    'reconciled',
  ];
  const rows = Object.entries(report.tables).map(([name, t]) => [
    name,
    t.source ?? '-',
    t.read,
    t.inserted,
    t.updated,
    t.unchanged,
    t.rejected,
    t.repaired,
    t.deleted,
    t.reconciled === null ? '-' : t.reconciled ? 'yes' : 'NO',
  ]);
  lines.push('', ...table([header, ...rows.map((r) => r.map(String))]));
  const codes = (title: string, byTable: Partial<Record<string, Record<string, number>>>) => {
    const entries = Object.entries(byTable).flatMap(([name, counts]) =>
      Object.entries(counts ?? {}).map(([code, n]) => `  ${name} ${code}: ${n}`),
    );
    if (entries.length > 0) lines.push('', title, ...entries);
  };
  codes(`${would}reject by code:`, report.rejects_by_code);
  codes(`${would}repair by code:`, report.repairs_by_code);
  codes('notices:', report.notices_by_code);
  if (report.status_matrix.length > 0) {
    lines.push('', 'status matrix (source raw → target):');
    for (const cell of report.status_matrix) {
      lines.push(`  ${cell.source_table} ${JSON.stringify(cell.raw)} → ${cell.target}: ${cell.rows}`);
    }
  }
  lines.push('', `sequences ${report.dry_run ? 'would be ' : ''}set:`);
  for (const [sequence, value] of Object.entries(report.sequences)) lines.push(`  ${sequence} → ${value}`);
  lines.push(
    '',
    `outbox: ${report.outbox.mode}${report.outbox.mode === 'enqueued' ? ` (${report.outbox.enqueued} listing(s))` : ''}`,
  );
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  lines.push(
    `${report.reconciled ? 'reconciled' : 'NOT reconciled'}; ${report.duration_s} s, ${report.rows_per_s} rows/s`,
  );
  return lines.join('\n');
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
  );
}
