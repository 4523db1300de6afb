import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Db } from './db/index.ts';
import type { BlobStore } from './files/blob-store.ts';
import type { Clock } from './shared/clock.ts';
import type { TransitionHook } from './tasks/transition-hooks.ts';

/** Everything a service verb may need, built once at start-up and passed explicitly. */
export interface Deps {
  config: Config;
  db: Db;
  clock: Clock;
  blobs: BlobStore;
  log: Logger;
  /** Run inside every transition's transaction (the automation engine plugs in here). */
  transitionHooks: TransitionHook[];
}
