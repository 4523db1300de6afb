import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Org, TestContext } from '../testing/harness.ts';
import { typeIds } from '../testing/defaults.ts';

/** Helpers shared by the task-content tests (not a test file itself). */

/** A multipart/form-data body with one file part, built by hand. */
export function multipart(fileName: string, bytes: Buffer, contentType = 'application/octet-stream', field = 'file') {
  const boundary = `----chantier${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName.replace(/"/g, '\\"')}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head, 'utf8'), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Uploads through the app, in process, and parses the JSON answer. */
export async function upload(ctx: TestContext, token: string, taskId: string, fileName: string, bytes: Buffer, contentType?: string) {
  const { payload, headers } = multipart(fileName, bytes, contentType);
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/tasks/${taskId}/attachments`,
    headers: { ...headers, authorization: `Bearer ${token}` },
    payload,
  });
  return { status: res.statusCode, body: res.json() };
}

/** A real, decodable 2×2 RGB PNG. */
export function tinyPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit depth, truecolour, deflate, no filter, no interlace
  const rows = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]); // filter byte + 2 pixels, twice
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** Every file under a folder, recursively (to prove an upload left nothing behind). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Creates a task of the default "work" type; `assigneeIds` makes it visible to technicians. */
export async function newTask(ctx: TestContext, org: Org, fields: Record<string, unknown> = {}) {
  const typeId = (await typeIds(ctx, org)).work;
  const r = await ctx.call('POST', '/api/v1/tasks', org.token, { typeId, title: 'Excavation', ...fields });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { id: string; status: string };
}
