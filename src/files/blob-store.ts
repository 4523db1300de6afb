import type { Readable } from 'node:stream';

/** Content-addressed bytes. The local disk is the default; object storage can replace it. */
export interface BlobStore {
  /** Stores a stream, returns its SHA-256 and size. Stops with `BlobTooLarge` past `maxBytes`. */
  put(stream: Readable, maxBytes: number): Promise<StoredBlob>;
  open(hash: string): Promise<Readable>;
  /** Reads at most `bytes` from the start (for media-type detection). */
  head(hash: string, bytes: number): Promise<Buffer>;
}

export interface StoredBlob {
  hash: string;
  size: number;
}

export class BlobTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob larger than ${maxBytes} bytes`);
  }
}
