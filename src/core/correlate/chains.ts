/**
 * Restart -> peer down on the other side -> loop -> timeouts / stalls -> loop end and peer up: links by time and
 * identity, each link with its lag and evidence. Every event, loop and stall joins at most one chain.
 */
import type { LinkBasis } from '../model/correlation';
import type { LogEvent } from '../model/events';
import type { Impact, LoopEpisode, TcpStall } from '../model/loops';
import { prefixesOverlap, parsePrefix, type Prefix } from './addresses';
import { inFlight, isPeerDown, isPeerUp, peerKey } from './eventKinds';
import { symptomWindows, type SymptomWindow } from './windows';
import {
  announcedPrefixes,
  buildAddressBook,
  matchPeer,
  subjectAddresses,
  type AddressBook,
  type PeerMatch,
  type SubjectAddresses,
} from './identity';
import { WINDOWS } from './options';
import { findRestarts, startOnly, subjectLabel, type RestartOccurrence } from './restarts';
import { byTime, lowerBound, timeToleranceUs } from './time';
import { identity, maxOf } from './numbers';

interface Context {
  events: readonly LogEvent[];
  peerDowns: LogEvent[];
  peerDownTimes: number[];
  peerUps: LogEvent[];
  windows: SymptomWindow[];
  loops: LoopEpisode[];
  loopStarts: number[];
  stalls: TcpStall[];
  stallStarts: number[];
  book: AddressBook;
  /** Events, loops and stalls already in a chain. */
  used: Set<object>;
}

/** A chain while it is being linked, before it becomes the Report's Chain. */
export interface LinkedChain {
  occurrence: RestartOccurrence;
  /** The restart's instant (see restartInstant) and, when estimated, how. */
  restartUs: number;
  restartNote?: string;
  subject: string;
  subjectKey: string;
  who: SubjectAddresses;
  peerDown?: { events: LogEvent[]; match: NonNullable<PeerMatch> };
  loops: LoopEpisode[];
  loopBasis?: LinkBasis;
  loopNote?: string;
  symptoms: LogEvent[];
  stalls: TcpStall[];
  peerUp?: LogEvent;
  windowStart: number;
  windowEnd: number;
}

const BASIS_RANK: Record<string, number> = { address: 0, name: 1, prefix: 1, time: 2 };

/** How far an instant is from the restart's [lo, hi] (0 inside). */
function distance(o: RestartOccurrence, t: number): number {
  return t < o.lo ? o.lo - t : t > o.hi ? t - o.hi : 0;
}

function findPeerDown(
  ctx: Context,
  o: RestartOccurrence,
  who: SubjectAddresses,
  nextSameSubjectUs: number,
): LinkedChain['peerDown'] {
  // A start line is written after the death that dropped the session: look before it, not after.
  const onlyStarts = startOnly(o);
  const slack = 2 * WINDOWS.preciseToleranceUs;
  const from = onlyStarts ? o.lo - WINDOWS.peerDownBeforeStartOnlyUs : o.lo - slack;
  const until = Math.min(onlyStarts ? o.hi + maxOf(o.events, (e) => timeToleranceUs(e, slack)) : o.hi + WINDOWS.peerDownIdentifiedUs, nextSameSubjectUs);
  let best: { e: LogEvent; match: NonNullable<PeerMatch> } | undefined;
  for (let i = lowerBound(ctx.peerDownTimes, from); i < ctx.peerDowns.length; i++) {
    const e = ctx.peerDowns[i]!;
    if (e.timeUs > until) break;
    if (ctx.used.has(e)) continue;
    const match = matchPeer(e, o, who, ctx.book);
    if (!match) continue;
    // By time alone, only a BGP speaker's restart explains a session drop (not a web pod's).
    if (match.basis === 'time' && (!o.speaker || e.timeUs > o.hi + WINDOWS.peerDownByTimeUs)) continue;
    if (
      !best ||
      BASIS_RANK[match.basis]! < BASIS_RANK[best.match.basis]! ||
      (BASIS_RANK[match.basis] === BASIS_RANK[best.match.basis] && distance(o, e.timeUs) < distance(o, best.e.timeUs))
    ) {
      best = { e, match };
    }
  }
  if (!best) return undefined;
  // The same drop logged again (syslog copy, a state-change line next to the ADJCHANGE line): same peer, within 1 s.
  const same = ctx.peerDowns.filter(
    (x) =>
      !ctx.used.has(x) &&
      Math.abs(x.timeUs - best!.e.timeUs) <= 1_000_000 &&
      (x === best!.e || (peerKey(x) !== undefined && peerKey(x) === peerKey(best!.e) && x.host === best!.e.host)),
  );
  return { events: byTime(same), match: best.match };
}

/**
 * The restart's instant. When the lines only bound it (a late PLEG observation, a whole-second stamp) and the
 * other side's session dropped inside those bounds, the drop marks it: a dying speaker's session closes at once
 * (the kernel closes its sockets, or it sends a Cease), measured at 1-13 ms in the lab.
 */
function restartInstant(o: RestartOccurrence, down: LogEvent | undefined): { timeUs: number; note?: string } {
  const precise = down !== undefined && timeToleranceUs(down, WINDOWS.preciseToleranceUs) < 1_000_000;
  if (startOnly(o)) {
    // Only the start was logged: it went down before that, and the session drop it caused says when.
    if (!down || !precise) return { timeUs: o.timeUs };
    const first = o.events[0]!;
    return {
      timeUs: down.timeUs,
      note: `only its start was logged (${first.source.file}:${first.source.line}); placed at the other side's session drop before it (${down.source.file}:${down.source.line}), which a dying speaker causes at once`,
    };
  }
  if (o.lo === o.hi) return { timeUs: o.timeUs };
  if (down) {
    const tol = timeToleranceUs(down, WINDOWS.preciseToleranceUs);
    if (down.timeUs >= o.lo - tol && down.timeUs <= o.hi + tol && precise) {
      return {
        timeUs: Math.min(Math.max(down.timeUs, o.lo), o.hi),
        note: `${o.uncertainty}; placed at the other side's session drop (${down.source.file}:${down.source.line}), which a dying speaker causes at once`,
      };
    }
  }
  return { timeUs: o.timeUs, ...(o.uncertainty ? { note: o.uncertainty } : {}) };
}

function prefixesOf(l: LoopEpisode): Prefix[] {
  return l.destinationPrefixes.map((p) => parsePrefix(p)).filter((p): p is Prefix => p !== null);
}

function overlapsAny(a: Prefix[], b: Prefix[]): boolean {
  return a.some((x) => b.some((y) => prefixesOverlap(x, y)));
}

function findLoops(
  ctx: Context,
  anchorUs: number,
  toleranceUs: number,
  announced: Prefix[],
  boundUs: number,
): { loops: LoopEpisode[]; basis: LinkBasis; note: string } | undefined {
  const from = anchorUs - toleranceUs;
  const until = Math.min(anchorUs + WINDOWS.loopIdentifiedUs, boundUs);
  let chosen: { loop: LoopEpisode; basis: LinkBasis } | undefined;
  for (let i = lowerBound(ctx.loopStarts, from); i < ctx.loops.length; i++) {
    const l = ctx.loops[i]!;
    if (l.startUs > until) break;
    if (ctx.used.has(l)) continue;
    const lp = prefixesOf(l);
    if (announced.length && lp.length) {
      if (overlapsAny(announced, lp)) {
        chosen = { loop: l, basis: 'prefix' };
        break;
      }
      continue; // destinations known and not the subject's: someone else's loop
    }
    if (l.startUs <= anchorUs + WINDOWS.loopByTimeUs) {
      chosen = { loop: l, basis: 'time' };
      break;
    }
  }
  if (!chosen) return undefined;
  // Join the episodes the detector split (a short quiet gap), when their destinations agree.
  const loops = [chosen.loop];
  const lp = prefixesOf(chosen.loop);
  let end = chosen.loop.endUs;
  for (let i = ctx.loops.indexOf(chosen.loop) + 1; i < ctx.loops.length; i++) {
    const l = ctx.loops[i]!;
    if (l.startUs > end + WINDOWS.loopJoinGapUs || l.startUs > boundUs) break;
    if (ctx.used.has(l)) continue;
    const other = prefixesOf(l);
    if (lp.length && other.length && !overlapsAny(lp, other)) continue;
    loops.push(l);
    end = Math.max(end, l.endUs);
  }
  const note =
    chosen.basis === 'prefix'
      ? `destinations ${chosen.loop.destinationPrefixes.join(', ')} are in what it announced (${announced.map((p) => p.text).join(', ')})`
      : 'the first loop after the session loss, within ' + WINDOWS.loopByTimeUs / 1e6 + ' s (no route lines tell its prefixes)';
  return { loops, basis: chosen.basis, note };
}

function findPeerUp(ctx: Context, down: LogEvent, untilUs: number): LogEvent | undefined {
  for (const e of ctx.peerUps) {
    if (e.timeUs <= down.timeUs) continue;
    if (e.timeUs > untilUs) break;
    if (ctx.used.has(e)) continue;
    const samePeer = peerKey(down) !== undefined && peerKey(e) === peerKey(down);
    const sameObserver = !down.host || !e.host || down.host === e.host;
    if (samePeer && sameObserver) return e;
  }
  return undefined;
}

/**
 * The outage the chain caused: every run of failed/slow requests (a symptom window) that overlaps
 * [from, until], whole, since an outage outlasts the loop while the routes converge again; but no request sent
 * after the next restart began, and none already taken by an earlier chain.
 */
function findSymptoms(ctx: Context, from: number, until: number, nextRestartUs: number): LogEvent[] {
  const out: LogEvent[] = [];
  for (const w of ctx.windows) {
    if (w.start > until) break;
    if (w.end < from) continue;
    for (const e of w.events) if (!ctx.used.has(e) && inFlight(e).start < nextRestartUs) out.push(e);
  }
  return out;
}

/** Stalls that began in the window (one that began before the session loss was not caused by it). */
function findStalls(ctx: Context, from: number, until: number): TcpStall[] {
  const out: TcpStall[] = [];
  for (let i = lowerBound(ctx.stallStarts, from - WINDOWS.preciseToleranceUs); i < ctx.stalls.length; i++) {
    const s = ctx.stalls[i]!;
    if (s.startUs > until) break;
    if (!ctx.used.has(s)) out.push(s);
  }
  return out;
}

/** Adopts, for subjects no line gives an address, the one peer address that went down after most of their restarts. */
function inferAddresses(ctx: Context, occurrences: RestartOccurrence[], who: Map<string, SubjectAddresses>): void {
  const seen = new Map<string, Map<string, number>>();
  for (const o of occurrences) {
    const key = o.key;
    const w = who.get(key)!;
    if (w.strict) continue;
    const pd = findPeerDown(ctx, o, w, Number.POSITIVE_INFINITY);
    const peer = pd?.events[0]?.peer;
    if (!peer || !parsePrefix(peer)) continue;
    let counts = seen.get(key);
    if (!counts) seen.set(key, (counts = new Map()));
    counts.set(peer, (counts.get(peer) ?? 0) + 1);
  }
  for (const [key, counts] of seen) {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const [peer, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    if (n < 2 || n * 2 <= total) continue;
    const w = who.get(key)!;
    w.addresses.add(peer);
    w.strict = true;
    const note = `${peer} inferred: the other side's session to it went down after ${n} of its restarts`;
    w.source = w.source ? `${w.source}; ${note}` : note;
  }
}

/** When the next restart (of the same subject, or of any) began: nothing after it belongs to this one. `list` is sorted by lo. */
function occurrencesAfter(list: RestartOccurrence[], i: number, sameKey: boolean): number {
  const key = list[i]!.key;
  for (let j = i + 1; j < list.length; j++) {
    const o = list[j]!;
    if (o.lo <= list[i]!.lo) continue;
    if (!sameKey || o.key === key) return o.lo;
  }
  return Number.POSITIVE_INFINITY;
}

export function linkChains(
  events: readonly LogEvent[],
  loops: readonly LoopEpisode[],
  impact: Impact,
): { linked: LinkedChain[]; occurrences: RestartOccurrence[]; book: AddressBook; windows: SymptomWindow[] } {
  const book = buildAddressBook(events);
  const peerDowns = events.filter(isPeerDown);
  const sortedLoops = [...loops].sort((a, b) => a.startUs - b.startUs);
  const sortedStalls = [...impact.stalls].sort((a, b) => a.startUs - b.startUs);
  const ctx: Context = {
    events,
    peerDowns,
    peerDownTimes: peerDowns.map((e) => e.timeUs),
    peerUps: events.filter(isPeerUp),
    windows: symptomWindows(events),
    loops: sortedLoops,
    loopStarts: sortedLoops.map((l) => l.startUs),
    stalls: sortedStalls,
    stallStarts: sortedStalls.map((x) => x.startUs),
    book,
    used: new Set(),
  };
  const occurrences = findRestarts(events);
  const who = new Map<string, SubjectAddresses>();
  for (const o of occurrences) {
    const key = o.key;
    const w = subjectAddresses(o, book);
    const prev = who.get(key);
    if (!prev) who.set(key, w);
    else {
      for (const a of w.addresses) prev.addresses.add(a);
      if (w.source && !prev.source.includes(w.source)) prev.source = prev.source ? `${prev.source}; ${w.source}` : w.source;
    }
  }
  inferAddresses(ctx, occurrences, who);
  const announcedByKey = new Map<string, Prefix[]>();

  const linked: LinkedChain[] = [];
  occurrences.forEach((o, i) => {
    const key = o.key;
    const w = who.get(key)!;
    let announced = announcedByKey.get(key);
    if (!announced) announcedByKey.set(key, (announced = announcedPrefixes(events, o, w)));
    const nextSame = occurrencesAfter(occurrences, i, true);
    const nextAny = occurrencesAfter(occurrences, i, false);

    const peerDown = findPeerDown(ctx, o, w, nextSame);
    const down = peerDown?.events[0];
    // Without a session loss, a loop is only tied to the stop of a BGP speaker (a start line comes after the death).
    const restart = restartInstant(o, down);
    const anchorUs = down ? down.timeUs : o.speaker && !startOnly(o) ? restart.timeUs : undefined;
    const toleranceUs = down ? timeToleranceUs(down, WINDOWS.preciseToleranceUs) : WINDOWS.preciseToleranceUs;
    const found = anchorUs === undefined ? undefined : findLoops(ctx, anchorUs, toleranceUs, announced, nextAny);
    if (!peerDown && !found) return;

    for (const e of peerDown?.events ?? []) ctx.used.add(e);
    for (const l of found?.loops ?? []) ctx.used.add(l);
    const peerUp = down ? findPeerUp(ctx, down, Math.min(down.timeUs + WINDOWS.peerUpUs, nextSame)) : undefined;
    if (peerUp) ctx.used.add(peerUp);

    const loopStart = found ? found.loops[0]!.startUs : undefined;
    const loopEnd = found ? maxOf(found.loops, (l) => l.endUs) : undefined;
    const windowStart = Math.min(down?.timeUs ?? Infinity, loopStart ?? Infinity);
    const ends = [loopEnd, peerUp?.timeUs].filter((x): x is number => x !== undefined);
    const windowEnd = ends.length ? Math.min(maxOf(ends, identity), nextAny) : windowStart;
    const symptoms = ends.length ? findSymptoms(ctx, windowStart, windowEnd, nextAny) : [];
    const stalls = ends.length ? findStalls(ctx, windowStart, windowEnd) : [];
    for (const x of symptoms) ctx.used.add(x);
    for (const x of stalls) ctx.used.add(x);

    linked.push({
      occurrence: o,
      restartUs: restart.timeUs,
      ...(restart.note ? { restartNote: restart.note } : {}),
      subject: subjectLabel(o),
      subjectKey: key,
      who: w,
      peerDown,
      loops: found?.loops ?? [],
      loopBasis: found?.basis,
      loopNote: found?.note,
      symptoms,
      stalls,
      peerUp,
      windowStart,
      windowEnd,
    });
  });
  return { linked, occurrences, book, windows: ctx.windows };
}
