/**
 * Restarts of a BGP speaker (or any process/container/pod): which events are restart lines, which lines tell one
 * restart (kubelet's "Killing", PLEG's ContainerDied, the daemon's "stopping"/"started", kubectl events), who
 * restarted, and when it died, as exactly as the lines allow.
 */
import type { EpochMicros } from '../model/time';
import type { LogEvent } from '../model/events';
import { WINDOWS } from './options';
import { timeToleranceUs, US_PER_S } from './time';
import { maxOf, minOf } from './numbers';

export type RestartPhase = 'stop' | 'start' | 'restart';

/** Daemons that speak BGP (kube-router embeds GoBGP). */
const SPEAKER = /\b(kube-router|gobgpd?|bgpd|bird[26]?c?|frr|calico-node|bgp speaker)\b/i;
const STOP =
  /\b(kill(ed|ing)?|stop(ped|ping)?|terminat\w*|exit(ed|ing)?|sigterm|sigkill|shut\w*|crash\w*|back-?off|oom\w*|died|dead|evict\w*|preempt\w*)\b|will be restarted|ContainerDied/i;
const START = /\b(start(ed|ing)?|launch\w*|boot\w*|running|created)\b|ContainerStarted/i;
const STOP_STATES = /^(stopping|stopped|exited|killed|terminated|terminating|dead|died|crashed)$/i;
const START_STATES = /^(started|starting|running|ready)$/i;
/** A daemon's own start line: "gobgpd started", "Running /usr/local/bin/kube-router version v2.1", "BGPd 8.4 starting". */
const SPEAKER_START_LINE =
  /\b(gobgpd?|kube-router|bgpd|bird)\b[^\n]{0,40}\b(start(ed|ing)?|version)\b|\b(start(ed|ing)?|running)\b[^\n]{0,40}\b(gobgpd?|kube-router|bgpd|bird)\b/i;
/** Lines about sessions and peers are never start lines, even when they say "started". */
const PEER_TALK = /\b(peer|neighbou?r|session|adjchange|fsm|state changed)\b/i;
/**
 * kubelet's PLEG relists containers every second: a "ContainerDied" line is written up to 1 s after the death.
 * (Generic PLEG relist period, kubelet default.)
 */
const LATE_OBSERVATION = /SyncLoop \(PLEG\)|"Type":"ContainerDied"/;
const PLEG_RELIST_US = 1 * US_PER_S;

export function isSpeakerEvent(e: LogEvent): boolean {
  return SPEAKER.test(e.process ?? '') || SPEAKER.test(e.container ?? '') || SPEAKER.test(e.pod ?? '') || SPEAKER.test(e.message);
}

/** The phase of a restart line, or null when the event is not one. */
export function restartPhase(e: LogEvent): RestartPhase | null {
  switch (e.kind) {
    case 'pod-killed':
      return 'stop';
    case 'process-restart':
    case 'container-restart':
      if (e.toState && STOP_STATES.test(e.toState)) return 'stop';
      if (e.toState && START_STATES.test(e.toState)) return 'start';
      if (STOP.test(e.message)) return 'stop';
      if (START.test(e.message)) return 'start';
      return 'restart';
    case 'other':
      if (isSpeakerEvent(e) && SPEAKER_START_LINE.test(e.message) && !PEER_TALK.test(e.message)) return 'start';
      return null;
    default:
      return null;
  }
}

/** Where the death lies, given one stop line: [lo, hi] in µs. */
function stopBounds(e: LogEvent): { lo: number; hi: number; how: string } {
  if (LATE_OBSERVATION.test(e.message)) {
    return { lo: e.timeUs - PLEG_RELIST_US, hi: e.timeUs, how: `the kubelet saw it die up to 1 s late (PLEG relist, ${e.source.file}:${e.source.line})` };
  }
  const tol = timeToleranceUs(e, 0);
  if (tol > 0) return { lo: e.timeUs, hi: e.timeUs + tol, how: `only a whole-second stamp tells it (${e.source.file}:${e.source.line})` };
  return { lo: e.timeUs, hi: e.timeUs, how: '' };
}

/** One restart of one subject: the lines that tell it, in time order. */
export interface RestartOccurrence {
  /** Best estimate of the instant it went down (or, with only start lines, of the start). */
  timeUs: EpochMicros;
  /** The death lies in [lo, hi]; lo === hi when a precise stop line says it. */
  lo: EpochMicros;
  hi: EpochMicros;
  /** Why the instant is uncertain, when it is. */
  uncertainty?: string;
  lastUs: EpochMicros;
  /** The latest start line's time, if any. */
  lastStartUs?: EpochMicros;
  events: LogEvent[];
  phases: Set<RestartPhase>;
  host?: string;
  pod?: string;
  /** Container or process name (kube-router, gobgpd...). */
  name?: string;
  speaker: boolean;
  /** Same for every restart of the same subject (hosts and pods tied together by the lines that name both). */
  key: string;
}

function conflicts(o: RestartOccurrence, e: LogEvent): boolean {
  if (o.host && e.host) return o.host !== e.host;
  if (o.pod && e.pod) return o.pod !== e.pod;
  return false;
}

/**
 * A stop after a start opens the next restart (crash loop: kill, start, kill, start...), unless the stop may have
 * happened before that start: a late observation (PLEG's ContainerDied up to 1 s late) of the same death.
 */
function beginsNext(o: RestartOccurrence, e: LogEvent, phase: RestartPhase): boolean {
  return phase === 'stop' && o.lastStartUs !== undefined && stopBounds(e).lo > o.lastStartUs;
}

/**
 * What restarted, by strength of the clue: a container name; a speaker's process name; a speaker named in a
 * message ("Killing container kube-router"); else the process that logged (which may be kubelet itself).
 */
function occurrenceName(events: readonly LogEvent[]): string | undefined {
  for (const e of events) if (e.container) return e.container;
  for (const e of events) if (e.process && SPEAKER.test(e.process)) return e.process;
  for (const e of events) {
    const m = SPEAKER.exec(e.message);
    if (m) return m[1]!.toLowerCase();
  }
  for (const e of events) if (e.process) return e.process;
  return undefined;
}

function absorb(o: RestartOccurrence, e: LogEvent, phase: RestartPhase): void {
  o.events.push(e);
  o.phases.add(phase);
  if (phase === 'start') o.lastStartUs = Math.max(o.lastStartUs ?? e.timeUs, e.timeUs);
  o.lastUs = Math.max(o.lastUs, e.timeUs);
  o.host ??= e.host;
  o.pod ??= e.pod;
  o.speaker ||= isSpeakerEvent(e);
}

/** The instant of the restart from its lines: the earliest precise stop line; else where all stop lines agree. */
function estimateInstant(o: RestartOccurrence): void {
  const stops = o.events.filter((e) => restartPhase(e) !== 'start');
  if (!stops.length) {
    o.timeUs = o.lo = o.hi = minOf(o.events, (e) => e.timeUs);
    return;
  }
  const bounds = stops.map(stopBounds);
  const exact = bounds.filter((b) => b.lo === b.hi);
  if (exact.length) {
    o.timeUs = o.lo = o.hi = minOf(exact, (b) => b.lo);
    return;
  }
  let lo = maxOf(bounds, (b) => b.lo);
  let hi = minOf(bounds, (b) => b.hi);
  if (lo > hi) ({ lo, hi } = bounds[0]!);
  o.lo = lo;
  o.hi = hi;
  // As written: a late observation's own time, a whole-second stamp's second.
  o.timeUs = minOf(stops, (e) => e.timeUs);
  o.uncertainty = bounds.map((b) => b.how).join('; ');
}

/** Ties hosts and pods that name the same subject (a line with both), so every restart of it gets one key. */
class Identities {
  private parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

function tokens(e: { host?: string | undefined; pod?: string | undefined }): string[] {
  const out: string[] = [];
  if (e.host) out.push(`host:${e.host}`);
  if (e.pod) out.push(`pod:${e.pod}`);
  return out;
}

/** Restart lines -> restart occurrences, in time order. `events` must be sorted by time. */
export function findRestarts(events: readonly LogEvent[]): RestartOccurrence[] {
  const out: RestartOccurrence[] = [];
  const open: RestartOccurrence[] = [];
  for (const e of events) {
    const phase = restartPhase(e);
    if (!phase) continue;
    for (let i = open.length - 1; i >= 0; i--) {
      if (e.timeUs - open[i]!.lastUs > WINDOWS.restartClusterGapUs) open.splice(i, 1);
    }
    // The most specific compatible open occurrence, latest first: same host or pod, then any that does not conflict.
    const candidates = open.filter((o) => !conflicts(o, e) && !beginsNext(o, e, phase)).reverse();
    const target = candidates.find((o) => (o.host && o.host === e.host) || (o.pod && o.pod === e.pod)) ?? candidates[0];
    if (target) {
      absorb(target, e, phase);
      continue;
    }
    const o: RestartOccurrence = { timeUs: e.timeUs, lo: e.timeUs, hi: e.timeUs, lastUs: e.timeUs, events: [], phases: new Set(), speaker: false, key: '' };
    absorb(o, e, phase);
    out.push(o);
    open.push(o);
  }
  // Identity: hosts and pods named together (on one line, or in one restart) are one subject.
  const ids = new Identities();
  for (const o of out) {
    const all = o.events.flatMap(tokens);
    for (const t of all.slice(1)) ids.union(all[0]!, t);
  }
  const hostOf = new Map<string, string>();
  for (const o of out) {
    const t = tokens(o)[0];
    if (t && o.host) hostOf.set(ids.find(t), o.host);
  }
  const containerOf = new Map<string, string>();
  for (const o of out) {
    o.name = occurrenceName(o.events);
    const t = tokens(o)[0];
    o.key = t ? ids.find(t) : `name:${o.name ?? '?'}`;
    o.host ??= hostOf.get(o.key);
    const container = o.events.find((e) => e.container)?.container;
    if (container && !containerOf.has(o.key)) containerOf.set(o.key, container);
    estimateInstant(o);
  }
  // One name per subject: the container's, when any of its restarts names it (a SIGKILL leaves only PLEG lines).
  for (const o of out) o.name = containerOf.get(o.key) ?? o.name;
  return out.sort((a, b) => a.lo - b.lo);
}

/** "kube-router on node-3", "gobgpd", "pod kube-router-x7k2p". */
export function subjectLabel(o: RestartOccurrence): string {
  const what = o.name ?? (o.pod ? `pod ${o.pod}` : 'a process');
  return o.host ? `${what} on ${o.host}` : what;
}

/** true when only start lines tell the restart (its stop was not logged). */
export function startOnly(o: RestartOccurrence): boolean {
  return !o.phases.has('stop') && !o.phases.has('restart');
}
