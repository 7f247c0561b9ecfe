import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/access.ts';
import { LISTING_STATUSES, VISIBILITIES } from '../../../src/domain/listing-status.ts';
import { canView, isListedPublicly } from '../../../src/listings/listing-visibility.ts';

const owner: Actor = { userId: 7, roles: [] };
const stranger: Actor = { userId: 8, roles: [] };
const admin: Actor = { userId: 1, roles: ['admin'] };
const service: Actor = { roles: ['service'] };

describe('listing visibility', () => {
  for (const status of LISTING_STATUSES) {
    for (const visibility of VISIBILITIES) {
      const listing = { userId: 7, status, visibility, isDeleted: false };
      const open = status === 'active' && visibility !== 'private';
      it(`${status}/${visibility}: owner, admin and service see it; others ${open ? 'too' : 'do not'}`, () => {
        expect(canView(owner, listing)).toBe(true);
        expect(canView(admin, listing)).toBe(true);
        expect(canView(service, listing)).toBe(true);
        expect(canView(stranger, listing)).toBe(open);
        expect(canView(undefined, listing)).toBe(open);
        expect(isListedPublicly(listing)).toBe(status === 'active' && visibility === 'public');
      });
    }
  }

  it('nobody sees a deleted listing', () => {
    const listing = { userId: 7, status: 'active', visibility: 'public', isDeleted: true } as const;
    for (const caller of [owner, admin, service, stranger, undefined]) expect(canView(caller, listing)).toBe(false);
  });
});
