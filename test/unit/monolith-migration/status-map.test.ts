import { describe, expect, it } from 'vitest';
import { mapB2cStatus, mapC2cStatus, trimSpaces } from '../../../src/monolith-migration/mapping/status-map.ts';

describe('status map (§3.6)', () => {
  it.each(['active', 'inactive', 'draft', 'sold', 'archived'])('%s stays %s', (status) => {
    expect(mapC2cStatus(status)).toEqual({ status, deleted: false, code: null });
  });

  it('normalises with lower(btrim()) first', () => {
    expect(mapC2cStatus('  ACTIVE ').status).toBe('active');
    expect(mapC2cStatus('Sold').status).toBe('sold');
  });

  it('pending → draft (STATUS_PENDING)', () => {
    expect(mapC2cStatus('pending')).toEqual({ status: 'draft', deleted: false, code: 'STATUS_PENDING' });
  });

  it('deleted → archived and soft-deleted (STATUS_DELETED)', () => {
    expect(mapC2cStatus('deleted')).toEqual({ status: 'archived', deleted: true, code: 'STATUS_DELETED' });
  });

  it.each([null, '', '   '])('%j → draft (STATUS_EMPTY)', (status) => {
    expect(mapC2cStatus(status)).toEqual({ status: 'draft', deleted: false, code: 'STATUS_EMPTY' });
  });

  it.each(['published', 'moderation', '\tactive'])('%j → draft (STATUS_UNKNOWN)', (status) => {
    // btrim() removes spaces only: a tab keeps the value unknown, as in PostgreSQL.
    expect(mapC2cStatus(status)).toEqual({ status: 'draft', deleted: false, code: 'STATUS_UNKNOWN' });
  });

  it('B2C is_active true/false → active/inactive', () => {
    expect(mapB2cStatus(true).status).toBe('active');
    expect(mapB2cStatus(false).status).toBe('inactive');
  });

  it('trims spaces only, like PostgreSQL btrim()', () => {
    expect(trimSpaces('  a b \t ')).toBe('a b \t');
  });
});
