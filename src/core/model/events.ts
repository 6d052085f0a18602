/** Events from logs, as the Report carries them. Produced by core/logs. */
import type { EpochMicros, IsoInstant } from './time';

/**
 * What a log line says happened. Lines that are none of these are counted (LogInputSummary.ignoredLines), not kept.
 * - bgp-peer-down / bgp-peer-up: a BGP session left / reached Established (peer: the neighbor's address, or
 *   peerName when the log names it only, as BIRD does). bgp-state-change: any other FSM transition.
 * - process-restart: a daemon started or is stopping (toState 'started' | 'stopping' | 'exited' | 'restarting').
 * - container-restart: kubelet restarting a container (probe-triggered kill, back-off, PLEG died/started, a
 *   Terminated last state); pod-killed: a pod killed for good (eviction, OOM, deletion); probe-failed: a failed probe.
 * - cpu-throttled: one sample interval of a CFS throttling counter (see throttledPeriods: 0 is data too).
 * - request-timeout: a request that ran out of time (latencyMs: the time it waited, when written);
 *   request-failed: a request that failed otherwise; slow-response: completed, but at or over the slow threshold.
 * - other: a line of a user-defined format that no rule classifies, and Kubernetes Events of other reasons.
 */
export const EVENT_KINDS = [
  'bgp-peer-down',
  'bgp-peer-up',
  'bgp-state-change',
  'process-restart',
  'container-restart',
  'pod-killed',
  'probe-failed',
  'cpu-throttled',
  'request-timeout',
  /** Added in schema 1 (additive): host/network unreachable, connection refused or reset, no healthy upstream. */
  'request-failed',
  'slow-response',
  'other',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export type Severity = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical';

export interface EventSource {
  file: string;
  /** 1-based line number where the entry starts. */
  line: number;
  byteOffset: number;
  /** Parser that recognised the line, e.g. 'frr', 'gobgp-text', 'klog', 'cisco-ios'. */
  format: string;
}

export interface LogEvent {
  /** Stable within a Report: "ev-1"... in time order. */
  id: string;
  kind: EventKind;
  /** Absolute UTC instant (clock offset applied), up to 9 fraction digits. */
  time: IsoInstant;
  timeUs: EpochMicros;
  /** The timestamp exactly as written in the line. */
  timeText: string;
  /** How the instant was obtained when the line did not say it all, e.g. "year inferred from mtime", "zone UTC assumed". */
  timeNote?: string;
  source: EventSource;
  severity: Severity;
  host?: string;
  pod?: string;
  namespace?: string;
  container?: string;
  /** Process / daemon that wrote the line (bgpd, gobgpd, kubelet, kube-router, bird...). */
  process?: string;
  /** BGP events: the peer's address and AS when given. */
  peer?: string;
  peerAs?: number;
  /** bgp-state-change: from -> to. */
  fromState?: string;
  toState?: string;
  /** Response events: latency in ms (timeouts: the timeout or elapsed time when given). */
  latencyMs?: number;
  /**
   * cpu-throttled: throttled periods / time in the sample interval (the rise between two snapshots of a cgroup's
   * cpu.stat or two Prometheus samples of one series). Every interval of a series is an event, even one with
   * throttledPeriods 0: "no throttling" is data. A series with no cpu-throttled events at a time means no data there.
   * The first snapshot of a series only sets the baseline and is not an event.
   */
  throttledPeriods?: number;
  throttledMs?: number;
  /** cpu-throttled: CFS periods elapsed in the interval (nr_periods rise), when known, and the interval's length. */
  periods?: number;
  intervalMs?: number;
  /** Repeated occurrences folded into one event (kubectl events' count). */
  count?: number;
  /** Repeated events (count > 1): the last occurrence; `time` is the first. */
  lastTime?: IsoInstant;
  lastTimeUs?: EpochMicros;
  /** BGP events that name the session but not the address (BIRD protocol name, FRR neighbor description). */
  peerName?: string;
  /** Response events from access logs: the HTTP status. */
  httpStatus?: number;
  /** The message text (without the timestamp prefix), capped in length. Rendered as text, never as HTML. */
  message: string;
}
