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
  path: string;
  /** 'pcap' | 'pcapng' (and a '.gz' suffix when decompressed on the fly). */
  format: string;
  sizeBytes: number;
  packets: number;
  linkTypes: number[];
  firstTime: IsoInstant | null;
  lastTime: IsoInstant | null;
  problems: InputProblem[];
}

export interface LogInputSummary {
  kind: 'log';
  path: string;
  /** The dominant format detected (e.g. 'frr', 'gobgp-json', 'klog'), or 'unknown'. */
  format: string;
  sizeBytes: number;
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
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'incident-lens'; version: string };
  generatedAt: IsoInstant;
  inputs: InputSummary[];
  loops: LoopEpisode[];
  impact: Impact;
  events: LogEvent[];
  chains: Chain[];
  patterns: ChainPattern[];
  hypotheses: Hypothesis[];
}
