import { describe, expect, it } from 'vitest';
import { UUID_NAMESPACE } from '../../../src/monolith-migration/mapping/constants.ts';
import { listingUuid, uuidV5 } from '../../../src/monolith-migration/mapping/uuid-v5.ts';

const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

describe('UUIDv5 (§3.1)', () => {
  it('derives the namespace itself from the URL namespace and urn:listings:monolith:v1', () => {
    expect(uuidV5(URL_NAMESPACE, 'urn:listings:monolith:v1')).toBe(UUID_NAMESPACE);
  });

  it.each([
    ['c2c_listings', 1070, '87eae189-69ae-5b3a-9658-edc674afeca8'],
    ['b2c_products', 1071, '3df75a73-e5b6-5899-ade9-ecd1373818cc'],
    ['c2c_listings', 1, '2acf6327-d964-5030-bfd6-e11ae32d9c9a'],
  ] as const)('gives the reference test vector for %s:%i', (table, id, expected) => {
    expect(listingUuid(table, id)).toBe(expected);
  });

  it('matches the RFC 9562 example (DNS namespace, www.example.com)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('nope', 'x')).toThrow(TypeError);
  });
});
