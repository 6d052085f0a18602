/**
 * `incident-lens packets <capture...>`: one row per packet record with the fields loop detection uses, named and
 * formatted like tshark's `-T fields` output so it can be checked against tshark (docs/conformance.md).
 * Output is streamed: rows are batched into large writes and reading pauses while stdout is backed up.
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIo } from '../command';
import { UsageError } from '../command';
import { readCaptureFile } from '../../core/capture/open';
import type { Frame } from '../../core/capture/types';
import { createDecodedPacket, decodeFrame } from '../../core/decode/decoder';
import { PACKET_COLUMNS, fillPacketCells } from '../../core/decode/packetColumns';

const USAGE = `Usage: incident-lens packets [--tsv | --json] <capture...>

Prints one line per packet record of each pcap/pcapng capture (format found from the file's magic number).

  --tsv    tab-separated, one header line, empty cell = field absent (default)
  --json   one JSON object per line, absent fields left out
  -h, --help

Columns (same names and formats as tshark -T fields):
  ${PACKET_COLUMNS.join(' ')}

Exit status: 0 all files read; 2 a file was damaged or unreadable (its good rows are printed first, then
"<file>: byte <offset>: <reason>" on stderr); 1 usage error.`;

/** Rows are collected into writes of about this size: one write per row would dominate the run time. */
const BATCH_CHARS = 256 * 1024;

type Format = 'tsv' | 'json';

function parseOptions(args: string[]): { format: Format; files: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { tsv: { type: 'boolean' }, json: { type: 'boolean' } } });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.tsv && values.json) throw new UsageError('choose one of --tsv and --json');
  if (positionals.length === 0) throw new UsageError('no capture file given');
  return { format: values.json ? 'json' : 'tsv', files: positionals };
}

function jsonLine(cells: readonly string[]): string {
  const o: Record<string, string | number> = {};
  for (let i = 0; i < PACKET_COLUMNS.length; i++) {
    const v = cells[i]!;
    if (v === '') continue;
    // Plain integers become numbers; everything else (times, addresses, lists, the protocol chain) stays text.
    o[PACKET_COLUMNS[i]!] = /^(0|[1-9]\d{0,14})$/.test(v) ? Number(v) : v;
  }
  return `${JSON.stringify(o)}\n`;
}

/** Thrown (and caught in `run`) to stop reading once nobody reads our output any more. */
class ReaderGone extends Error {}

/**
 * Buffered, backpressure-aware writer over the command's stdout. When the reader of a pipe goes away
 * (`packets big.pcap | head`), writes fail with EPIPE: the sink then closes and reading stops quietly.
 */
class RowSink {
  private buf = '';
  private blocked = false;
  closed = false;
  private failure: Error | null = null;
  constructor(private readonly out: CliIo['stdout']) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') this.failure = err;
      this.closed = true;
      this.out.emit('drain');
    });
  }

  add(text: string): void {
    this.buf += text;
    if (this.buf.length >= BATCH_CHARS) this.flush();
  }

  flush(): void {
    if (this.buf === '' || this.closed) return;
    try {
      if (!this.out.write(this.buf)) this.blocked = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
      this.closed = true;
    }
    this.buf = '';
  }

  /** Resolves once the stream has taken what was written (called before each chunk of the capture is read). */
  async settle(): Promise<void> {
    if (this.blocked && !this.closed) {
      this.blocked = false;
      await once(this.out, 'drain');
    }
    if (this.failure) throw this.failure;
    if (this.closed) throw new ReaderGone('output closed');
  }
}

async function printFile(file: string, format: Format, sink: RowSink, io: CliIo): Promise<boolean> {
  const pkt = createDecodedPacket();
  const cells = new Array<string>(PACKET_COLUMNS.length).fill('');
  const onFrame = (f: Frame): void => {
    decodeFrame(f.data, f.linkType, pkt);
    fillPacketCells(f, pkt, f.section > 0, cells);
    sink.add(format === 'json' ? jsonLine(cells) : `${cells.join('\t')}\n`);
  };
  let ok = true;
  try {
    const summary = await readCaptureFile(file, onFrame, { beforeRead: () => sink.settle() });
    sink.flush();
    await sink.settle();
    for (const p of summary.problems) {
      io.stderr.write(`${file}: byte ${p.byteOffset}: ${p.fatal ? '' : 'warning: '}${p.reason}\n`);
      if (p.fatal) ok = false;
    }
  } catch (err) {
    if (err instanceof ReaderGone) throw err;
    sink.flush();
    await sink.settle();
    io.stderr.write(`${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    ok = false;
  }
  return ok;
}

export const packetsCommand: CliCommand = {
  name: 'packets',
  summary: 'List the packets of pcap/pcapng captures with the fields loop detection uses',
  usage: USAGE,
  async run(args, io) {
    const { format, files } = parseOptions(args);
    const sink = new RowSink(io.stdout);
    if (format === 'tsv') sink.add(`${PACKET_COLUMNS.join('\t')}\n`);
    let status = 0;
    try {
      for (const file of files) {
        if (!(await printFile(file, format, sink, io))) status = 2;
      }
      sink.flush();
      await sink.settle();
    } catch (err) {
      if (!(err instanceof ReaderGone)) throw err;
    }
    return status;
  },
};
