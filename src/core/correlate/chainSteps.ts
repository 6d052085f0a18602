/**
 * Linked chains -> the Report's Chain objects: one step per link with its time, lag, evidence, how it was tied,
 * and the numbers behind it; steps in time order; the paragraph a person reads.
 */
import type { Chain, ChainStep, ChainStepKind, ChainStepFacts, Evidence, LinkBasis } from '../model/correlation';
import type { LoopEpisode } from '../model/loops';
import { isoFromMicros } from '../model/time';
import type { LinkedChain } from './chains';
import { capEvidence, eventEvidence, loopEvidence, stallEvidence } from './evidence';
import { inFlight, peerKey, weight } from './eventKinds';
import type { AddressBook } from './identity';
import { identity, maxOf, minOf } from './numbers';
import { describeChain } from './summary';
import { byTime } from './time';

/** Causal rank: breaks ties between steps at the same instant. */
const STEP_ORDER: readonly ChainStepKind[] = ['restart', 'peer-down', 'loop', 'stalls', 'timeouts', 'loop-end', 'peer-up'];

function step(
  kind: ChainStepKind,
  timeUs: number,
  summary: string,
  evidence: Evidence[],
  extra: { linkedBy?: LinkBasis; linkNote?: string; facts?: ChainStepFacts; timeNote?: string } = {},
): ChainStep {
  return { kind, time: isoFromMicros(timeUs), timeUs, lagMs: 0, summary, evidence: capEvidence(evidence), ...extra };
}

function routerNames(loops: LoopEpisode[], book: AddressBook): string[] {
  const names = new Set<string>();
  for (const l of loops) for (const r of l.routers) names.add(book.owner.get(r) ?? r);
  return [...names];
}

/**
 * Packets caught in the linked episodes: summed within one capture (a loop the detector split), but the same loop
 * seen in two captures of the link (a pcap and a pcapng of one tcpdump, two taps) counts once: the larger count.
 */
function loopedPackets(loops: LoopEpisode[]): number {
  const byCapture = new Map<string, number>();
  for (const l of loops) byCapture.set(l.capture, (byCapture.get(l.capture) ?? 0) + l.loopedPackets);
  return maxOf(byCapture.values(), identity);
}

/** The chain's steps, in time order (ties broken by causal order), lags from the previous step. */
function steps(c: LinkedChain, book: AddressBook): ChainStep[] {
  const o = c.occurrence;
  const out: ChainStep[] = [];
  out.push(step('restart', c.restartUs, `${c.subject} restarted`, o.events.map(eventEvidence), c.restartNote ? { timeNote: c.restartNote } : {}));
  if (c.peerDown) {
    const d = c.peerDown.events[0]!;
    const peer = peerKey(d);
    out.push(
      step('peer-down', d.timeUs, `the BGP session to ${peer ?? c.subject}${d.host ? ` seen by ${d.host}` : ''} went down`, c.peerDown.events.map(eventEvidence), {
        linkedBy: c.peerDown.match.basis,
        linkNote: c.peerDown.match.note,
        facts: { ...(peer ? { peer } : {}), ...(d.host ? { observer: d.host } : {}) },
      }),
    );
  }
  if (c.loops.length) {
    const first = c.loops[0]!;
    const end = maxOf(c.loops, (l) => l.endUs);
    const prefixes = [...new Set(c.loops.flatMap((l) => l.destinationPrefixes))];
    const facts: ChainStepFacts = {
      prefixes,
      durationMs: (end - first.startUs) / 1000,
      loopedPackets: loopedPackets(c.loops),
      ttlStep: first.ttlStep,
      loopIds: c.loops.map((l) => l.id),
      routers: routerNames(c.loops, book),
    };
    const evidence = c.loops.map(loopEvidence);
    out.push(step('loop', first.startUs, `a ${first.ttlStep}-hop loop${prefixes.length ? ` for ${prefixes.join(', ')}` : ''} started`, evidence, {
      linkedBy: c.loopBasis!,
      linkNote: c.loopNote!,
      facts,
    }));
    out.push(step('loop-end', end, 'the loop ended', evidence.slice(-1), { facts: { durationMs: facts.durationMs! } }));
  }
  if (c.stalls.length) {
    const longest = maxOf(c.stalls, (s) => s.durationMs);
    const unanswered = c.stalls.filter((s) => s.unanswered).length;
    out.push(
      step('stalls', minOf(c.stalls, (s) => s.startUs), `${c.stalls.length} TCP flow(s) stalled`, c.stalls.map(stallEvidence), {
        linkedBy: 'time',
        linkNote: 'TCP stalls that began between the session loss or loop start and the recovery',
        facts: { stalls: c.stalls.length, longestStallMs: longest, ...(unanswered ? { unansweredStalls: unanswered } : {}) },
      }),
    );
  }
  if (c.symptoms.length) {
    const sorted = byTime([...c.symptoms]);
    // The outage began when the first request that failed was sent (a timeout is logged when it expires).
    const firstSent = minOf(sorted, (e) => inFlight(e).start);
    let requests = 0;
    let slow = 0;
    let failed = 0;
    for (const e of sorted) {
      if (e.kind === 'request-timeout') requests += weight(e);
      else if (e.kind === 'slow-response') slow += weight(e);
      else failed += weight(e);
    }
    const parts = [
      requests ? `${requests} request(s) timed out` : '',
      failed ? `${failed} failed` : '',
      slow ? `${slow} response(s) were slow` : '',
    ].filter(Boolean);
    out.push(
      step('timeouts', firstSent, parts.join(' and '), sorted.map(eventEvidence), {
        linkedBy: 'time',
        linkNote:
          'failed requests in flight between the session loss or loop start and the recovery, with the rest of ' +
          'their outage; the step\'s time is when the first of them was sent (time logged minus its latency)',
        facts: { requests, slowResponses: slow, ...(failed ? { failedRequests: failed } : {}) },
      }),
    );
  }
  if (c.peerUp) {
    const u = c.peerUp;
    out.push(
      step('peer-up', u.timeUs, `the BGP session to ${peerKey(u) ?? c.subject} came back up`, [eventEvidence(u)], {
        linkedBy: c.peerDown?.match.basis ?? 'time',
        linkNote: 'the same peer, seen by the same side, up again after the drop',
        facts: { ...(peerKey(u) ? { peer: peerKey(u)! } : {}), ...(u.host ? { observer: u.host } : {}) },
      }),
    );
  }
  out.sort((a, b) => a.timeUs - b.timeUs || STEP_ORDER.indexOf(a.kind) - STEP_ORDER.indexOf(b.kind));
  for (let i = 1; i < out.length; i++) out[i]!.lagMs = (out[i]!.timeUs - out[i - 1]!.timeUs) / 1000;
  return out;
}

export function toChains(linked: LinkedChain[], book: AddressBook): Chain[] {
  return linked.map((c, i) => {
    const s = steps(c, book);
    const addresses = [...c.who.addresses];
    const subject = addresses.length ? `${c.subject} (${addresses.join(', ')})` : c.subject;
    const chain: Chain = {
      id: `chain-${i + 1}`,
      subject,
      steps: s,
      start: s[0]!.time,
      end: s[s.length - 1]!.time,
      summary: '',
      ...(addresses.length ? { subjectAddresses: addresses, subjectAddressSource: c.who.source } : {}),
    };
    chain.summary = describeChain(chain);
    return chain;
  });
}
