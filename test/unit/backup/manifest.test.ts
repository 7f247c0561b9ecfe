import { describe, expect, it } from 'vitest';
import { type BackupManifest, parseManifest, serializeManifest } from '../../../src/backup/manifest.ts';

const SHA = 'a'.repeat(64);
const manifest: BackupManifest = {
  manifestVersion: 1,
  id: '20261125T020000Z-ab12',
  createdAt: '2026-11-25T02:00:00.000Z',
  completedAt: '2026-11-25T02:01:00.000Z',
  kind: 'postgres',
  format: 'custom',
  database: { name: 'listings', serverVersion: '15.10', schemaVersion: '20261125000010' },
  tool: 'pg_dump (PostgreSQL) 15.10',
  producer: 'listings 1.0.0',
  tableRowCounts: { 'public.listings': 3 },
  files: [{ name: 'database.dump', size: 10, sha256: SHA }],
  objects: null,
};

describe('backup manifest', () => {
  it('round-trips through its text with a checksum', () => {
    const text = serializeManifest(manifest);
    expect(JSON.parse(text).manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(parseManifest(text, manifest.id)).toEqual({ ok: true, manifest });
  });

  it('does not depend on key order (a re-indented or re-ordered manifest still verifies)', () => {
    const raw = JSON.parse(serializeManifest(manifest)) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(raw).reverse());
    expect(parseManifest(JSON.stringify(reordered), manifest.id).ok).toBe(true);
  });

  it('fails on any edit, a missing checksum, or another id', () => {
    const text = serializeManifest(manifest);
    const edited = parseManifest(text.replace('"public.listings": 3', '"public.listings": 4'), manifest.id);
    expect(edited).toEqual({ ok: false, problems: [expect.stringContaining('checksum does not match')] });
    expect(parseManifest(JSON.stringify(manifest), manifest.id)).toMatchObject({ ok: false });
    expect(parseManifest('{"truncated', manifest.id)).toMatchObject({ ok: false });
    expect(parseManifest(text, '20261125T020000Z-ffff')).toEqual({
      ok: false,
      problems: [expect.stringContaining('is not the backup')],
    });
  });

  it('refuses names that leave the backup folder and entries listed twice, even with a valid checksum', () => {
    const bad = {
      ...manifest,
      files: [
        { name: '../other/database.dump', size: 1, sha256: SHA },
        { name: 'database.dump', size: 1, sha256: SHA },
        { name: 'database.dump', size: -1, sha256: 'nope' },
      ],
    };
    const result = parseManifest(serializeManifest(bad), manifest.id);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      'file name "../other/database.dump" is not a safe relative name',
      'file database.dump is listed twice',
      'file database.dump: bad size',
      'file database.dump: bad sha256',
    ]);
  });
});
