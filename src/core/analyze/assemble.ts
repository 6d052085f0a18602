/**
 * Per-capture findings -> the Report's loops and impact: episodes of all captures numbered "loop-1"... in
 * start order, and the impact lists pointed at those ids.
 */
import { MAX_FLOWS_LISTED, MAX_STALLS_LISTED, type CaptureImpact } from '../detect/impact';
import type { FlowImpact, Impact, LoopEpisode, TcpStall } from '../model/loops';

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
  addStallsSeenElsewhere(perCapture, stalls, flows);
  flows.sort((a, b) => b.loops.length - a.loops.length || b.longestStallMs - a.longestStallMs || b.retransmissions - a.retransmissions);
  stalls.sort((a, b) => a.startUs - b.startUs);
  if (flows.length > MAX_FLOWS_LISTED) flows.length = MAX_FLOWS_LISTED;
  if (stalls.length > MAX_STALLS_LISTED) stalls.length = MAX_STALLS_LISTED;
  return { loops: all, impact };
}

/**
 * A loop seen in one capture hurts flows that another capture shows (the switch link has the loop, the client's
 * link the timeouts). Stalls in other captures that overlap an episode in time are tied to it, and their flows
 * count among its hurt flows once (a flow seen in both captures is the same flow: same endpoints).
 */
function addStallsSeenElsewhere(perCapture: CaptureFindings[], stalls: TcpStall[], flows: FlowImpact[]): void {
  const flowByKey = new Map(flows.map((f) => [`${f.capture}\n${f.flow}`, f]));
  perCapture.forEach((c) => {
    c.episodes.forEach((ep, k) => {
      const own = c.impact.episodeFlows[k]!;
      for (const s of stalls) {
        if (s.capture === ep.capture || s.startUs > ep.endUs || s.startUs + s.durationMs * 1000 < ep.startUs) continue;
        if (!s.loops.includes(ep.id)) s.loops.push(ep.id);
        const f = flowByKey.get(`${s.capture}\n${s.flow}`);
        if (f && !f.loops.includes(ep.id)) f.loops.push(ep.id);
        if (own.flows.has(s.flow)) continue;
        own.flows.add(s.flow);
        own.clients.add(s.flow.slice(0, s.flow.lastIndexOf(':', s.flow.indexOf(' -> '))).replace(/^\[|\]$/g, ''));
        ep.impact.stalls++;
        ep.impact.longestStallMs = Math.max(ep.impact.longestStallMs, s.durationMs);
      }
      ep.impact.flowsHurt = own.flows.size;
      ep.impact.clientsHurt = own.clients.size;
    });
  });
}
