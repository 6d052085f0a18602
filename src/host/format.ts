/**
 * Words and numbers as the extension shows them (tree, annotations, messages). No `vscode` import.
 * One concept, one name: these labels are the ones the README and the webview use.
 */
import type { ChainStepKind, EventKind, IsoInstant, Verdict } from '../core/model';

export const EVENT_KIND_LABELS: Record<EventKind, string> = {
  'bgp-peer-down': 'BGP peer down',
  'bgp-peer-up': 'BGP peer up',
  'bgp-state-change': 'BGP state change',
  'process-restart': 'Process restart',
  'container-restart': 'Container restart',
  'pod-killed': 'Pod killed',
  'probe-failed': 'Probe failed',
  'cpu-throttled': 'CPU throttled',
  'request-timeout': 'Request timeout',
  'request-failed': 'Request failed',
  'slow-response': 'Slow response',
  other: 'Other event',
};

export const STEP_KIND_LABELS: Record<ChainStepKind, string> = {
  restart: 'restart',
  'peer-down': 'BGP peer down',
  loop: 'routing loop',
  timeouts: 'client timeouts',
  stalls: 'TCP stalls',
  'peer-up': 'BGP peer up',
  'loop-end': 'loop ended',
};

export const VERDICT_LABELS: Record<Verdict, string> = {
  supported: 'supported',
  rejected: 'rejected',
  inconclusive: 'inconclusive',
};

export function eventKindLabel(kind: string): string {
  return (EVENT_KIND_LABELS as Record<string, string>)[kind] ?? kind;
}

export function stepKindLabel(kind: string): string {
  return (STEP_KIND_LABELS as Record<string, string>)[kind] ?? kind;
}

/** "420 ms", "3.0 s", "2 min 5 s": enough precision to compare lags, no more. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (abs === 0) return '0 ms';
  if (abs < 1) return `${sign}${abs.toFixed(2)} ms`;
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 10_000) return `${sign}${(abs / 1000).toFixed(2)} s`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  const min = Math.floor(abs / 60_000);
  const sec = Math.round((abs - min * 60_000) / 1000);
  return `${sign}${min} min ${sec} s`;
}

/** "10:00:01.123" (UTC, from the Report's ISO instant; the date is in the tooltip). */
export function formatClock(iso: IsoInstant): string {
  const m = /T(\d\d:\d\d:\d\d(?:\.\d{1,3})?)/.exec(iso);
  return m ? m[1]! : iso;
}

/** "2026-11-24 10:00:01.123456 UTC" */
export function formatInstant(iso: IsoInstant): string {
  return iso.replace('T', ' ').replace(/Z$/, ' UTC');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Cuts text for one-line UI (tree descriptions, after-line decorations), on a code-point boundary. */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}
