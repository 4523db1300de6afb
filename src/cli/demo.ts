import type { Command } from './commands.ts';

export const demoCommand: Command = {
  summary: 'Load a demo organization and print a login and a token',
  help: 'chantier demo',
  async run() {
    throw new Error('not written yet');
  },
};
