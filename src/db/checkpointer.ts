import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * SQLite's WAL checkpoints, on a thread of their own. By default SQLite checkpoints inside the
 * COMMIT that takes the WAL past 1,000 pages: on our one connection that is the event loop, and
 * the checkpoint copies those pages into the database file and fsyncs it, 5-7 ms during which no
 * request runs. Consolidating completions write many pages each, so they met one every few
 * group commits: more than half of their COMMIT time, an eighth of a completion's (issue 10).
 * The store's connection therefore never checkpoints (`wal_autocheckpoint = 0`); this thread's
 * own connection does, PASSIVE (it never waits for, nor blocks, the writer or the readers), at
 * most every INTERVAL_MS once something was committed. Durability is unchanged: a commit is
 * durable when its WAL frames are (sqlite-dialect.ts); the checkpoint syncs the WAL before it
 * copies and the database file after (`synchronous = NORMAL`), as SQLite's own would.
 */
export interface Checkpointer {
  /** A COMMIT wrote to the WAL: a checkpoint is due within INTERVAL_MS. One store to shared memory: call it after every COMMIT. */
  committed(): void;
  /** Stops the thread (its connection closed); waits for it. */
  close(): Promise<void>;
}

export interface CheckpointerOptions {
  /** A checkpoint failed (an I/O error…), or the thread stopped: the store falls back to SQLite's own checkpoints. */
  onFailure(err: Error): void;
}

/** Most often a checkpoint runs while commits arrive: about 10 MB of WAL between two under a bench's load. */
const INTERVAL_MS = 100;

const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');

// The thread, as CommonJS source (no loader needed in a worker): one connection, a checkpoint
// per interval when something was committed since the last. It reports a failure and stops.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const due = new Int32Array(workerData.due);
const db = new SQLite(workerData.file);
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
const timer = setInterval(() => {
  if (Atomics.exchange(due, 0, 0) === 0) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // Another process's checkpoint is running: ours comes at the next interval.
    if (err && err.code === 'SQLITE_BUSY') return void Atomics.store(due, 0, 1);
    clearInterval(timer);
    parentPort.postMessage({ failed: String(err && err.message || err) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export function startCheckpointer(file: string, options: CheckpointerOptions): Checkpointer {
  // Set by every COMMIT, cleared by the thread when it checkpoints: no message per COMMIT.
  const due = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(THREAD, { eval: true, workerData: { file, driver: betterSqlite3, intervalMs: INTERVAL_MS, due: due.buffer } });
  let stopped = false;
  const fail = (err: Error) => {
    if (stopped) return;
    stopped = true;
    options.onFailure(err);
  };
  worker.on('message', (m: { failed?: string }) => m.failed && fail(new Error(`WAL checkpoint failed: ${m.failed}`)));
  worker.on('error', fail);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => fail(new Error('the WAL checkpoint thread stopped')));
  // An idle store does not keep the process alive for it (after the listeners: adding one refs it again).
  worker.unref();
  return {
    committed() {
      Atomics.store(due, 0, 1);
    },
    async close() {
      if (!stopped) {
        stopped = true;
        worker.postMessage('close');
      }
      // Waited for: the process must not end (an unreferenced thread would let it) before its caller goes on.
      worker.ref();
      await exited;
    },
  };
}
