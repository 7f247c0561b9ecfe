import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs no server; `integration` talks to the real PostgreSQL, Redis,
// OpenSearch and MinIO started by scripts/services (see test/support/servers.ts).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/fault/**/*.test.ts', 'test/security/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Integration files share real servers; each file uses its own database/schema/prefix,
          // but two cores do not profit from more parallel files than this.
          maxWorkers: 2,
        },
      },
    ],
  },
});
