import { commands } from './cli/commands.ts';

const HELP = `chantier — field-service work and billing server

Usage: chantier <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Run "chantier <command> --help" for a command's options.
Configuration comes from the environment (see README): DATABASE_URL, PORT, HOST, CHANTIER_DATA_DIR…`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return 0;
  }
  const sub = name === 'user' ? commands[`user ${rest.shift() ?? ''}`.trim()] : commands[name];
  if (!sub) {
    console.error(`chantier: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(sub.help);
    return 0;
  }
  return sub.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined && code !== -1) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`chantier: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof Error && err.cause) console.error(err.cause);
    process.exitCode = 1;
  },
);
