/**
 * The Report turned into typed columns once, when it arrives: sightings per episode, events per lane, the
 * density and throttling series. The views then draw from these arrays only (no per-point objects).
 * Nothing here decides anything about the incident: grouping and ordering for display only.
 */
import type { EventKind, LogEvent, LoopEpisode, Report } from '../src/core/model';

/**
 * One episode's sightings as typed arrays, sorted by time. Converted from the Report's plain arrays on first use:
 * the timeline needs only the episode's start and end, the small multiples convert episode by episode over
 * several frames, so the first paint pays only for the ladder it shows.
 */
export interface EpisodeColumns {
  readonly episode: LoopEpisode;
  readonly timeUs: Float64Array;
  readonly ttl: Uint8Array;
  readonly direction: Uint8Array;
  readonly minTtl: number;
  readonly maxTtl: number;
  /** Needed by hover and selection only. */
  readonly frame: Float64Array;
  readonly stream: Int32Array;
  /** Sighting indices grouped by stream (time order inside each): `byStream[streamStart[s]..streamStart[s+1]]`. */
  readonly byStream: Uint32Array;
  readonly streamStart: Uint32Array;
}

/** A lane of the timeline: one source (process / parser) of one group (host, or file when no host is known). */
export interface Lane {
  key: string;
  label: string;
  group: number;
}

export interface LaneGroup {
  key: string;
  label: string;
  lanes: number[];
}

/** Display rank of an event kind on the timeline: higher wins when several share a pixel. 0 = not drawn in lanes. */
export const KIND_RANK: Record<EventKind, number> = {
  'bgp-peer-down': 6,
  'process-restart': 5,
  'container-restart': 5,
  'pod-killed': 5,
  'bgp-peer-up': 4,
  'bgp-state-change': 3,
  'probe-failed': 2,
  other: 1,
  'cpu-throttled': 0,
  'request-timeout': 0,
  'request-failed': 0,
  'slow-response': 0,
};

/** Client-side symptoms: drawn as one density strip, not as marks in their source's lane. */
export const RESPONSE_KINDS: ReadonlySet<string> = new Set<EventKind>(['request-timeout', 'request-failed', 'slow-response']);
export const MAX_RANK = 6;

export interface EventColumns {
  lanes: Lane[];
  groups: LaneGroup[];
  /** Lane-major: events of lane l are [laneStart[l], laneStart[l+1]), in time order. */
  laneStart: Uint32Array;
  timeUs: Float64Array;
  rank: Uint8Array;
  /** Index into Report.events. */
  eventIndex: Uint32Array;
  /** Report.events index -> lane (for chain connectors), -1 for events drawn outside lanes. */
  laneOfEvent: Int32Array;
  /** Timeouts and slow responses, sorted by time (the density strip). */
  responseTimeUs: Float64Array;
  /** CPU throttling samples, sorted by time, and their throttled time (ms; periods when no time is given). */
  throttleTimeUs: Float64Array;
  throttleValue: Float64Array;
}

export interface ReportColumns {
  report: Report;
  episodes: EpisodeColumns[];
  events: EventColumns;
  stallStartUs: Float64Array;
  stallEndUs: Float64Array;
  /** The Report's whole time span (loops, events, stalls), epoch µs. */
  startUs: number;
  endUs: number;
  sightings: number;
}

function isSorted(key: ArrayLike<number>, n = key.length): boolean {
  for (let i = 1; i < n; i++) if (key[i]! < key[i - 1]!) return false;
  return true;
}

/** Indices 0..n-1 ordered by `key[0..n)` (stable), or null when already in order (the usual case). */
function orderBy(key: ArrayLike<number>, n = key.length): Uint32Array | null {
  if (isSorted(key, n)) return null;
  const order = new Uint32Array(n);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => key[a]! - key[b]! || a - b);
}

/**
 * Copies the first `out.length` numbers of a plain array, in `order` when given. A loop, not
 * `new Float64Array(array)`: for arrays that arrived through postMessage (structured clone) Chromium's constructor
 * path measured ~20x slower than this loop (232 ms vs 12 ms for 1,000,000 numbers), and the Report reaches the
 * webview exactly that way.
 */
function copyInto<T extends Float64Array | Uint8Array | Int32Array>(out: T, from: ArrayLike<number>, order: Uint32Array | null): T {
  if (order) for (let i = 0; i < out.length; i++) out[i] = from[order[i]!]!;
  else for (let i = 0; i < out.length; i++) out[i] = from[i]!;
  return out;
}

class LazyEpisodeColumns implements EpisodeColumns {
  private readonly n: number;
  private order: Uint32Array | null | undefined;
  private time?: Float64Array;
  private ttls?: Uint8Array;
  private dirs?: Uint8Array;
  private frames?: Float64Array;
  private streams?: Int32Array;
  private index?: StreamIndex;
  private range?: [number, number];

  constructor(readonly episode: LoopEpisode) {
    const l = episode.ladder;
    this.n = Math.min(l.timeUs.length, l.ttl.length, l.frame.length, l.stream.length, l.direction.length);
  }

  /** null when the sightings are already in time order (the detector emits them so); else the sorting permutation. */
  private sortOrder(): Uint32Array | null {
    if (this.order === undefined) {
      this.order = orderBy(this.episode.ladder.timeUs, this.n);
    }
    return this.order;
  }

  get timeUs(): Float64Array {
    return (this.time ??= copyInto(new Float64Array(this.n), this.episode.ladder.timeUs, this.sortOrder()));
  }
  get ttl(): Uint8Array {
    return (this.ttls ??= copyInto(new Uint8Array(this.n), this.episode.ladder.ttl, this.sortOrder()));
  }
  get direction(): Uint8Array {
    return (this.dirs ??= copyInto(new Uint8Array(this.n), this.episode.ladder.direction, this.sortOrder()));
  }
  get frame(): Float64Array {
    return (this.frames ??= copyInto(new Float64Array(this.n), this.episode.ladder.frame, this.sortOrder()));
  }
  get stream(): Int32Array {
    return (this.streams ??= copyInto(new Int32Array(this.n), this.episode.ladder.stream, this.sortOrder()));
  }
  private ttlRange(): [number, number] {
    if (!this.range) {
      const ttl = this.ttl;
      let lo = ttl.length ? 255 : 0;
      let hi = 0;
      for (let j = 0; j < ttl.length; j++) {
        const t = ttl[j]!;
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
      this.range = [lo, hi];
    }
    return this.range;
  }
  get minTtl(): number {
    return this.ttlRange()[0];
  }
  get maxTtl(): number {
    return this.ttlRange()[1];
  }
  get byStream(): Uint32Array {
    return (this.index ??= streamIndex(this.stream, this.episode.streams.length)).byStream;
  }
  get streamStart(): Uint32Array {
    return (this.index ??= streamIndex(this.stream, this.episode.streams.length)).streamStart;
  }
}

export function episodeColumns(episode: LoopEpisode): EpisodeColumns {
  return new LazyEpisodeColumns(episode);
}

interface StreamIndex {
  byStream: Uint32Array;
  streamStart: Uint32Array;
}

/** Counting sort by stream; keeps time order inside each stream (the staircase of one packet). Out-of-range ids go last. */
function streamIndex(stream: Int32Array, streams: number): StreamIndex {
  const n = stream.length;
  const streamStart = new Uint32Array(streams + 2);
  const slot = (s: number): number => (s >= 0 && s < streams ? s : streams);
  for (let j = 0; j < n; j++) streamStart[slot(stream[j]!) + 1]!++;
  for (let s = 0; s < streams + 1; s++) streamStart[s + 1]! += streamStart[s]!;
  const fill = streamStart.slice(0, streams + 1);
  const byStream = new Uint32Array(n);
  for (let j = 0; j < n; j++) byStream[fill[slot(stream[j]!)]!++] = j;
  return { byStream, streamStart };
}

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

export function eventColumns(events: LogEvent[]): EventColumns {
  const groups: LaneGroup[] = [];
  const lanes: Lane[] = [];
  // group name -> (lane name -> lane index); two levels so no key string is built per event.
  const index = new Map<string, { group: number; lanes: Map<string, number> }>();
  const laneOfEvent = new Int32Array(events.length).fill(-1);
  const laneCounts: number[] = [];
  let responses = 0;
  let throttles = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (RESPONSE_KINDS.has(e.kind)) {
      responses++;
      continue;
    }
    if (e.kind === 'cpu-throttled') {
      throttles++;
      continue;
    }
    const group = e.host ?? e.pod ?? baseName(e.source.file);
    const laneName = e.process ?? e.container ?? e.source.format;
    let g = index.get(group);
    if (g === undefined) {
      g = { group: groups.push({ key: group, label: group, lanes: [] }) - 1, lanes: new Map() };
      index.set(group, g);
    }
    let l = g.lanes.get(laneName);
    if (l === undefined) {
      l = lanes.push({ key: `${group}\u0000${laneName}`, label: laneName, group: g.group }) - 1;
      g.lanes.set(laneName, l);
      groups[g.group]!.lanes.push(l);
      laneCounts.push(0);
    }
    laneOfEvent[i] = l;
    laneCounts[l]!++;
  }
  // Lanes are laid out group by group; renumber so lane order follows the groups.
  const renumber = new Int32Array(lanes.length);
  const ordered: Lane[] = [];
  for (const g of groups) {
    g.lanes = g.lanes.map((l) => {
      renumber[l] = ordered.push(lanes[l]!) - 1;
      return renumber[l]!;
    });
  }
  const laneStart = new Uint32Array(ordered.length + 1);
  for (let old = 0; old < lanes.length; old++) laneStart[renumber[old]! + 1] = laneCounts[old]!;
  for (let l = 0; l < ordered.length; l++) laneStart[l + 1]! += laneStart[l]!;
  const total = laneStart[ordered.length]!;
  const timeUs = new Float64Array(total);
  const rank = new Uint8Array(total);
  const eventIndex = new Uint32Array(total);
  const fill = laneStart.slice(0, ordered.length);
  const responseTimeUs = new Float64Array(responses);
  const throttleTimeUs = new Float64Array(throttles);
  const throttleValue = new Float64Array(throttles);
  let r = 0;
  let t = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (laneOfEvent[i]! >= 0) {
      const l = renumber[laneOfEvent[i]!]!;
      laneOfEvent[i] = l;
      const j = fill[l]!++;
      timeUs[j] = e.timeUs;
      rank[j] = KIND_RANK[e.kind] ?? 1;
      eventIndex[j] = i;
    } else if (e.kind === 'cpu-throttled') {
      throttleTimeUs[t] = e.timeUs;
      throttleValue[t++] = e.throttledMs ?? e.throttledPeriods ?? 1;
    } else {
      responseTimeUs[r++] = e.timeUs;
    }
  }
  // Report events are in time order; a lane could still be out of order if a source had a clock step, so sort.
  for (let l = 0; l < ordered.length; l++) sortLane(timeUs, rank, eventIndex, laneStart[l]!, laneStart[l + 1]!);
  if (!isSorted(responseTimeUs)) responseTimeUs.sort();
  const tOrder = orderBy(throttleTimeUs);
  return {
    lanes: ordered,
    groups,
    laneStart,
    timeUs,
    rank,
    eventIndex,
    laneOfEvent,
    responseTimeUs,
    throttleTimeUs: tOrder ? Float64Array.from(tOrder, (i) => throttleTimeUs[i]!) : throttleTimeUs,
    throttleValue: tOrder ? Float64Array.from(tOrder, (i) => throttleValue[i]!) : throttleValue,
  };
}

function sortLane(timeUs: Float64Array, rank: Uint8Array, eventIndex: Uint32Array, from: number, to: number): void {
  const order = orderBy(timeUs.subarray(from, to));
  if (!order) return;
  const t = timeUs.slice(from, to);
  const r = rank.slice(from, to);
  const e = eventIndex.slice(from, to);
  order.forEach((src, k) => {
    timeUs[from + k] = t[src]!;
    rank[from + k] = r[src]!;
    eventIndex[from + k] = e[src]!;
  });
}

export function reportColumns(report: Report): ReportColumns {
  const episodes = report.loops.map(episodeColumns);
  const events = eventColumns(report.events);
  const stalls = report.impact?.stalls ?? [];
  const stallStartUs = Float64Array.from(stalls, (s) => s.startUs);
  const stallEndUs = Float64Array.from(stalls, (s) => s.startUs + s.durationMs * 1000);
  let startUs = Infinity;
  let endUs = -Infinity;
  const take = (a: number, b = a): void => {
    if (Number.isFinite(a) && a < startUs) startUs = a;
    if (Number.isFinite(b) && b > endUs) endUs = b;
  };
  for (const e of episodes) take(e.episode.startUs, e.episode.endUs);
  // From the typed columns: every event is in exactly one of them.
  for (const t of [events.timeUs, events.responseTimeUs, events.throttleTimeUs]) for (let i = 0; i < t.length; i++) take(t[i]!);
  for (let i = 0; i < stallStartUs.length; i++) take(stallStartUs[i]!, stallEndUs[i]!);
  if (!Number.isFinite(startUs)) startUs = endUs = Date.parse(report.generatedAt) * 1000 || 0;
  // A Report with a single instant still needs a window to draw into.
  if (endUs - startUs < 1000) {
    startUs -= 500;
    endUs += 500;
  }
  const sightings = report.loops.reduce((n, l) => n + l.ladder.timeUs.length, 0);
  return { report, episodes, events, stallStartUs, stallEndUs, startUs, endUs, sightings };
}
