/**
 * A Report as text for a terminal: what was read, then one paragraph per loop episode (when, how long, which
 * routers, how many packets, TTL step, impact), then the problems found in the inputs. Plain text, no colour.
 */
import { terminalSummary } from '../correlate/index';
import type { LoopEpisode } from '../model/loops';
import type { Report } from '../model/report';

export interface ReportTextOptions {
  /** IANA zone or "+02:00" for the times shown (default UTC). Times in the Report itself are always UTC. */
  timeZone?: string;
}

/** Throws a RangeError naming the zone when Intl does not know it (the CLI turns that into a usage error). */
export function timeFormatter(timeZone = 'UTC'): (us: number) => string {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    fractionalSecondDigits: 3, hourCycle: 'h23', timeZoneName: 'short',
  });
  return (us) => {
    const parts = Object.fromEntries(fmt.formatToParts(new Date(Math.floor(us / 1000))).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${parts.fractionalSecond} ${parts.timeZoneName}`;
  };
}

const count = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function episodeParagraph(ep: LoopEpisode, when: (us: number) => string): string {
  const between = ep.macPairs.length > 0
    ? `between ${[...new Set(ep.macPairs.flatMap((m) => [m.srcMac, m.dstMac]).filter((m) => m !== ''))].join(' and ') || 'unknown link addresses'}`
    : 'on an unknown link';
  const routers = ep.routers.length > 0 ? ` (routers ${ep.routers.join(', ')})` : '';
  const vlan = ep.vlan !== null ? ` on VLAN ${ep.vlan}` : '';
  const im = ep.impact;
  const hurt = im.flowsHurt > 0
    ? `${count(im.flowsHurt, 'TCP flow')} from ${count(im.clientsHurt, 'client')} hurt (${count(im.retransmissions, 'retransmission')}, ${count(im.stalls, 'stall')}` +
      `${im.longestStallMs > 0 ? `, longest ${durationText(im.longestStallMs)}` : ', never answered'})`
    : 'no TCP flow seen hurt';
  return [
    `${ep.id}  ${when(ep.startUs)}  lasted ${durationText(ep.durationMs)}  [${ep.capture}, frames ${ep.firstFrame}-${ep.lastFrame}]`,
    `  Routing loop ${between}${routers}${vlan}: TTL step ${ep.ttlStep} (${ep.ttlStep} hops per turn).`,
    `  ${count(ep.loopedPackets, 'distinct packet')} caught, seen ${count(ep.sightings, 'time')} (up to ${ep.maxReplicas} each), ` +
      `to ${ep.destinationPrefixes.join(', ') || 'unknown destinations'} (${count(ep.destinations, 'destination')} from ${count(ep.sources, 'source')}); ` +
      `${count(ep.icmpTimeExceeded, 'ICMP time-exceeded message')}.`,
    `  Impact: ${count(im.packetsLost, 'packet')} lost in the loop; ${hurt}.`,
  ].join('\n');
}

export function reportText(report: Report, opts: ReportTextOptions = {}): string {
  const when = timeFormatter(opts.timeZone);
  const out: string[] = [];
  const captures = report.inputs.filter((i) => i.kind === 'capture');
  const packets = captures.reduce((n, c) => n + (c.kind === 'capture' ? c.packets : 0), 0);
  const logs = report.inputs.filter((i) => i.kind === 'log' && i.lines > 0);
  const unused = report.inputs.length - captures.length - logs.length;
  out.push(
    `Read ${count(captures.length, 'capture')} (${count(packets, 'packet')}) and ${count(logs.length, 'log file')} (${count(report.events.length, 'event')})` +
      `${unused > 0 ? `; ${count(unused, 'file')} not used (see the problems below)` : ''}.`,
  );
  if (report.loops.length === 0) {
    out.push('No routing loop found.');
  } else {
    out.push(`${count(report.loops.length, 'routing loop episode')} found:`, '');
    for (const ep of report.loops) out.push(episodeParagraph(ep, when), '');
  }
  const im = report.impact;
  out.push(`TCP: ${count(im.tcpFlows, 'flow')}, ${count(im.retransmissions, 'retransmission')}, ${count(im.stalls.length, 'stall')} over ${im.stallThresholdMs} ms; ${count(im.icmpTimeExceeded, 'ICMP time-exceeded message')}.`);
  if (report.events.length > 0 || report.chains.length > 0) out.push('', terminalSummary(report).trimEnd());
  const problems = report.inputs.flatMap((i) => i.problems.map((p) => {
    const place = p.byteOffset !== undefined ? `: byte ${p.byteOffset}` : p.line !== undefined ? `:${p.line}` : '';
    return `  ${p.severity}${p.fatal ? ' (reading stopped)' : ''}: ${i.path}${place}: ${p.message}`;
  }));
  if (problems.length > 0) out.push('', 'Problems in the inputs:', ...problems);
  return `${out.join('\n')}\n`;
}
