/**
 * The second look at what the full pass found. The pass reads PostgreSQL and the index at slightly different times
 * while writes go on, and the worker trails PostgreSQL by a second or so: a listing written during the pass looks
 * like drift without being any. Each finding is read again on both sides after a pause (documents by id, which is
 * real time), and only what still differs is reported; an `extra` is also told apart from the document of a
 * soft-deleted row (`unsearchable`).
 */
import type { ListingRepository } from '../../ports/listing-repository.ts';
import type { SearchIndexMaintenance } from '../../ports/search-index-maintenance.ts';
import { loadCurrentListings } from '../indexing/current-listings.ts';
import { buildSearchDocument } from '../search/search-document.ts';
import { classify, type IndexFinding } from './drift.ts';

const CHUNK = 500;
/** `findRow` reads in flight when telling extras apart. */
const ROW_READS = 8;

export async function recheckFindings(
  listings: ListingRepository,
  maintenance: SearchIndexMaintenance,
  findings: readonly IndexFinding[],
  name?: string,
): Promise<IndexFinding[]> {
  const confirmed: IndexFinding[] = [];
  const ids = [...new Set(findings.map((finding) => finding.id))].sort((a, b) => a - b);
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    const [rows, stored] = await Promise.all([
      loadCurrentListings(listings, chunk),
      maintenance.getDocuments(chunk, name),
    ]);
    const documents = new Map(stored.map((document) => [document.id, document]));
    const extras: IndexFinding[] = [];
    for (const id of chunk) {
      const row = rows.get(id);
      const finding = classify(id, row, row === undefined ? null : buildSearchDocument(row), documents.get(id), true);
      if (finding === null) continue;
      if (finding.kind === 'extra') extras.push(finding);
      else confirmed.push(finding);
    }
    for (let at = 0; at < extras.length; at += ROW_READS) {
      const group = extras.slice(at, at + ROW_READS);
      const found = await Promise.all(group.map((extra) => listings.findRow(extra.id, { includeDeleted: true })));
      group.forEach((extra, index) => {
        const row = found[index];
        confirmed.push(row == null ? extra : { ...extra, kind: 'unsearchable', rowVersion: row.version });
      });
    }
  }
  return confirmed.sort((a, b) => a.id - b.id);
}
