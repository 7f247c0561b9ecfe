import { AppError } from '../../../src/domain/errors.ts';
import { RPC_NAMES } from '../rpcs.ts';

/**
 * Refuses, at start-up, a per-method table naming something that is not an RPC of ListingsService: the original's
 * timeout table listed six non-RPCs (GetInventoryStatus, UpdateStock...) that silently never applied (flaw #20).
 */
export function assertRpcTable(what: string, table: Readonly<Record<string, unknown>>): void {
  const unknown = Object.keys(table).filter((name) => !RPC_NAMES.has(name));
  if (unknown.length > 0) {
    throw new AppError(
      'CONFIG_INVALID',
      `${what} names RPCs that listings.v1.ListingsService does not have: ${unknown.join(', ')}`,
      {
        details: { unknown: unknown.join(',') },
      },
    );
  }
}
