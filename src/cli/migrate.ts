import { loadConfig } from '../config.ts';
import { migrateToLatest, openDatabase } from '../db/index.ts';
import type { Command } from './commands.ts';

export const migrateCommand: Command = {
  summary: 'Bring the database schema up to date',
  help: `chantier migrate

Applies the migrations the database does not have yet (the server also does this at start).`,
  async run() {
    const config = loadConfig();
    const db = openDatabase({ url: config.databaseUrl });
    try {
      const applied = await migrateToLatest(db);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
      return 0;
    } finally {
      await db.close();
    }
  },
};
