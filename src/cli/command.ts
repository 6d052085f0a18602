/** What every CLI subcommand provides. Each lives in its own file under commands/. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full usage text for `incident-lens <name> --help`. */
  usage: string;
  /** Returns the exit status: 0 ok, 1 findings-level failure / usage error, 2 input damaged or unreadable. */
  run(args: string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {}
