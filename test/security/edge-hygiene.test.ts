/**
 * What the REST edge of the running service gives away and lets through: path traversal in object keys (even
 * under a valid signature), CR/LF in headers and paths (no response splitting, no forged log line), error bodies
 * without stack traces or SQL, and the security headers on every kind of answer.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPath } from '../../adapters/fs-storage/signed-path.ts';
import type { TestDatabase } from '../support/databases.ts';
import {
  type HttpAnswer,
  request,
  type ServiceUnderTest,
  seededDatabase,
  startServiceUnderTest,
  userToken,
} from '../support/service-under-test.ts';

let db: TestDatabase;
let categories: Record<string, number>;
let service: ServiceUnderTest;
let owner: string;
let stranger: string;
let listingId: number;
let signingSecret: string;

beforeAll(async () => {
  ({ db, categories } = await seededDatabase('listings_sec_edge'));
  // Local-folder storage with a generated signing secret kept in the data dir: the very file a traversal would want.
  service = await startServiceUnderTest(db.url as string, { SVETULISTINGS_WORKER_ENABLED: 'false' });
  signingSecret = (await readFile(join(service.dataDir, 'storage-signing-secret'), 'utf8')).trim();
  await writeFile(join(service.dataDir, 'outside.txt'), 'TOP-SECRET-OUTSIDE-THE-STORE');
  owner = await userToken('7');
  stranger = await userToken('8');
  const created = await request(service.base, 'POST', '/api/v1/listings', {
    token: owner,
    body: { title: 'Edge bike', price: 10, currency: 'RSD', category_id: categories.bicycles, quantity: 1 },
  });
  listingId = created.json.id;
});
afterAll(async () => {
  await service?.stop();
  await db?.dispose();
});

/** A GET whose path is sent byte for byte (fetch would resolve `..` segments before sending). */
function rawGet(path: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { port } = new URL(service.base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: Number(port), path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Bytes written to the socket as they are: for requests no HTTP client would send. */
function rawExchange(bytes: string): Promise<string> {
  const { port } = new URL(service.base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      answer += chunk;
      if (answer.includes('\r\n\r\n')) socket.end();
    });
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(bytes, 'latin1');
    setTimeout(() => socket.destroy(), 2_000);
  });
}

const TRAVERSALS = [
  '../storage-signing-secret',
  '../outside.txt',
  '../../../../../../etc/passwd',
  'listings/1/../../outside.txt',
  '/etc/passwd',
  '..\\outside.txt',
  '....//outside.txt',
  'listings/%2e%2e/%2e%2e/outside.txt',
  'listings/..%2f..%2foutside.txt',
];

describe('path traversal in object keys', () => {
  it('never serves a file outside the store, signed or not, encoded or not', async () => {
    const future = new Date(Date.now() + 3_600_000);
    for (const key of TRAVERSALS) {
      const signed = signPath(key, future, signingSecret);
      const paths = [
        `/files/${key}`,
        signed,
        // The signature covers the decoded key; the path spells the dots percent-encoded.
        signed.replaceAll('..', '%2e%2e'),
        signed.replaceAll('/', '%2F').replace('%2Ffiles%2F', '/files/'),
      ];
      for (const path of paths) {
        const answer = await rawGet(path);
        const label = `${path}: ${answer.status} ${answer.body.slice(0, 200)}`;
        expect([400, 403, 404], label).toContain(answer.status);
        expect(answer.body, label).not.toContain('TOP-SECRET');
        expect(answer.body, label).not.toContain(signingSecret);
        expect(answer.body, label).not.toMatch(/root:.*:0:0:/);
      }
    }
  });

  it('stores an upload named with a traversal under a key of its own making, inside the store', async () => {
    const before = (await readdir(service.dataDir)).sort();
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    for (const filename of ['../../outside.jpg', '..\\..\\outside.jpg', '/etc/passwd.jpg', '%2e%2e%2foutside.jpg']) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), filename);
      const response = await fetch(`${service.base}/api/v1/listings/${listingId}/images`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner}` },
        body: form,
      });
      expect(response.status, `${filename}: ${await response.clone().text()}`).toBe(201);
      const image = (await response.json()) as { id: number; url: string };
      const stored = await db.knex('listing_images').where({ id: image.id }).first('storage_key');
      expect(stored?.storage_key, filename).not.toMatch(/\.\.|^\/|\\|outside|passwd/);
      expect((await fetch(new URL(image.url, service.base))).status, filename).toBe(200);
    }
    expect((await readdir(service.dataDir)).sort()).toEqual(before);
  });

  it('refuses traversal in image routes with 400 or 404, touching nothing', async () => {
    for (const id of ['..%2F..%2Foutside.txt', '%2e%2e', '1%2F..%2F2', '..']) {
      for (const [method, path] of [
        ['DELETE', `/api/v1/listings/${listingId}/images/${id}`],
        ['POST', `/api/v1/listings/${listingId}/images/${id}/primary`],
        ['GET', `/api/v1/listings/${id}/images`],
      ] as const) {
        const answer = await request(service.base, method, path, { token: owner });
        expect([400, 404, 405], `${method} ${path}: ${answer.text}`).toContain(answer.status);
      }
    }
    expect(await readFile(join(service.dataDir, 'outside.txt'), 'utf8')).toBe('TOP-SECRET-OUTSIDE-THE-STORE');
  });
});

describe('CR/LF in headers and paths', () => {
  it('refuses a request id carrying a line break and writes no forged log line', async () => {
    const forged = '{"level":"fatal","msg":"FORGED-LINE"}';
    for (const separator of ['\n', '\r\n', '\r']) {
      const answer = await rawExchange(
        `GET /livez HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc${separator}${forged}\r\nConnection: close\r\n\r\n`,
      );
      // A bare CR or LF in a header, or a header line that is not `name: value`: refused by the parser.
      expect(answer.startsWith('HTTP/1.1 400'), JSON.stringify(answer)).toBe(true);
      expect(answer, JSON.stringify(answer)).not.toMatch(/FORGED-LINE/);
    }
    for (const line of service.logLines) {
      const entry = JSON.parse(line) as { msg?: string };
      expect(entry.msg).not.toBe('FORGED-LINE');
    }
  });

  it('takes a plain short request id as given, and replaces one with quotes, spaces or 200 characters (REST and gRPC)', async () => {
    const plain = 'trace-4bf92f3577b34da6.a3ce929d0e0e4736:01';
    const echoed = await request(service.base, 'GET', '/api/v1/categories', { headers: { 'x-request-id': plain } });
    expect(echoed.headers.get('x-request-id')).toBe(plain);
    for (const odd of ['id","level":"fatal","msg":"FORGED-IN-JSON', 'two words', 'x'.repeat(200), 'ünïcode']) {
      const answer = await request(service.base, 'GET', '/api/v1/categories', { headers: { 'x-request-id': odd } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-request-id'), odd).toMatch(/^[0-9a-f-]{36}$/);
      if (!/^[\x20-\x7e]+$/.test(odd)) continue; // gRPC metadata carries printable ASCII only
      let grpcId: string | undefined;
      await service.grpc().getRootCategories(
        {},
        {
          requestId: odd,
          onMetadata: (metadata) => {
            grpcId = String(metadata.get('x-request-id')[0]);
          },
        },
      );
      expect(grpcId, odd).toMatch(/^[0-9a-f-]{36}$/);
    }
    const lines = service.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((entry) => entry.msg === 'FORGED-IN-JSON')).toBe(false);
    expect(lines.some((entry) => String(entry.request_id ?? '').includes('FORGED'))).toBe(false);
    expect(lines.some((entry) => entry.request_id === plain)).toBe(true);
  });

  it('splits no response: encoded CR/LF in paths and queries never becomes a header', async () => {
    const injections = [
      `/api/v1/listings/${listingId}%0d%0aSet-Cookie:%20pwned=1`,
      '/api/v1/listings/search?query=a%0d%0aSet-Cookie:%20pwned=1',
      '/api/v1/nowhere%0d%0aSet-Cookie:%20pwned=1',
      '/files/x%0d%0aSet-Cookie:%20pwned=1?expires=1&signature=x',
    ];
    for (const path of injections) {
      const answer = await rawGet(path);
      expect(answer.status, path).toBeLessThan(500);
      expect(answer.headers['set-cookie'], path).toBeUndefined();
    }
    const raw = await rawExchange(
      `POST /api/v1/listings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${owner}\r\nIdempotency-Key: k\rSet-Cookie: pwned=1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
    expect(raw).not.toMatch(/^set-cookie/im);
  });
});

describe('error bodies', () => {
  const LEAKS =
    /\bat [\w.<>]+ \(|\.(ts|js):\d+:\d+|node_modules|\bselect\b.+\bfrom\b|insert into|update \w+ set|delete from|knex|pg-protocol|syntax error at|SQLSTATE|stack/i;

  it('carry no stack trace, SQL text or driver name, whatever the failure', async () => {
    const answers: [string, HttpAnswer][] = [];
    const add = async (label: string, answer: Promise<HttpAnswer>) => answers.push([label, await answer]);
    const raw = (body: string, type = 'application/json') =>
      fetch(`${service.base}/api/v1/listings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${owner}`, 'content-type': type },
        body,
      }).then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text(), json: undefined }));
    await add('malformed JSON', raw('{"title": '));
    await add('wrong media type', raw('title=x', 'text/plain'));
    await add('too large', raw(JSON.stringify({ title: 'x'.repeat(60 * 1024 * 1024) })));
    await add('unknown route', request(service.base, 'GET', '/api/v1/nowhere'));
    await add('method not allowed', request(service.base, 'DELETE', '/api/v1/categories'));
    await add('no token', request(service.base, 'POST', '/api/v1/listings', { body: {} }));
    await add('bad token', request(service.base, 'POST', '/api/v1/listings', { token: 'x.y.z', body: {} }));
    await add(
      'stranger',
      request(service.base, 'PATCH', `/api/v1/listings/${listingId}`, { token: stranger, body: { title: 'Mine now' } }),
    );
    await add('missing listing', request(service.base, 'GET', '/api/v1/listings/999999999'));
    await add(
      'state conflict',
      request(service.base, 'POST', `/api/v1/listings/${listingId}/unpublish`, { token: owner }),
    );
    await add(
      'validation',
      request(service.base, 'POST', '/api/v1/listings', { token: owner, body: { title: 'x', price: -1 } }),
    );
    await add(
      'unknown category',
      request(service.base, 'POST', '/api/v1/listings', {
        token: owner,
        body: { title: 'Bike', price: 1, currency: 'RSD', category_id: 999999, quantity: 1 },
      }),
    );
    await add(
      'stale If-Match',
      request(service.base, 'PATCH', `/api/v1/listings/${listingId}`, {
        token: owner,
        body: { title: 'Edge bike 2' },
        headers: { 'if-match': '"v999"' },
      }),
    );
    await add('bad cursor', request(service.base, 'GET', '/api/v1/listings?cursor=eyJ4IjoxfQ'));
    await add(
      'NUL in text',
      request(service.base, 'POST', '/api/v1/listings', {
        token: owner,
        body: { title: 'Bike\u0000', price: 1, currency: 'RSD', category_id: categories.bicycles, quantity: 1 },
      }),
    );
    await add('huge id', request(service.base, 'GET', `/api/v1/listings/${'9'.repeat(40)}`));
    for (const [label, answer] of answers) {
      expect(answer.status, `${label}: ${answer.text}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, `${label}: ${answer.text}`).toBeLessThan(500);
      expect(answer.headers.get('content-type'), label).toContain('application/problem+json');
      expect(answer.text, label).not.toMatch(LEAKS);
    }
  });
});

describe('security headers', () => {
  it('are on every kind of answer: JSON, created, problem, unknown route, probe, metrics', async () => {
    const answers: [string, Headers][] = [
      ['200', (await request(service.base, 'GET', '/api/v1/categories')).headers],
      [
        '201',
        (
          await request(service.base, 'POST', '/api/v1/listings', {
            token: owner,
            body: { title: 'Hdr bike', price: 1, currency: 'RSD', category_id: categories.bicycles, quantity: 1 },
          })
        ).headers,
      ],
      ['401', (await request(service.base, 'POST', '/api/v1/listings', { body: {} })).headers],
      ['404', (await request(service.base, 'GET', '/nowhere')).headers],
      ['probe', (await request(service.base, 'GET', '/readyz')).headers],
      ['metrics', (await request(service.base, 'GET', '/metrics')).headers],
    ];
    for (const [label, headers] of answers) {
      expect(headers.get('x-content-type-options'), label).toBe('nosniff');
      expect(headers.get('content-security-policy'), label).toContain("default-src 'none'");
      expect(headers.get('x-frame-options'), label).toBe('DENY');
      expect(headers.get('strict-transport-security'), label).toMatch(/max-age=\d+/);
      expect(headers.get('referrer-policy'), label).toBe('no-referrer');
      expect(headers.get('x-powered-by'), label).toBeNull();
      expect(headers.get('server'), label).toBeNull();
    }
  });
});
