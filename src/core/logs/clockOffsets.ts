/**
 * Clock offsets between log files, estimated from occurrences that both files record: a BGP session going down
 * (or up) is logged by both speakers within moments of each other; a kube-router restart is logged by kubelet
 * (container-restart) and by kube-router itself (process-restart). If file B's clock runs 40 s fast, B's copies of
 * those occurrences are all ~40 s after A's: the offset is the difference most pairs agree on.
 *
 * For each pair of files: every pair of same-class events within ±maxOffsetMs proposes a difference; the proposal
 * that the most events match one-to-one (within toleranceMs) wins, and the offset is the median of its matched
 * differences. A single coincidence is not evidence: at least minMatches matches are required.
 *
 * What is measured is skew plus the real lag between the two writers: both ends of a BGP session log within
 * milliseconds, but kubelet notices a container start up to its PLEG period (~1 s) after the daemon logged it,
 * and GoBGP writes whole seconds. spreadMs tells how much to trust the figure.
 */
import type { EventKind, LogEvent } from '../model/events';

export interface ClockOffsetOptions {
  /** Largest offset considered, ms (default 10 minutes). */
  maxOffsetMs?: number;
  /** How far two sightings of one occurrence may be apart once the offset is applied, ms (default 2000). */
  toleranceMs?: number;
  /** Matches needed before an offset is reported (default 2). */
  minMatches?: number;
}

export interface ClockOffsetMatch {
  referenceEventId: string;
  eventId: string;
  kind: EventKind;
  /** event time - reference event time, ms. */
  deltaMs: number;
}

export interface ClockOffsetEstimate {
  /** The file whose clock is taken as right. */
  reference: string;
  file: string;
  /** Add this to `file`'s times to line them up with `reference` (ms): the LogReadOptions.clockOffsetMs to use. */
  offsetMs: number;
  matches: ClockOffsetMatch[];
  /** Largest minus smallest matched difference, ms: how tightly the evidence agrees. */
  spreadMs: number;
}

/** Occurrences two files can both see. Restarts pair across kinds (kubelet's container-restart, the daemon's own start). */
const CLASS_OF: Partial<Record<EventKind, string>> = {
  'bgp-peer-down': 'bgp-down',
  'bgp-peer-up': 'bgp-up',
  'process-restart': 'restart',
  'container-restart': 'restart',
};

/** Keeps the arithmetic bounded on huge inputs: the estimate needs agreement, not every event. */
const MAX_PER_CLASS = 2000;

function classify(events: LogEvent[]): Map<string, LogEvent[]> {
  const out = new Map<string, LogEvent[]>();
  for (const e of events) {
    const c = CLASS_OF[e.kind];
    if (!c) continue;
    // A restart's stop and start are different moments: only the start side pairs up.
    if (c === 'restart' && e.toState && e.toState !== 'started' && e.toState !== 'running') continue;
    let list = out.get(c);
    if (!list) out.set(c, (list = []));
    if (list.length < MAX_PER_CLASS) list.push(e);
  }
  return out;
}

/** Greedy one-to-one matching of B's events to A's, assuming B = A + delta. */
function matchAt(a: LogEvent[], b: LogEvent[], deltaUs: number, tolUs: number): ClockOffsetMatch[] {
  const used = new Set<number>();
  const out: ClockOffsetMatch[] = [];
  for (const ea of a) {
    let best = -1;
    let bestErr = Infinity;
    for (let j = 0; j < b.length; j++) {
      if (used.has(j)) continue;
      const err = Math.abs(b[j].timeUs - ea.timeUs - deltaUs);
      if (err <= tolUs && err < bestErr) [best, bestErr] = [j, err];
    }
    if (best >= 0) {
      used.add(best);
      out.push({ referenceEventId: ea.id, eventId: b[best].id, kind: b[best].kind, deltaMs: (b[best].timeUs - ea.timeUs) / 1000 });
    }
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The offset of file B relative to file A, or undefined when the evidence is too thin. */
export function estimatePairOffset(
  reference: string, a: LogEvent[], file: string, b: LogEvent[], opts: ClockOffsetOptions = {},
): ClockOffsetEstimate | undefined {
  const maxUs = (opts.maxOffsetMs ?? 600_000) * 1000;
  const tolUs = (opts.toleranceMs ?? 2000) * 1000;
  const minMatches = opts.minMatches ?? 2;
  const ca = classify(a);
  const cb = classify(b);
  let best: ClockOffsetMatch[] = [];
  let bestSpread = Infinity;
  const tried = new Set<number>();
  for (const [cls, la] of ca) {
    const lb = cb.get(cls);
    if (!lb) continue;
    for (const ea of la) {
      for (const eb of lb) {
        const d = eb.timeUs - ea.timeUs;
        // Proposals closer than a millisecond say the same thing.
        const key = Math.round(d / 1000);
        if (Math.abs(d) > maxUs || tried.has(key)) continue;
        tried.add(key);
        const matches: ClockOffsetMatch[] = [];
        for (const [c2, la2] of ca) {
          const lb2 = cb.get(c2);
          if (lb2) matches.push(...matchAt(la2, lb2, d, tolUs));
        }
        const deltas = matches.map((m) => m.deltaMs);
        const spread = deltas.length ? Math.max(...deltas) - Math.min(...deltas) : Infinity;
        if (matches.length > best.length || (matches.length === best.length && spread < bestSpread)) {
          best = matches;
          bestSpread = spread;
        }
      }
    }
  }
  if (best.length < minMatches) return undefined;
  // Times are whole microseconds: say so instead of printing float noise.
  const us = (ms: number): number => Math.round(ms * 1000) / 1000;
  return { reference, file, offsetMs: us(-median(best.map((m) => m.deltaMs))), matches: best, spreadMs: us(bestSpread) };
}

/**
 * Offsets of every file against every other that shares evidence with it. `events` may come from many files
 * (grouped by source.file); event ids must be unique across them.
 */
export function estimateClockOffsets(events: LogEvent[], opts: ClockOffsetOptions = {}): ClockOffsetEstimate[] {
  const byFile = new Map<string, LogEvent[]>();
  for (const e of events) {
    let l = byFile.get(e.source.file);
    if (!l) byFile.set(e.source.file, (l = []));
    l.push(e);
  }
  const files = [...byFile.keys()];
  const out: ClockOffsetEstimate[] = [];
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const est = estimatePairOffset(files[i], byFile.get(files[i]) ?? [], files[j], byFile.get(files[j]) ?? [], opts);
      if (est) out.push(est);
    }
  }
  return out;
}

/**
 * Offsets to apply to each file so that all agree with `reference`, chaining pairwise estimates (A->B, B->C gives
 * A->C) and preferring the estimates with the most matches. Files with no path to the reference are absent.
 */
export function offsetsRelativeTo(estimates: ClockOffsetEstimate[], reference: string): Map<string, number> {
  const out = new Map<string, number>([[reference, 0]]);
  const sorted = [...estimates].sort((x, y) => y.matches.length - x.matches.length);
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of sorted) {
      if (out.has(e.reference) && !out.has(e.file)) {
        out.set(e.file, (out.get(e.reference) ?? 0) + e.offsetMs);
        grew = true;
      } else if (out.has(e.file) && !out.has(e.reference)) {
        out.set(e.reference, (out.get(e.file) ?? 0) - e.offsetMs);
        grew = true;
      }
    }
  }
  return out;
}
