export { openDatabase, isPostgresUrl, type Db, type OpenOptions } from './open.ts';
export { migrateToLatest } from './migrate.ts';
export { forShare, forUpdate } from './lock.ts';
export { staticQuery } from './static-query.ts';
export { nextCounterValue, reserveCounterValues } from './counters.ts';
export type { Database, Dialect, Executor } from './schema.ts';
export { keysetAfter } from './keyset.ts';
