import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sniffBody, sniffImageType } from '../../../src/images/image-sniffing.ts';

const bytes = (...values: (number | string)[]) =>
  Buffer.concat(values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from([v]))));

const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF', 0, 1, 1, 0);
const PNG = bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d);
const WEBP = bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 ');
const AVIF = bytes(0, 0, 0, 0x1c, 'ftypavif', 0, 0, 0, 0, 'mif1miaf');
const AVIF_COMPATIBLE = bytes(0, 0, 0, 0x1c, 'ftypmif1', 0, 0, 0, 0, 'miafavif');
const HEIC = bytes(0, 0, 0, 0x18, 'ftypheic', 0, 0, 0, 0, 'mif1heic');

describe('sniffImageType', () => {
  it('recognises the four formats by their magic bytes', () => {
    expect(sniffImageType(JPEG)?.mimeType).toBe('image/jpeg');
    expect(sniffImageType(PNG)?.mimeType).toBe('image/png');
    expect(sniffImageType(WEBP)?.mimeType).toBe('image/webp');
    expect(sniffImageType(AVIF)?.mimeType).toBe('image/avif');
    expect(sniffImageType(AVIF_COMPATIBLE)?.extension).toBe('avif');
  });

  it('refuses everything else, and heads too short to tell', () => {
    expect(sniffImageType(Buffer.from('hello, this is text'))).toBeUndefined();
    expect(sniffImageType(HEIC)).toBeUndefined();
    expect(sniffImageType(bytes('GIF89a', 0, 0, 0, 0, 0, 0))).toBeUndefined();
    expect(sniffImageType(bytes('RIFF', 0, 0, 0, 0, 'WAVE'))).toBeUndefined();
    expect(sniffImageType(bytes(0xff, 0xd8))).toBeUndefined();
    expect(sniffImageType(bytes('RIFF'))).toBeUndefined();
  });
});

describe('sniffBody', () => {
  it('reads the head across small chunks and replays the whole body', async () => {
    const chunks = [PNG.subarray(0, 3), PNG.subarray(3, 5), PNG.subarray(5), Buffer.from('rest of the file')];
    const { type, body } = await sniffBody(Readable.from(chunks));
    expect(type.mimeType).toBe('image/png');
    const replayed: Buffer[] = [];
    for await (const chunk of body as Readable) replayed.push(chunk as Buffer);
    expect(Buffer.concat(replayed)).toEqual(Buffer.concat(chunks));
  });

  it('refuses a text file (whatever it claims) with UNSUPPORTED_MEDIA_TYPE and destroys it', async () => {
    const source = Readable.from([Buffer.from('just some text, named cat.jpg')]);
    await expect(sniffBody(source, 'image/jpeg')).rejects.toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      reason: 'images.unsupported_type',
    });
    expect(source.destroyed).toBe(true);
  });

  it('refuses an empty body', async () => {
    await expect(sniffBody(Readable.from([]))).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    await expect(sniffBody(new Uint8Array())).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('rethrows an error of the body itself', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(sniffBody(failing)).rejects.toThrow('connection reset');
  });

  it('passes the error of a body that fails after its head to the consumer', async () => {
    let sent = false;
    const failing = new Readable({
      read() {
        if (!sent) {
          sent = true;
          this.push(JPEG);
        } else this.destroy(new Error('aborted mid-upload'));
      },
    });
    const { body } = await sniffBody(failing);
    await expect(async () => {
      for await (const _ of body as Readable);
    }).rejects.toThrow('aborted mid-upload');
  });
});
