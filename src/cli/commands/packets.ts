import type { CliCommand } from '../command';

// Replaced by the capture engine's implementation (issue 3).
export const packetsCommand: CliCommand = {
  name: 'packets',
  summary: 'List the packets of pcap/pcapng captures with the fields loop detection uses',
  usage: 'Usage: incident-lens packets [--tsv|--json] <capture...>',
  async run(_args, io) {
    io.stderr.write('incident-lens packets: the capture engine is being built\n');
    return 1;
  },
};
