import { crc32, deflateSync } from 'node:zlib';
import type { FastifyPluginAsync } from 'fastify';
import { Representation, sendRepresentation } from '../server/representation.js';

/**
 * The site icon, so a first visit does not cost a second request that ends in a 4 KB HTML 404.
 *
 * - `/favicon.svg`, linked from every page (`<link rel="icon">`, src/html/layout.ts): the header's
 *   blue with a white "L", about 200 bytes, sharp at any size.
 * - `/favicon.ico`: the same picture, 16×16, as a real ICO (one PNG image in an ICO container,
 *   read by every browser since IE 9), about 110 bytes. Not a 204 or a redirect: browsers still
 *   ask for `/favicon.ico` without reading any `<link>` (a Turtle or JSON document opened in a
 *   tab, a feed reader, a bookmark import), older Safari draws no SVG icon, and a 204 (no
 *   icon) or a redirect (one more round trip, to an SVG some of them cannot draw) serves none of
 *   them as well as a hundred bytes.
 *
 * Both change only when the code does, so their ETag does not follow the data version, and they
 * may be cached for 30 days (a new icon reaches browsers after that, or on revalidation).
 */

const BLUE = [0x0b, 0x5c, 0xad] as const;
const WHITE = [0xff, 0xff, 0xff] as const;
const CACHE = 'public, max-age=2592000';

export const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b5cad"/><path d="M5.5 3v9.5H12" fill="none" stroke="#fff" stroke-width="2.2"/></svg>';

/** The "L" of the SVG on the 16×16 grid: a stem (columns 4-6, rows 3-13) and a foot (rows 11-13, columns 4-12). */
function pixel(x: number, y: number): readonly [number, number, number] {
  const stem = x >= 4 && x <= 6 && y >= 3 && y <= 13;
  const foot = y >= 11 && y <= 13 && x >= 4 && x <= 12;
  return stem || foot ? WHITE : BLUE;
}

/** A PNG chunk: length, type, data, CRC-32 of type and data (PNG §5.3). */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A 16×16 truecolour PNG of `pixel` (PNG §11: IHDR, one IDAT, IEND; filter 0 on every row). */
export function iconPng(size = 16): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const rows = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) Buffer.from(pixel(x, y)).copy(rows, y * (1 + size * 3) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** An ICO file holding one PNG image (ICONDIR, one ICONDIRENTRY, the image). */
export function iconIco(png: Buffer, size = 16): Buffer {
  const dir = Buffer.alloc(6 + 16);
  dir.writeUInt16LE(0, 0); // reserved
  dir.writeUInt16LE(1, 2); // type: icon
  dir.writeUInt16LE(1, 4); // one image
  dir[6] = size; // width
  dir[7] = size; // height
  dir[8] = 0; // no palette
  dir.writeUInt16LE(1, 10); // colour planes
  dir.writeUInt16LE(24, 12); // bits per pixel
  dir.writeUInt32LE(png.length, 14);
  dir.writeUInt32LE(dir.length, 18); // offset of the image
  return Buffer.concat([dir, png]);
}

export const faviconRoutes: FastifyPluginAsync = async (app) => {
  const svg = new Representation('image/svg+xml', FAVICON_SVG, 'icon');
  const ico = new Representation('image/x-icon', iconIco(iconPng()), 'icon');
  app.get('/favicon.svg', async (request, reply) => sendRepresentation(request, reply, svg, { cacheControl: CACHE }));
  app.get('/favicon.ico', async (request, reply) => sendRepresentation(request, reply, ico, { cacheControl: CACHE }));
};
