/**
 * Freezes `value` and every plain object and array reachable from it, and returns it. For values shared between
 * callers (a cache's decoded entries): a caller that tried to change one would change it for everybody, and in
 * strict-mode code (every ES module) such an attempt throws instead. Dates are frozen as objects, but their time can
 * still be set: nothing in this code base mutates a Date.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const member of Object.values(value)) deepFreeze(member);
  return value;
}
