import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type SqliteDatabase, type TransactionSettings } from 'kysely';

/**
 * Kysely's SQLite dialect with two changes that matter when several processes share one file
 * (`chantier serve` + `chantier run-schedule` + `chantier worker`):
 * - write transactions start with `BEGIN IMMEDIATE`: the write lock is taken (waiting up to the
 *   busy timeout) before the first read, so a read-then-write transaction can never fail with
 *   SQLITE_BUSY_SNAPSHOT when another process committed in between;
 * - a rollback after SQLite already rolled the transaction back itself (SQLITE_FULL, IOERR…) is
 *   skipped, so the caller sees the real cause, not "cannot rollback - no transaction is active".
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  /** `inTransaction`: whether SQLite still has a transaction open (better-sqlite3's `db.inTransaction`). */
  constructor(
    database: SqliteDatabase,
    private readonly inTransaction: () => boolean,
  ) {
    super({ database });
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(super.createDriver(), this.inTransaction);
  }
}

class ImmediateSqliteDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly inTransaction: () => boolean,
  ) {}

  init = () => this.inner.init();
  acquireConnection = () => this.inner.acquireConnection();
  releaseConnection = (c: DatabaseConnection) => this.inner.releaseConnection(c);
  destroy = () => this.inner.destroy();
  commitTransaction = (c: DatabaseConnection) => this.inner.commitTransaction(c);

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.inTransaction()) return;
    await this.inner.rollbackTransaction(connection);
  }
}
