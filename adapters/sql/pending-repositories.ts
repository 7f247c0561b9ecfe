import type { InventoryRepository } from '../../ports/inventory-repository.ts';
import type { ProductRepository } from '../../ports/product-repository.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { SqlSession } from './sql-session.ts';

/**
 * PLACEHOLDERS until `product-repository.ts` and `inventory-repository.ts` exist in this folder: every method rejects
 * with NOT_IMPLEMENTED. `sql-repositories.ts` imports the two factories below; replace that import with the real
 * classes (constructed from the same {@link SqlSession}) and delete this file.
 */
function notImplemented<T extends object>(port: string): T {
  return new Proxy({} as T, {
    get(_target, method) {
      if (typeof method !== 'string' || method === 'then') return undefined;
      return () => Promise.reject(new AppError('NOT_IMPLEMENTED', `${port}.${method} is not implemented yet`));
    },
  });
}

export function createPendingProductRepository(_session: SqlSession): ProductRepository {
  return notImplemented<ProductRepository>('ProductRepository');
}

export function createPendingInventoryRepository(_session: SqlSession): InventoryRepository {
  return notImplemented<InventoryRepository>('InventoryRepository');
}
