import { parseArgs } from 'node:util';
import { addUser } from '../accounts/index.ts';
import { loadConfig } from '../config.ts';
import { createDeps } from '../runtime.ts';
import type { Command } from './commands.ts';

export const userAddCommand: Command = {
  summary: 'Add a user to an organization',
  help: `chantier user add --org <org id> --email <email> --name <name> --role <admin|dispatcher|technician>

The password is read from CHANTIER_PASSWORD, or from the first line of standard input.`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { org: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
    });
    const { org, email, name, role } = values;
    if (!org || !email || !name || !role) throw new Error('--org, --email, --name and --role are required (see --help)');
    if (role !== 'admin' && role !== 'dispatcher' && role !== 'technician') throw new Error('--role must be admin, dispatcher or technician');
    const password = process.env.CHANTIER_PASSWORD ?? (await firstLine());
    const deps = await createDeps(loadConfig());
    try {
      const exists = await deps.db.kysely.selectFrom('organizations').select('id').where('id', '=', org).executeTakeFirst();
      if (!exists) throw new Error(`no organization ${org}`);
      const user = await addUser(deps, org, { email, name, role, password });
      console.log(`added ${user.role} ${user.email} (${user.id})`);
      return 0;
    } finally {
      await deps.db.close();
    }
  },
};

async function firstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0];
}
