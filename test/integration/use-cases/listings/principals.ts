import type { Principal } from '../../../../ports/principal.ts';

/** A marketplace user, as a verified token would describe them. */
export function user(userId: number): Principal {
  return { subject: String(userId), userId, roles: [], kind: 'user' };
}

export const OWNER = user(7);
export const STRANGER = user(8);
export const ADMIN: Principal = { subject: '1', userId: 1, roles: ['admin'], kind: 'user' };
export const SERVICE: Principal = { subject: 'orders-service', roles: ['service'], kind: 'service' };
