/**
 * Restarts of a BGP speaker (or any process/container/pod): which events are restart lines, and which lines
 * belong to one restart (kubelet's "Killing", the runtime's exit, "Started container", the daemon's own start line).
 */
import type { EpochMicros } from '../model/time';
import type { LogEvent } from '../model/events';
import { WINDOWS } from './options';

export type RestartPhase = 'stop' | 'start' | 'restart';

/** Daemons that speak BGP (kube-router embeds GoBGP). */
const SPEAKER = /\b(kube-router|gobgpd?|bgpd|bird[26]?c?|frr|calico-node|bgp speaker)\b/i;
const STOP = /\b(kill(ed|ing)?|stop(ped|ping)?|terminat\w*|exit(ed|ing)?|sigterm|sigkill|shut\w*|crash\w*|back-?off|oom\w*|died|dead|evict\w*|preempt\w*)\b/i;
const START = /\b(start(ed|ing)?|launch\w*|boot\w*|running|created|restarted)\b/i;
/** A daemon's own start line: "gobgpd started", "Running /usr/local/bin/kube-router version v2.1", "BGPd 8.4 starting". */
const SPEAKER_START_LINE =
  /\b(gobgpd?|kube-router|bgpd|bird)\b[^\n]{0,40}\b(start(ed|ing)?|version)\b|\b(start(ed|ing)?|running)\b[^\n]{0,40}\b(gobgpd?|kube-router|bgpd|bird)\b/i;
/** Lines about sessions and peers are never start lines, even when they say "started". */
const PEER_TALK = /\b(peer|neighbou?r|session|adjchange|fsm|state changed)\b/i;

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

/** One restart of one subject: the lines that tell it, in time order. */
export interface RestartOccurrence {
  timeUs: EpochMicros;
  lastUs: EpochMicros;
  events: LogEvent[];
  phases: Set<RestartPhase>;
  host?: string;
  pod?: string;
  /** Container or process name (kube-router, gobgpd...). */
  name?: string;
  speaker: boolean;
}

function conflicts(o: RestartOccurrence, e: LogEvent): boolean {
  if (o.host && e.host) return o.host !== e.host;
  if (o.pod && e.pod) return o.pod !== e.pod;
  const name = occurrenceName([e]);
  if (!o.host && !e.host && o.name && name) return o.name !== name;
  return false;
}

/** A stop after a start opens the next restart (crash loop: kill, start, kill, start...). */
function beginsNext(o: RestartOccurrence, phase: RestartPhase): boolean {
  return phase === 'stop' && o.phases.has('start');
}

function absorb(o: RestartOccurrence, e: LogEvent, phase: RestartPhase): void {
  o.events.push(e);
  o.phases.add(phase);
  o.lastUs = Math.max(o.lastUs, e.timeUs);
  o.host ??= e.host;
  o.pod ??= e.pod;
  o.name = occurrenceName(o.events);
  o.speaker ||= isSpeakerEvent(e);
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

/** Restart lines -> restart occurrences, in time order. `events` must be sorted by time. */
export function findRestarts(events: readonly LogEvent[]): RestartOccurrence[] {
  const out: RestartOccurrence[] = [];
  const open: RestartOccurrence[] = [];
  for (const e of events) {
    const phase = restartPhase(e);
    if (!phase) continue;
    // Forget occurrences that ended too long ago to take this line.
    for (let i = open.length - 1; i >= 0; i--) {
      if (e.timeUs - open[i]!.lastUs > WINDOWS.restartClusterGapUs) open.splice(i, 1);
    }
    // The most specific compatible open occurrence: same host first, then any that does not conflict.
    const candidates = open.filter((o) => !conflicts(o, e) && !beginsNext(o, phase));
    const target = candidates.find((o) => o.host && o.host === e.host) ?? candidates[candidates.length - 1];
    if (target) {
      absorb(target, e, phase);
      continue;
    }
    const o: RestartOccurrence = { timeUs: e.timeUs, lastUs: e.timeUs, events: [], phases: new Set(), speaker: false };
    absorb(o, e, phase);
    out.push(o);
    open.push(o);
  }
  return out;
}

/** Identity key of a restart's subject: host, else pod, else the container/process name. */
export function subjectKey(o: RestartOccurrence): string {
  return o.host ? `host:${o.host}` : o.pod ? `pod:${o.pod}` : `name:${o.name ?? '?'}`;
}

/** "kube-router on node-3", "gobgpd", "pod kube-router-x7k2p". */
export function subjectLabel(o: RestartOccurrence): string {
  const what = o.name ?? (o.pod ? `pod ${o.pod}` : 'a process');
  return o.host ? `${what} on ${o.host}` : what;
}
