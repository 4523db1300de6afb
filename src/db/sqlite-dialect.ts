import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type QueryResult, type SqliteDatabase, type SqliteStatement } from 'kysely';

/** Bounds of one group commit (see GroupCommitDriver). */
export interface GroupCommitOptions {
  /** Most transactions one COMMIT acknowledges. */
  maxMembers?: number;
  /** Longest a group may hold the write lock before it commits, even with transactions waiting (ms). */
  maxOpenMs?: number;
  /**
   * Opens a read-only connection to the same file (WAL: it sees only committed, so durable,
   * data). Reads outside a transaction go there while a group is open; without it (`:memory:`)
   * they commit the group first.
   */
  openReader?: () => SqliteDatabase;
  /**
   * Makes every committed WAL frame durable: an fsync of the `-wal` file, on libuv's thread pool.
   * With it, the connection runs with synchronous=NORMAL (COMMIT writes the WAL without waiting
   * for the disk) and the driver waits for this instead, off the event loop (see WalSync below).
   * Without it (`:memory:`, or synchronous=FULL), a COMMIT is durable when it returns.
   */
  syncWal?: WalSync;
}

/** How committed WAL frames reach the disk (open.ts: `walSync`). */
export interface WalSync {
  sync(): Promise<void>;
  /** Releases what `sync` holds (the WAL's file handle), when the store closes. */
  close(): Promise<void>;
}

/**
 * Kysely's SQLite dialect with the driver below. What it keeps from when it only wrapped
 * Kysely's driver, for several processes sharing one file (`chantier serve` + `run-schedule` +
 * `worker`):
 * - write transactions start with `BEGIN IMMEDIATE`: the write lock is taken (waiting up to the
 *   busy timeout) before the first read, so a read-then-write transaction can never fail with
 *   SQLITE_BUSY_SNAPSHOT when another process committed in between;
 * - a rollback after SQLite already rolled the transaction back itself (SQLITE_FULL, IOERR…) is
 *   skipped, so the caller sees the real cause, not "cannot rollback - no transaction is active".
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  /** `inTransaction`: whether SQLite still has a transaction open (better-sqlite3's `db.inTransaction`). */
  constructor(
    private readonly database: SqliteDatabase,
    private readonly inTransaction: () => boolean,
    private readonly options: GroupCommitOptions = {},
  ) {
    super({ database });
  }

  override createDriver(): Driver {
    return new GroupCommitDriver(this.database, this.inTransaction, this.options);
  }
}

/** A transaction whose work is done (or undone, when it failed), waiting for the COMMIT that makes the group durable. */
interface Member {
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * One turn on the single connection, from acquireConnection to releaseConnection. Kysely hands
 * the same object to begin/commit/rollback, which is how the driver tells a transaction whose
 * COMMIT is still pending from the one now running.
 */
class Lease implements DatabaseConnection {
  /** idle: no transaction (plain statements); outer: began the SQLite transaction; member: runs in a savepoint of an open group. */
  mode: 'idle' | 'outer' | 'member' | 'done' = 'idle';
  constructor(private readonly driver: GroupCommitDriver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute(this, query);
  }

  streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.driver.stream(this, query);
  }
}

const MEMBER = 'group_member';

/** Committed transactions in the open SQLite transaction, waiting for its COMMIT. */
interface Group {
  members: Member[];
  openedAt: number;
  /** Set once the event loop has had a turn since the group opened (see commitAtEndOfTurn). */
  turnEnded: boolean;
  endOfTurn?: NodeJS.Immediate;
  /** Its COMMIT was due while the previous one's WAL sync was in flight: commit as soon as the connection is free. */
  due?: boolean;
}

/**
 * Group commit. Every transaction is one fsync with synchronous=FULL, so the disk's commit rate
 * caps writes. When a transaction commits, the SQLite transaction stays open and the next ones
 * run in it, each in its own SAVEPOINT: those already waiting for the connection, and those the
 * rest of the current event-loop turn starts (see commitAtEndOfTurn). One COMMIT (one fsync)
 * ends the group when no one waits and the turn is over, or at a bound (maxMembers, maxOpenMs),
 * and only then does any member's commitTransaction resolve — so nobody is answered before
 * their data is on disk, and after-commit work (ObservedKysely's afterCommit, including the
 * idempotency outcome, written inside the member before its commit; announcingAfterCommit)
 * runs after the real COMMIT. A member that fails rolls back to its savepoint only, and is
 * answered after the COMMIT as well (rollbackTransaction). A failed
 * COMMIT (disk full, I/O error), or SQLite rolling the whole transaction back itself after a
 * member's statement failed, rejects every member with that error: none is acknowledged.
 * The first member starts the group with BEGIN IMMEDIATE, so other processes sharing the file
 * wait for the group's write lock (at most maxOpenMs plus a turn) exactly as for one transaction.
 * Alone, a transaction is BEGIN IMMEDIATE … COMMIT as without grouping; its COMMIT comes one
 * event-loop turn later (setImmediate: microseconds on an idle loop).
 *
 * Durability off the event loop (when `syncWal` is given, as open.ts does for a file): COMMIT
 * only writes the WAL (synchronous=NORMAL) and the fsync of the WAL runs on the thread pool
 * while the event loop goes on with the next group's transactions; members are answered when it
 * is done. At most one COMMIT is ever not yet durable: the next group's COMMIT waits for the
 * sync in flight (its members keep joining it meanwhile), and statements outside a transaction
 * wait for it too, so they never see, nor build on, a write that a power loss could still undo.
 * A failed fsync leaves the disk's state unknown (the kernel may have dropped the pages it
 * could not write): every member waiting for it is rejected, and the store refuses all work
 * from then on — the process must be restarted — as PostgreSQL stops on a failed fsync.
 *
 * Statements outside a transaction while a group is open must not see members' writes (not yet
 * durable, and undone if the COMMIT fails) nor join the group (a plain write is acknowledged as
 * soon as it runs). Reads go to a read-only connection, which sees the last COMMIT; writes, and
 * reads when there is no such connection (`:memory:`), COMMIT the group first. Committing the
 * group before every read would end most groups after one member, since each API request reads
 * its session outside any transaction before its own transaction.
 */
class GroupCommitDriver implements Driver {
  #owner: Lease | undefined;
  readonly #waiting: { lease: Lease; wake: () => void }[] = [];
  readonly #spare: Lease[] = [];
  #group: Group | undefined;
  #reader: SqliteDatabase | undefined;
  /** The WAL fsync in flight, for the last COMMIT (see the class comment). */
  #syncing: Promise<void> | undefined;
  /** Why the store refuses all work: a WAL fsync failed. */
  #broken: unknown;
  readonly #maxMembers: number;
  readonly #maxOpenMs: number;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly inTransaction: () => boolean,
    private readonly options: GroupCommitOptions,
  ) {
    this.#maxMembers = options.maxMembers ?? 100;
    this.#maxOpenMs = options.maxOpenMs ?? 20;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#broken) throw this.#broken;
    const lease = this.#spare.pop() ?? new Lease(this);
    lease.mode = 'idle';
    if (!this.#owner) {
      this.#owner = lease;
      return lease;
    }
    return new Promise((resolve) => this.#waiting.push({ lease, wake: () => resolve(lease) }));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    this.#spare.push(lease);
    if (lease === this.#owner) this.#passOn();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (this.#group && !this.inTransaction()) this.#fail(new Error('the group transaction ended before its COMMIT'));
    if (this.#group) {
      this.#run(`savepoint ${MEMBER}`);
      lease.mode = 'member';
    } else {
      this.#run('begin immediate');
      lease.mode = 'outer';
    }
  }

  /** Resolves once the COMMIT that holds this transaction's work has succeeded. */
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.mode === 'member') this.#run(`release ${MEMBER}`);
    lease.mode = 'done';
    const group = (this.#group ??= { members: [], openedAt: performance.now(), turnEnded: false });
    const durable = new Promise<void>((resolve, reject) => group.members.push({ resolve, reject }));
    // The connection goes on now: to a waiting transaction (the group stays open), or nobody
    // waits and the group commits here. Kysely's later releaseConnection is then a no-op.
    this.#passOn();
    return durable;
  }

  /** For a member of a group, resolves (and Kysely rethrows the member's error) once the group's COMMIT is over. */
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const mode = lease.mode;
    lease.mode = 'done';
    if (mode === 'outer') {
      if (this.inTransaction()) this.#run('rollback');
      return;
    }
    if (mode !== 'member') return;
    const group = this.#group;
    if (!group || !this.inTransaction()) return this.#fail(new Error('SQLite rolled the group transaction back'));
    this.#run(`rollback to ${MEMBER}`);
    this.#run(`release ${MEMBER}`);
    // Its failure (a 409 "already completed"…) may rest on earlier members' writes: it is not
    // answered before they are durable, and gets the COMMIT's error if they never are.
    const settled = new Promise<void>((resolve, reject) => group.members.push({ resolve, reject }));
    this.#passOn();
    return settled;
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name}"`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to "${name}"`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release "${name}"`));
  }

  async destroy(): Promise<void> {
    const settled = () => this.#durable().catch(() => {}); // a failed sync was reported to those it concerned
    await settled();
    if (!this.#broken) this.#commitGroup();
    await settled();
    await this.options.syncWal?.close();
    this.#reader?.close();
    this.db.close();
  }

  async execute<R>(lease: Lease, query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#broken) throw this.#broken;
    if (lease.mode !== 'idle') return runQuery<R>(this.db, query, (err) => this.#failed(err));
    if (this.#syncing) await this.#durable();
    const { db, write } = this.#outsideTransaction(query.sql);
    const result = runQuery<R>(db, query, (err) => this.#failed(err));
    // A write outside a transaction autocommits: it is answered once it is durable too.
    if (write) await this.#syncAfterCommit();
    return result;
  }

  async *stream<R>(lease: Lease, query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (lease.mode === 'idle' && this.#syncing) await this.#durable();
    const db = lease.mode === 'idle' ? this.#outsideTransaction(query.sql).db : this.db;
    const stmt = db.prepare(query.sql);
    if (!stmt.reader) throw new Error('Sqlite driver only supports streaming of select queries');
    for (const row of stmt.iterate(query.parameters)) yield { rows: [row as R] };
  }

  /**
   * The connection a statement outside a transaction runs on, called once no WAL sync is in
   * flight (see the class comment): the read-only connection for a read while a group is open;
   * otherwise the group commits first, and a write is reported so that its own COMMIT is synced.
   */
  #outsideTransaction(sql: string): { db: SqliteDatabase; write: boolean } {
    if (this.#broken) throw this.#broken;
    const read = isPlainRead(this.db.prepare(sql), sql);
    if (read && this.#group && this.options.openReader) return { db: (this.#reader ??= this.options.openReader()), write: false };
    this.#commitGroup();
    return { db: this.db, write: !read };
  }

  /** Resolves once no WAL sync is in flight: everything committed so far is durable. */
  async #durable(): Promise<void> {
    while (this.#syncing) await this.#syncing.catch(() => {});
    if (this.#broken) throw this.#broken;
  }

  /**
   * Gives the connection to the next waiting turn. The group commits first when it is full, or
   * when no one waits and the event loop has had its turn since the group opened; before that,
   * the connection is left free until the turn ends, for the requests it brings to join.
   */
  #passOn(): void {
    const group = this.#group;
    if (group) {
      const full = group.members.length >= this.#maxMembers || performance.now() - group.openedAt >= this.#maxOpenMs;
      if (full || group.due || (this.#waiting.length === 0 && group.turnEnded)) this.#commitGroup();
      else if (this.#waiting.length === 0) this.#commitAtEndOfTurn(group);
    }
    const next = this.#waiting.shift();
    this.#owner = next?.lease;
    next?.wake();
  }

  /**
   * better-sqlite3 is synchronous: a transaction runs from BEGIN to COMMIT without letting the
   * event loop read other requests, so in a server nothing would ever wait for the connection.
   * One turn of the event loop (setImmediate: after the I/O callbacks already due, at once when
   * there are none) lets the requests that arrived meanwhile run their transactions in the group.
   */
  #commitAtEndOfTurn(group: Group): void {
    if (group.endOfTurn) return;
    group.endOfTurn = setImmediate(() => {
      group.turnEnded = true;
      if (this.#group === group && !this.#owner) this.#commitGroup();
    });
  }

  /** COMMITs the open group, or marks it due when the previous COMMIT's WAL sync is still in flight. */
  #commitGroup(): void {
    const group = this.#group;
    if (!group) return;
    if (this.#syncing) {
      group.due = true;
      return;
    }
    this.#group = undefined;
    clearImmediate(group.endOfTurn);
    try {
      this.#run('commit');
    } catch (err) {
      if (this.inTransaction()) {
        try {
          this.#run('rollback');
        } catch {
          // the COMMIT's error is the one to report
        }
      }
      for (const member of group.members) member.reject(err);
      return;
    }
    this.#syncAfterCommit().then(
      () => {
        for (const member of group.members) member.resolve();
      },
      (err) => {
        for (const member of group.members) member.reject(err);
      },
    );
  }

  /**
   * Makes the COMMIT that just ran durable: starts the WAL sync, or, without `syncWal`, resolves
   * at once (synchronous=FULL already waited for the disk). Called right after a COMMIT, when no
   * sync is in flight (the COMMIT waited for it), so one sync covers it.
   */
  #syncAfterCommit(): Promise<void> {
    if (!this.options.syncWal) return Promise.resolve();
    // A write outside a transaction right after the group it made commit: the sync starts once
    // this synchronous block is over (a microtask later), so it covers both COMMITs.
    if (this.#syncing) return this.#syncing;
    const syncWal = this.options.syncWal;
    const syncing = Promise.resolve()
      .then(() => syncWal.sync())
      .then(
        () => {
          this.#syncing = undefined;
          // The group that came due meanwhile commits once the connection is free: statements
          // outside a transaction that waited for this sync run first (they resume before the
          // next turn), so they see only what it made durable.
          const next = this.#group;
          if (next?.due) setImmediate(() => this.#group === next && !this.#owner && this.#commitGroup());
        },
        (err: unknown) => {
          this.#syncing = undefined;
          this.#broken = new WalSyncError(err);
          this.#fail(this.#broken);
          if (this.inTransaction()) this.#run('rollback');
          throw this.#broken;
        },
      );
    this.#syncing = syncing;
    return syncing;
  }

  /** A statement failed: when SQLite rolled the whole transaction back with it, the group is lost. */
  #failed(err: unknown): void {
    if (this.#group && !this.inTransaction()) this.#fail(err);
  }

  #fail(err: unknown): void {
    const group = this.#group;
    this.#group = undefined;
    clearImmediate(group?.endOfTurn);
    for (const member of group?.members ?? []) member.reject(err);
  }

  #run(sql: string): void {
    this.db.prepare(sql).run([]);
  }
}

/** A WAL fsync failed: what was committed may not be on disk, and the store refuses all work until restarted. */
export class WalSyncError extends Error {
  readonly code = 'CHANTIER_WAL_SYNC_FAILED';
  constructor(cause: unknown) {
    super('the SQLite write-ahead log could not be made durable (fsync failed): the store refuses all work until the process restarts', { cause });
    this.name = 'WalSyncError';
  }
}

/** A SELECT that writes nothing (not a pragma, not `… returning`). */
function isPlainRead(stmt: SqliteStatement, sql: string): boolean {
  return stmt.reader && (stmt as { readonly?: boolean }).readonly === true && /^\s*(select|with)\b/i.test(sql);
}

function runQuery<R>(db: SqliteDatabase, { sql, parameters }: CompiledQuery, onError: (err: unknown) => void): QueryResult<R> {
  try {
    const stmt = db.prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  } catch (err) {
    onError(err);
    throw err;
  }
}
