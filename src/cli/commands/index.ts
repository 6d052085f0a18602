import type { CliCommand } from '../command';
import { analyzeCommand } from './analyze';
import { eventsCommand } from './events';
import { packetsCommand } from './packets';

/** Registered subcommands, in the order `--help` lists them. */
export const commands: CliCommand[] = [analyzeCommand, eventsCommand, packetsCommand];
