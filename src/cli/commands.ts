import { demoCommand } from './demo.ts';
import { importCommand } from './import.ts';
import { migrateCommand } from './migrate.ts';
import { runScheduleCommand } from './run-schedule.ts';
import { serveCommand } from './serve.ts';
import { userAddCommand } from './user-add.ts';
import { workerCommand } from './worker.ts';

export interface Command {
  summary: string;
  help: string;
  /** Returns the exit code, or -1 for a command that keeps running (serve). */
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
  serve: serveCommand,
  worker: workerCommand,
  migrate: migrateCommand,
  demo: demoCommand,
  import: importCommand,
  'run-schedule': runScheduleCommand,
  'user add': userAddCommand,
};
