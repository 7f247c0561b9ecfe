import type { CountDifference, CountsReport } from '../../../src/validate/compare-counts.ts';
import type { ValidateReport } from '../../../src/validate/validate-search-index.ts';

const KIND_TEXT: Record<keyof ValidateReport['drift'], string> = {
  missing: 'missing (searchable, no document)',
  stale: 'stale (document older than the row)',
  ahead: 'ahead (document newer than the row: reindex)',
  mismatched: 'mismatched fields (same version)',
  unsearchable: 'searchable but deleted, hidden or inactive',
  extra: 'documents without a row',
  deadLetters: 'dead letters in the outbox (listing ids)',
  cacheStale: 'stale cache entries',
  objectMissing: 'image rows whose object is gone (keys; only reported)',
  orphanObject: 'image objects without a row (keys)',
  sideRowsStale: 'listings whose read copy of their side rows differs from the side tables',
};

/** The human summary of a validation (stdout without --json). */
export function describeValidation(report: ValidateReport): string {
  const { checked } = report;
  const lines = [
    `${report.engine} index ${report.index}: ${checked.listings} live listing(s) (${checked.searchable} searchable), ` +
      `${checked.documents} document(s), fields compared on ${checked.fieldsCompared}`,
  ];
  if (report.cache !== null) {
    lines.push(`cache: ${report.cache.checked} listing(s) looked up, ${report.cache.cached} cached`);
  }
  if (report.images !== null) {
    const images = report.images;
    lines.push(
      `images: ${images.imageRows} row(s) with a storage key matched against ${images.scannedObjects} object(s) listed ` +
        `(${images.referencedObjects} referenced, ${images.recentObjects} too recent to judge, ` +
        `${images.foreignObjects} outside the upload layout)`,
    );
  }
  if (report.sideRows !== null) lines.push(`side rows: read copy compared for ${report.sideRows.examined} listing(s)`);
  lines.push(report.clean ? 'no drift' : 'DRIFT:');
  for (const [kind, found] of Object.entries(report.drift) as [
    keyof ValidateReport['drift'],
    ValidateReport['drift'][keyof ValidateReport['drift']],
  ][]) {
    if (found.count === 0) continue;
    const ids = (found.keys ?? found.ids).slice(0, 20).join(', ');
    const more = found.count > 20 ? ', …' : '';
    lines.push(`  ${KIND_TEXT[kind]}: ${found.count} [${ids}${more}]`);
  }
  const fields = Object.entries(report.mismatchedFields);
  if (fields.length > 0)
    lines.push(`  fields that differ: ${fields.map(([field, n]) => `${field} (${n})`).join(', ')}`);
  for (const reason of report.incomplete) lines.push(`incomplete: ${reason}`);
  const fix = report.fix;
  if (fix !== null) {
    const verb = fix.dryRun ? 'would ' : '';
    lines.push(
      `fix: ${verb}re-enqueue ${fix.enqueued} listing(s), ${verb}delete ${fix.deleted} document(s), ` +
        `${verb}requeue ${fix.requeuedDeadLetters} dead letter(s), ${verb}evict ${fix.evicted} cache entr(ies)`,
    );
    if (report.images !== null) lines.push(`  ${verb}delete ${fix.deletedObjects} image object(s) without a row`);
    if (fix.rebuiltSideRows > 0) lines.push(`  ${verb}rebuild the side-row copy of ${fix.rebuiltSideRows} listing(s)`);
    if (fix.deletesSkipped !== null) lines.push(`  not deleted: ${fix.deletesSkipped}`);
    if (fix.objectDeletesSkipped !== null) lines.push(`  not deleted: ${fix.objectDeletesSkipped}`);
    if (fix.needReindex.length > 0) lines.push(`  ${fix.needReindex.length} listing(s) need listings reindex`);
    for (const failure of fix.failures.slice(0, 10)) lines.push(`  failed ${failure.id}: ${failure.reason}`);
    if (!fix.dryRun) lines.push('run listings validate again once the worker has caught up');
  }
  lines.push(`${(report.durationMs / 1000).toFixed(1)} s, ${report.listingsPerSecond} listings/s`);
  return lines.join('\n');
}

/** The human summary of `validate --quick`. */
export function describeCounts(report: CountsReport): string {
  const { database, documents, differences } = report;
  const lines = [
    `${report.engine} index ${report.index}: ${database.total} searchable listing(s) in PostgreSQL, ` +
      `${documents.total} document(s); ${Object.keys(database.byStatus).length} status(es), ` +
      `${Object.keys(database.byCategory).length} categor(ies) compared`,
  ];
  lines.push(report.clean ? 'counts agree' : 'COUNTS DIFFER (PostgreSQL / index):');
  const line = (label: string, difference: CountDifference) =>
    `  ${label}: ${difference.database} / ${difference.index}`;
  if (differences.total !== null) lines.push(line('total', differences.total));
  for (const difference of differences.status) lines.push(line(`status ${difference.bucket}`, difference));
  for (const difference of differences.category.slice(0, 50)) {
    lines.push(line(`category ${difference.bucket}`, difference));
  }
  if (differences.category.length > 50) lines.push(`  … ${differences.category.length - 50} more categories`);
  if (!report.clean) lines.push('run listings validate (without --quick) to find which listings drifted');
  lines.push(`${(report.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
