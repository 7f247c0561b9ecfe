/**
 * Identifiers the core makes itself (numeric row ids come from the database sequences).
 */
export interface IdGenerator {
  /** A random RFC 9562 version 4 UUID, lower-case canonical text (`crypto.randomUUID()`); unique per call. */
  uuid(): string;
}
