import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { startService } from '../../../adapters/composition/service.ts';
import { loadConfig } from '../../../adapters/config/load.ts';

const SECRET = 'embedded-persistence-test-secret-0123456789';

function embeddedConfig(dataDir: string, httpPort = 0) {
  return loadConfig({
    version: 'test',
    dotenvPath: false,
    environment: {},
    flags: {
      SVETULISTINGS_HTTP_HOST: '127.0.0.1',
      SVETULISTINGS_HTTP_PORT: String(httpPort),
      SVETULISTINGS_GRPC_HOST: '127.0.0.1',
      SVETULISTINGS_GRPC_PORT: '0',
      SVETULISTINGS_DATA_DIR: dataDir,
      SVETULISTINGS_AUTH_JWT_SECRET: SECRET,
    },
  }).config;
}

describe('the embedded default', { timeout: 60_000 }, () => {
  it('keeps its data across a restart of listings serve', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'listings-embedded-'));
    const token = await new SignJWT({ roles: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('7')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SECRET));
    const logger = pino({ level: 'silent' });

    const first = await startService({ config: embeddedConfig(dataDir), logger });
    const base = `http://127.0.0.1:${first.http.port}/api/v1`;
    const categories = (await (await fetch(`${base}/categories`)).json()) as { categories: { id: number }[] };
    expect(categories.categories.length).toBeGreaterThan(0);
    const created = await fetch(`${base}/listings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        user_id: 7,
        title: 'Bicikl, malo korišćen',
        price: 150.5,
        currency: 'EUR',
        category_id: categories.categories[0]?.id,
        quantity: 1,
      }),
    });
    expect(created.status).toBe(201);
    const listing = (await created.json()) as { id: number; title: string };
    await first.stop('restart');

    const second = await startService({ config: embeddedConfig(dataDir), logger });
    try {
      const read = await fetch(`http://127.0.0.1:${second.http.port}/api/v1/listings/${listing.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({
        id: listing.id,
        title: 'Bicikl, malo korišćen',
        price: 150.5,
        status: 'draft',
      });
    } finally {
      await second.stop('done');
    }
  });

  it('refuses a second service on the same data directory or on a taken port, and leaves nothing held', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'listings-embedded-'));
    const otherDir = mkdtempSync(join(tmpdir(), 'listings-embedded-'));
    const logger = pino({ level: 'silent' });
    const first = await startService({ config: embeddedConfig(dataDir), logger });
    try {
      await expect(startService({ config: embeddedConfig(dataDir), logger })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
        message: expect.stringContaining(`is in use by pid ${process.pid}`),
      });
      await expect(startService({ config: embeddedConfig(otherDir, first.http.port), logger })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
        message: expect.stringContaining(`REST port ${first.http.port} on 127.0.0.1 is already in use`),
      });
      // The refused start closed its database: the folder is free for the next one.
      const third = await startService({ config: embeddedConfig(otherDir), logger });
      await third.stop('done');
    } finally {
      await first.stop('done');
    }
  });
});
