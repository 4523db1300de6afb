import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobTooLarge, type BlobStore, type StoredBlob } from './blob-store.ts';

/**
 * Blobs on local disk under `root/ab/cd/<sha256>`, written through a temp file then renamed.
 * Durable before `put` returns (so before the attachment's row commits): the file's bytes are
 * fsynced, then the rename, by fsyncing the folders it touched.
 */
export function localBlobStore(root: string): BlobStore {
  const pathOf = (hash: string) => join(root, hash.slice(0, 2), hash.slice(2, 4), hash);

  return {
    async put(stream: Readable, maxBytes: number): Promise<StoredBlob> {
      await mkdir(join(root, 'tmp'), { recursive: true });
      const tmp = join(root, 'tmp', randomBytes(12).toString('hex'));
      const sha = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > maxBytes) return done(new BlobTooLarge(maxBytes));
          sha.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(stream, meter, createWriteStream(tmp, { flags: 'wx' }));
        // @fastify/multipart truncates instead of failing when its own limit is hit.
        if ((stream as Readable & { truncated?: boolean }).truncated) throw new BlobTooLarge(maxBytes);
        const hash = sha.digest('hex');
        const dest = pathOf(hash);
        const exists = await stat(dest).then(
          () => true,
          () => false,
        );
        if (exists) {
          await rm(tmp, { force: true });
          return { hash, size };
        }
        await fsync(tmp);
        await mkdir(dirname(dest), { recursive: true });
        await rename(tmp, dest);
        // The new name, and the folders mkdir may have just made, each live in their parent.
        for (const dir of [dirname(dest), dirname(dirname(dest)), root]) await fsync(dir);
        return { hash, size };
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },
    async open(hash) {
      const p = pathOf(hash);
      await stat(p);
      return createReadStream(p);
    },
    async head(hash, bytes) {
      const fh = await open(pathOf(hash), 'r');
      try {
        const buf = Buffer.alloc(bytes);
        const { bytesRead } = await fh.read(buf, 0, bytes, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
  };
}

/** Flushes a file's (or a folder's entries') data to the disk. */
async function fsync(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
