/** The monolith mapping (reference monolith.md §3): pure functions the migrate-from-monolith pipeline calls. */
export * from './codes.ts';
export * from './constants.ts';
export type * from './types.ts';
