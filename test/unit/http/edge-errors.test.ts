import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientError } from '../../../adapters/http/edge-errors.ts';
import { securityHeaders } from '../../../adapters/http/plugins/security.ts';
import { appWith } from './support.ts';

let app: FastifyInstance;
let port: number;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink) as unknown as FastifyBaseLogger;
  app = await appWith(
    async (instance) => {
      instance.get('/things/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    },
    { logger },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterAll(async () => {
  await app.close();
});

/** Sends `bytes` as they are (no client would) and reads the whole answer until the server closes. */
async function exchange(bytes: Buffer | string, target = port): Promise<string> {
  const socket = connect(target, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'connect');
  socket.write(bytes);
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('latin1');
}

function parse(answer: string): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) as Record<string, unknown> };
}

describe('requests Fastify or the HTTP parser refuse before any route', () => {
  it('answers a path that does not percent-decode with a 400 problem naming the path', async () => {
    const answer = await app.inject({ method: 'GET', url: '/things/%ZZ' });
    expect(answer.statusCode).toBe(400);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers['content-security-policy']).toBe(securityHeaders()['content-security-policy']);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    const problem = answer.json();
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: '/things/%ZZ' });
    expect(problem.violations).toEqual([
      { field: 'path', reason: 'malformed', message: 'is not valid percent-encoded UTF-8' },
    ]);
    expect(logLines).toContainEqual(
      expect.objectContaining({ msg: 'request', request_id: problem.request_id, route: 'unmatched', status: 400 }),
    );
    expect((await app.inject({ method: 'GET', url: '/things/%41' })).json()).toEqual({ id: 'A' });
  });

  it('answers bytes outside HTTP (raw UTF-8 in the request line) with a 400 problem and closes', async () => {
    const answer = parse(
      await exchange(
        Buffer.concat([Buffer.from('GET /things/'), Buffer.from('вело'), Buffer.from(' HTTP/1.1\r\n\r\n')]),
      ),
    );
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers.connection).toBe('close');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-security-policy']).toBe(securityHeaders()['content-security-policy']);
    expect(answer.headers['x-request-id']).toBe(answer.body.request_id);
    expect(answer.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(answer.body).not.toHaveProperty('instance');
  });

  it('answers headers over the size limit with 431 HEADERS_TOO_LARGE', async () => {
    const answer = parse(await exchange(`GET /things/1 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(answer.status).toBe(431);
    expect(answer.body).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });

  it('answers a request not received in time with 408 REQUEST_TIMEOUT, and stays silent on a reset socket', async () => {
    // Node raises the timeout only from its periodic connection check; the handler is given the same error here.
    // As in Node's HTTP server, the socket has an error listener: the handler destroys it with the error.
    const server = createServer((socket: Socket) => {
      socket.on('error', () => {});
      answerClientError.call(app, Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const answer = parse(await exchange('GET /things/1 HTTP/1.1\r\n', (server.address() as { port: number }).port));
      expect(answer.status).toBe(408);
      expect(answer.body).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
    } finally {
      server.close();
    }
    const reset = await new Promise<string>((resolve) => {
      const quiet = createServer((socket: Socket) => {
        answerClientError.call(app, Object.assign(new Error('reset'), { code: 'ECONNRESET' }), socket);
        socket.end();
      });
      quiet.listen(0, '127.0.0.1', async () => {
        resolve(await exchange('x', (quiet.address() as { port: number }).port));
        quiet.close();
      });
    });
    expect(reset).toBe('');
  });
});
