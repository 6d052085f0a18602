/**
 * The Report: the one serialisable contract between the core, the CLI, the extension host and the webview.
 * Every change to its shape bumps REPORT_SCHEMA_VERSION and is documented in docs/report-schema.md.
 * Plain JSON-able objects only (no Map, no bigint, no class instances, no undefined in arrays).
 */
import type { IsoInstant } from './time';
import type { LoopEpisode, Impact } from './loops';
import type { LogEvent } from './events';
import type { Chain, ChainPattern, Hypothesis } from './correlation';

export const REPORT_SCHEMA_VERSION = 1 as const;

export type InputKind = 'capture' | 'log';

/** A problem in one input, with its place: a byte offset for captures, a line number for logs. */
export interface InputProblem {
  severity: 'error' | 'warning';
  message: string;
  byteOffset?: number;
  line?: number;
  /** true when reading the input stopped there (everything before it was kept). */
  fatal: boolean;
}

export interface CaptureInputSummary {
  kind: 'capture';
  /** As given, or as found while walking a given folder. */
  path: string;
  /** 'pcap' | 'pcapng' (and a '.gz' suffix when decompressed on the fly). */
  format: string;
  /** File size on disk (compressed size for gzip). */
  sizeBytes: number;
  /** Packet records read. */
  packets: number;
  /** LINKTYPE_* values of the file's interfaces. */
  linkTypes: number[];
  /** First and last packet timestamp; null when none (or beyond what an ISO date can say). */
  firstTime: IsoInstant | null;
  lastTime: IsoInstant | null;
  problems: InputProblem[];
}

export interface LogInputSummary {
  kind: 'log';
  /** As given, or as found while walking a given folder. */
  path: string;
  /** The dominant format detected (e.g. 'frr', 'gobgp-json', 'klog'), or 'unknown'. */
  format: string;
  sizeBytes: number;
  /** Lines read, and events found in them. */
  lines: number;
  events: number;
  /** Lines that were read but are not events. */
  ignoredLines: number;
  /** Time zone assumed for timestamps without one (IANA name or ±HH:MM), and the clock offset applied. */
  timeZone: string;
  clockOffsetMs: number;
  problems: InputProblem[];
}

export type InputSummary = CaptureInputSummary | LogInputSummary;

export interface Report {
  /** Version of this format (docs/report-schema.md, docs/report.schema.json). */
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** What wrote the file. */
  tool: { name: 'incident-lens'; version: string };
  /** When the analysis finished. */
  generatedAt: IsoInstant;
  /** Every file given or found, with what was read and the problems met (files not used have a reason here). */
  inputs: InputSummary[];
  /** Routing loop episodes of all captures, in start order. */
  loops: LoopEpisode[];
  /** TCP retransmissions and stalls of all captures. */
  impact: Impact;
  /** Log events of all files, in time order ("ev-1"...). */
  events: LogEvent[];
  /** Correlation: restart -> peer down -> loop -> timeouts chains, their repeating patterns, judged explanations. */
  chains: Chain[];
  patterns: ChainPattern[];
  hypotheses: Hypothesis[];
}
