/**
 * `incident-lens <command> ...`: the analysis core for terminals, CI and batch runs.
 * Exit status: 0 success, 1 usage error, 2 an input was damaged or unreadable (results up to the damage are still printed).
 */
import type { CliCommand, CliIo } from './command';
import { UsageError } from './command';
import { commands } from './commands/index';
import { version } from './version';

function topUsage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `incident-lens ${version}: find transient routing loops in packet captures and line them up with logs.`,
    '',
    'Usage: incident-lens <command> [options] <files...>',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `incident-lens <command> --help` for a command\'s options.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(topUsage());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  const cmd: CliCommand | undefined = commands.find((c) => c.name === name);
  if (!cmd) {
    io.stderr.write(`incident-lens: unknown command '${name}'\n\n${topUsage()}`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(cmd.usage.endsWith('\n') ? cmd.usage : `${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`incident-lens ${cmd.name}: ${err.message}\n\n${cmd.usage}\n`);
      return 1;
    }
    throw err;
  }
}

// Run only when executed as the CLI bundle, not when imported by tests.
if (require.main === module) {
  // `incident-lens ... | head`: a reader that goes away ends the output quietly instead of crashing on EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`incident-lens: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = 3;
    },
  );
}
