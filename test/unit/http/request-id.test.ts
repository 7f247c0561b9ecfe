import { describe, expect, it } from 'vitest';
import { acceptableRequestId, newRequestId } from '../../../adapters/request-id.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newRequestId', () => {
  it('is a fresh random (version 4) UUID each time, acceptable as a caller-chosen id too', () => {
    const ids = Array.from({ length: 50 }, () => newRequestId());
    for (const id of ids) {
      expect(id).toMatch(UUID_V4);
      expect(acceptableRequestId(id)).toBe(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
