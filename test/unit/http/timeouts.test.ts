import { Writable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS, REST_TIMEOUTS_MS } from '../../../adapters/http/plugins/timeouts.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { appWith } from './support.ts';

let app: FastifyInstance;
const seen: { signal?: AbortSignal; lateResultSent?: boolean } = {};

beforeAll(async () => {
  app = await appWith(async (routes) => {
    routes.get('/slow', { config: { timeout: 50 } }, async (request) => {
      seen.signal = request.deadline.signal;
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen.lateResultSent = true;
      return { late: true };
    });
    routes.get('/cooperative', { config: { timeout: 50 } }, async (request) => {
      await new Promise((_resolve, reject) =>
        request.deadline.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    });
    routes.get('/fast', { config: { timeout: 'search' } }, async (request) => ({
      timeout_ms: request.deadline.timeoutMs,
      remaining_ms: request.deadline.remainingMs(),
    }));
    for (const operation of Object.keys(REST_TIMEOUTS_MS) as (keyof typeof REST_TIMEOUTS_MS)[]) {
      routes.get(`/op/${operation}`, { config: { timeout: operation } }, async (request) => ({
        ms: request.deadline.timeoutMs,
      }));
    }
    routes.get('/unlisted', async (request) => ({ ms: request.deadline.timeoutMs }));
    routes.get('/callback-style', (_request, reply) => {
      setTimeout(() => reply.send({ ok: true }), 5);
    });
  });
});
afterAll(() => app.close());

describe('per-route deadlines', () => {
  it('answers 504 DEADLINE_EXCEEDED when the handler overruns, and aborts its signal', async () => {
    const response = await app.inject({ url: '/slow' });
    expect(response.statusCode).toBe(504);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'DEADLINE_EXCEEDED', status: 504 });
    expect(seen.signal?.aborted).toBe(true);
    expect(seen.signal?.reason).toBeInstanceOf(AppError);
    expect(seen.signal?.reason).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    // The handler's late result is discarded, not sent twice.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(seen.lateResultSent).toBe(true);
  });

  it('answers 504 too when the handler gives up on the signal with its own error', async () => {
    const response = await app.inject({ url: '/cooperative' });
    expect(response.statusCode).toBe(504);
    expect(response.json().code).toBe('DEADLINE_EXCEEDED');
  });

  it('leaves fast handlers alone and tells them the time left', async () => {
    const response = await app.inject({ url: '/fast' });
    expect(response.statusCode).toBe(200);
    expect(response.json().timeout_ms).toBe(8000);
    expect(response.json().remaining_ms).toBeGreaterThan(7000);
  });

  it('uses the reference table by operation, and 30 s for the rest', async () => {
    expect(REST_TIMEOUTS_MS).toEqual({
      get: 5000,
      list: 5000,
      create: 10000,
      update: 10000,
      delete: 15000,
      search: 8000,
    });
    for (const [operation, ms] of Object.entries(REST_TIMEOUTS_MS)) {
      expect((await app.inject({ url: `/op/${operation}` })).json()).toEqual({ ms });
    }
    expect((await app.inject({ url: '/unlisted' })).json()).toEqual({ ms: DEFAULT_TIMEOUT_MS });
  });

  it('does not disturb handlers that send through reply themselves', async () => {
    const response = await app.inject({ url: '/callback-style' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
  });

  it('logs an overrun once, and nothing for requests that finished in time', async () => {
    const lines: { msg: string }[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logger = pino({ level: 'warn' }, sink) as unknown as FastifyBaseLogger;
    const logged = await appWith(
      async (routes) => {
        routes.get('/quick', { config: { timeout: 30 } }, async () => ({ ok: true }));
        routes.get('/stuck', { config: { timeout: 30 } }, () => new Promise(() => {}));
      },
      { logger },
    );
    try {
      expect((await logged.inject({ url: '/quick' })).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(lines.filter((line) => line.msg === 'deadline exceeded')).toEqual([]);
      expect((await logged.inject({ url: '/stuck' })).statusCode).toBe(504);
      expect(lines.filter((line) => line.msg === 'deadline exceeded')).toHaveLength(1);
    } finally {
      await logged.close();
    }
  });
});
