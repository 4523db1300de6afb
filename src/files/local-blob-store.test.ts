import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it, mock } from 'node:test';
import { localBlobStore } from './local-blob-store.ts';

describe('localBlobStore', () => {
  const root = mkdtempSync(join(tmpdir(), 'chantier-blobs-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('fsyncs the file before renaming it into place, then the folders holding the new name', async () => {
    const probe = await open(join(root, 'probe'), 'w');
    const FileHandle = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const events: string[] = [];
    const sync = mock.method(FileHandle, 'sync', async function (this: { fd: number }) {
      events.push('sync');
    });
    try {
      const blob = await localBlobStore(root).put(Readable.from([Buffer.from('bon de travail')]), 1000);
      const dest = join(root, blob.hash.slice(0, 2), blob.hash.slice(2, 4), blob.hash);
      assert.equal(readFileSync(dest, 'utf8'), 'bon de travail');
      assert.ok(sync.mock.callCount() >= 2, `fsync called ${sync.mock.callCount()} times: the file and its folder`);
    } finally {
      sync.mock.restore();
    }
  });
});
