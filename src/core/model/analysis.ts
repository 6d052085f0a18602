/**
 * The request/progress contract of `core/analyze.ts`, shared by the CLI, the worker and the tests.
 * `analyze(request, hooks): Promise<Report>` never throws on bad input bytes: damage becomes InputProblems.
 * It rejects only on cancellation (an AbortError) or an internal bug.
 */

export interface FileTimeSettings {
  /** Zone for timestamps written without one: IANA name ("Europe/Berlin") or "+02:00"; default "UTC". */
  timeZone?: string;
  /** Added to every timestamp of the file (to fix a skewed clock), ms. */
  clockOffsetMs?: number;
  /** Year for timestamps without one (klog, RFC 3164), when it cannot be inferred. */
  year?: number;
}

export interface CustomLogFormat {
  name: string;
  /** JavaScript regular expression with named groups: time (required), level, msg, host, peer, latency... */
  pattern: string;
  /** How `time` is written, e.g. "YYYY-MM-DD HH:mm:ss.SSS" or "epoch-ms"; absent = ISO-8601 / auto. */
  timeFormat?: string;
}

/** Loop detector thresholds (core/detect/loops LoopDetectorOptions); absent = the detector's defaults. */
export interface LoopDetectionSettings {
  /** Longest pause between two sightings of one looped packet, ms. */
  streamGapMs?: number;
  /** Streams further apart than this are separate episodes, ms. */
  episodeGapMs?: number;
}

export interface AnalyzeRequest {
  /** Files or folders; folders are walked and each file classified by content (capture or log). */
  paths: string[];
  /** Per-file time settings, keyed by absolute or given path; the key '*' gives defaults for every file without its own. */
  fileSettings?: Record<string, FileTimeSettings>;
  defaultTimeZone?: string;
  customLogFormats?: CustomLogFormat[];
  /** TCP stall threshold, ms (default 200). */
  stallThresholdMs?: number;
  loopDetection?: LoopDetectionSettings;
  /**
   * Work in this thread only. By default a large capture's loops, ladder context and TCP impact are tracked in a
   * second thread from records the decoding thread writes (same results, both cores busy).
   */
  singleThread?: boolean;
}

export type AnalyzePhase = 'scanning' | 'captures' | 'logs' | 'correlating' | 'done';

export interface AnalyzeProgress {
  phase: AnalyzePhase;
  /** The file being read, if any. */
  file?: string;
  /** Bytes done / total across all inputs (for a percentage). */
  bytesDone: number;
  bytesTotal: number;
  message?: string;
}

export interface AnalyzeHooks {
  onProgress?: (p: AnalyzeProgress) => void;
  signal?: AbortSignal;
}
