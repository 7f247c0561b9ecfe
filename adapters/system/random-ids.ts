import { randomUUID } from 'node:crypto';
import type { IdGenerator } from '../../ports/id-generator.ts';

/** UUID v4 from the operating system's CSPRNG. */
export const randomIds: IdGenerator = { uuid: () => randomUUID() };
