import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../adapters/fs-storage/fs-object-store.ts';
import { underRoot } from '../../../adapters/fs-storage/object-paths.ts';
import { signPath, verifySignedPath } from '../../../adapters/fs-storage/signed-path.ts';
import { describeObjectStoreContract, type FetchedObject } from '../../contracts/object-store.contract.ts';

const secret = 'test-signing-secret-0123456789';
let contractRoot: string;
let contractStore: FsObjectStore;

/** What `listings serve` will do for `/files/...`: verify the signed path, then stream the object. */
async function serveSignedPath(url: string): Promise<FetchedObject> {
  const { pathname, search } = new URL(url, 'http://listings.invalid');
  const check = verifySignedPath(pathname, search, secret, Date.now());
  if (!check.ok) return { status: check.reason === 'malformed' ? 404 : 403, body: new Uint8Array() };
  const object = await contractStore.get(check.key);
  const parts: Buffer[] = [];
  for await (const chunk of object.body) parts.push(chunk);
  return { status: 200, body: Buffer.concat(parts) };
}

beforeAll(async () => {
  contractRoot = await mkdtemp(join(tmpdir(), 'listings-fs-store-'));
});
afterAll(async () => {
  await rm(contractRoot, { recursive: true, force: true });
});

describeObjectStoreContract(
  'filesystem',
  async () => {
    contractStore = new FsObjectStore({ root: join(contractRoot, 'objects'), signingSecret: secret });
    return contractStore;
  },
  { fetchPresigned: serveSignedPath },
);

describe('FsObjectStore on disk', () => {
  let root: string;
  let store: FsObjectStore;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'listings-fs-layout-'));
    store = new FsObjectStore({ root, signingSecret: secret });
    await store.ensureReady();
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const text = { contentType: 'text/plain' };

  it('stores a key and a folder of the same name side by side, and escapes ~, % and a leading dot', async () => {
    for (const key of ['a', 'a/b', 'x~y/50%', '.tmp/.hidden']) await store.put(key, Buffer.from(key), text);
    expect((await readdir(root)).sort()).toEqual(['%2Etmp', '.tmp', 'a', 'a~', 'x%7Ey']);
    expect(await readdir(join(root, 'x%7Ey'))).toEqual(['50%25~']);
    const keys: string[] = [];
    for await (const item of store.list('', { recursive: true })) keys.push(item.key);
    expect(keys).toEqual(['.tmp/.hidden', 'a', 'a/b', 'x~y/50%']);
    expect((await store.stat('.tmp/.hidden'))?.size).toBe(12);
  });

  it('leaves no temp file after a failed upload', async () => {
    await expect(store.put('fail/big', Buffer.alloc(10), { ...text, maxBytes: 5 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    const broken = new Readable({
      read() {
        this.destroy(new Error('boom'));
      },
    });
    await expect(store.put('fail/broken', broken, text)).rejects.toThrow('boom');
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
    expect(await store.stat('fail/big')).toBeUndefined();
  });

  it('removes folders a delete left empty, but not the root', async () => {
    await store.put('deep/er/still/file', Buffer.from('x'), text);
    await store.put('deep/kept', Buffer.from('x'), text);
    await store.delete(['deep/er/still/file']);
    expect(await readdir(join(root, 'deep'))).toEqual(['kept~']);
    await store.delete(['deep/kept']);
    expect(await readdir(root)).not.toContain('deep');
  });

  it('keeps serving an open body after the object is deleted', async () => {
    await store.put('open/body', Buffer.from('still here'), text);
    const { body } = await store.get('open/body');
    await store.delete(['open/body']);
    const parts: Buffer[] = [];
    for await (const chunk of body) parts.push(chunk);
    expect(Buffer.concat(parts).toString()).toBe('still here');
  });

  it('ignores files it did not write when listing, and reports a damaged object file', async () => {
    await writeFile(join(root, 'stray.txt'), 'not ours');
    await writeFile(join(root, 'damaged~'), 'no manifest');
    const keys: string[] = [];
    for await (const item of store.list('', { recursive: false })) keys.push(item.key);
    expect(keys).not.toContain('stray.txt');
    expect(keys).not.toContain('damaged');
    await expect(store.get('damaged')).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('refuses any path outside the root', () => {
    expect(() => underRoot(root, '..', 'etc')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => underRoot(root, '/etc/passwd')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(underRoot(root, 'a', 'b~')).toBe(join(root, 'a', 'b~'));
  });

  it('removes stale temp files on ensureReady and keeps fresh ones', async () => {
    const stale = join(root, '.tmp', 'stale.part');
    const fresh = join(root, '.tmp', 'fresh.part');
    await writeFile(stale, 'x');
    await writeFile(fresh, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(stale, twoHoursAgo, twoHoursAgo);
    await store.ensureReady();
    expect(await readdir(join(root, '.tmp'))).toEqual(['fresh.part']);
    await rm(fresh);
  });

  it('is not ready when the root cannot be a folder, and refuses a short signing secret', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    await expect(new FsObjectStore({ root: file, signingSecret: secret }).ensureReady()).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
    expect(() => new FsObjectStore({ root, signingSecret: 'short' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});

describe('verifySignedPath', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  const store = new FsObjectStore({ root: '/nonexistent', signingSecret: secret, now: () => now });
  const split = (url: string) => {
    const [path = '', query = ''] = url.split('?');
    return { path, query };
  };

  it('accepts the presigned path and query until they expire, then rejects them', async () => {
    const { path, query } = split(await store.presignedGetUrl('listings/42/front view.jpg', 60));
    expect(path).toBe('/files/listings/42/front%20view.jpg');
    expect(verifySignedPath(path, query, secret, now)).toMatchObject({ ok: true, key: 'listings/42/front view.jpg' });
    expect(verifySignedPath(path, `?${query}`, secret, new Date(now + 59_000))).toMatchObject({ ok: true });
    expect(verifySignedPath(path, new URLSearchParams(query), secret, now + 60_000)).toEqual({
      ok: false,
      reason: 'expired',
    });
    const parsed = Object.fromEntries(new URLSearchParams(query));
    expect(verifySignedPath(path, parsed, secret, now)).toMatchObject({ ok: true });
  });

  it('rejects a tampered key, expiry or signature, and another secret', async () => {
    const { path, query } = split(await store.presignedGetUrl('listings/42/a.jpg', 60));
    const params = new URLSearchParams(query);
    const later = new URLSearchParams(params);
    later.set('expires', String(Number(params.get('expires')) + 3600));
    const forged = new URLSearchParams(params);
    forged.set('signature', `${params.get('signature')?.slice(0, -1)}A`);
    expect(verifySignedPath('/files/listings/42/b.jpg', query, secret, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifySignedPath(path, later, secret, now)).toMatchObject({ reason: 'bad_signature' });
    expect(verifySignedPath(path, forged, secret, now)).toMatchObject({ reason: 'bad_signature' });
    expect(verifySignedPath(path, query, 'another-secret-0123456789', now)).toMatchObject({ reason: 'bad_signature' });
  });

  it('calls anything else malformed', () => {
    const valid = signPath('k', new Date(now + 60_000), secret);
    const { query } = split(valid);
    expect(verifySignedPath('/elsewhere/k', query, secret, now)).toMatchObject({ reason: 'malformed' });
    expect(verifySignedPath('/files/k', '', secret, now)).toMatchObject({ reason: 'malformed' });
    expect(verifySignedPath('/files/%E0%A4%A', query, secret, now)).toMatchObject({ reason: 'malformed' });
    expect(verifySignedPath('/files/..%2Fetc', query, secret, now)).toMatchObject({ reason: 'malformed' });
    expect(verifySignedPath('/files/k', query.replace(/expires=\d+/, 'expires=soon'), secret, now)).toMatchObject({
      reason: 'malformed',
    });
  });
});
