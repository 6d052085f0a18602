/**
 * Per-capture findings -> the Report's loops and impact: episodes of all captures numbered "loop-1"... in
 * start order, and the impact lists pointed at those ids.
 */
import type { CaptureImpact } from '../detect/impact';
import type { FlowImpact, Impact, LoopEpisode, TcpStall } from '../model/loops';

/** Report-wide caps of the impact lists (the totals still count everything). */
const MAX_FLOWS = 2000;
const MAX_STALLS = 10_000;

export interface CaptureFindings {
  episodes: LoopEpisode[];
  impact: CaptureImpact;
  icmpTimeExceeded: number;
}

export function assembleFindings(perCapture: CaptureFindings[], stallThresholdMs: number): { loops: LoopEpisode[]; impact: Impact } {
  const all = perCapture.flatMap((c) => c.episodes);
  all.sort((a, b) => a.startUs - b.startUs || a.endUs - b.endUs || (a.capture < b.capture ? -1 : a.capture > b.capture ? 1 : 0));
  all.forEach((ep, i) => {
    ep.id = `loop-${i + 1}`;
  });
  const flows: FlowImpact[] = [];
  const stalls: TcpStall[] = [];
  const impact: Impact = { tcpFlows: 0, retransmissions: 0, stalls, flows, flowsTotal: 0, icmpTimeExceeded: 0, stallThresholdMs };
  for (const c of perCapture) {
    const idOf = (k: number): string => c.episodes[k]!.id;
    impact.tcpFlows += c.impact.tcpFlows;
    impact.retransmissions += c.impact.retransmissions;
    impact.flowsTotal += c.impact.flowsTotal;
    impact.icmpTimeExceeded += c.icmpTimeExceeded;
    for (const { loopIndices, ...f } of c.impact.flows) flows.push({ ...f, loops: loopIndices.map(idOf) });
    for (const { loopIndices, ...s } of c.impact.stalls) stalls.push({ ...s, loops: loopIndices.map(idOf) });
  }
  flows.sort((a, b) => b.loops.length - a.loops.length || b.longestStallMs - a.longestStallMs || b.retransmissions - a.retransmissions);
  stalls.sort((a, b) => a.startUs - b.startUs);
  if (flows.length > MAX_FLOWS) flows.length = MAX_FLOWS;
  if (stalls.length > MAX_STALLS) stalls.length = MAX_STALLS;
  return { loops: all, impact };
}
