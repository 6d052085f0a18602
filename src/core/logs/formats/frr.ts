/**
 * FRR daemons' log files: `2026/11/24 10:00:01[.123456] BGP: [M59KS-A3ZXZ][EC 33554499] message`.
 * The fraction follows `log timestamp precision` (0..6 digits); FRR 8+ adds a `[XXXXX-XXXXX]` message id, older
 * versions do not. Through syslog the same message arrives as `bgpd[123]: [XXXXX-XXXXX] %ADJCHANGE: ...`.
 */
import type { Classifier, ClassifierAnchors, LineFormat, LogRecord } from '../types';
import { stampOf } from '../timestamps';

const FRR_LINE = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ([A-Z][A-Z0-9]*): (?:\[([A-Z0-9]{5}-[A-Z0-9]{5})\])?(?:\[EC \d+\])? ?(.*)$/;

/** FRR names its daemons by protocol in file logs; the process is what people grep for. */
const PROTOCOL_PROCESS: Record<string, string> = {
  BGP: 'bgpd', ZEBRA: 'zebra', OSPF: 'ospfd', OSPF6: 'ospf6d', STATIC: 'staticd', BFD: 'bfdd', WATCHFRR: 'watchfrr', ISIS: 'isisd',
};

export function createFrrFormat(): LineFormat {
  return {
    name: 'frr',
    parse(line: string): LogRecord | undefined {
      const m = FRR_LINE.exec(line);
      if (!m) return undefined;
      const stamp = stampOf(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7]);
      if (!stamp) return undefined;
      return {
        stamp, timeText: line.slice(0, 19 + (m[7] ? m[7].length + 1 : 0)), format: 'frr',
        process: PROTOCOL_PROCESS[m[8]] ?? m[8].toLowerCase(), message: m[10],
      };
    },
  };
}

// %ADJCHANGE: neighbor 10.0.12.2(node-3) in vrf default Down Peer closed the session
// (older: "%ADJCHANGE: neighbor 10.0.12.2 Up"; unnumbered peers are written as the interface name)
// (the address cannot hold '(' or spaces: no backtracking over long lines)
const ADJCHANGE = /(?:^|\s|\])%ADJCHANGE: neighbor ([^\s(]+)(?:\(([^)\s]*)\))?(?: in vrf (\S+))? (Up|Down)\b/;
const STARTING = /^BGPd [\w.~-]+ starting: /;
const TERMINATING = /^Terminating on signal/;

/** Each result needs '%ADJCHANGE' (tested first, and ADJCHANGE holds it), or STARTING's / TERMINATING's first words. */
export const frrAnchors: ClassifierAnchors = { anywhere: ['%ADJCHANGE'], atStart: ['BGPd ', 'Terminating on signal'] };

export const frrClassifier: Classifier = (message) => {
  if (message.includes('%ADJCHANGE')) {
    const m = ADJCHANGE.exec(message);
    if (!m) return undefined;
    const c = { kind: m[4] === 'Up' ? 'bgp-peer-up' : 'bgp-peer-down', peer: m[1], toState: m[4], format: 'frr' } as const;
    // FRR writes "(Unknown)" when the peer sent no hostname capability.
    return m[2] && m[2] !== 'Unknown' ? { ...c, peerName: m[2] } : { ...c };
  }
  if (STARTING.test(message)) return { kind: 'process-restart', toState: 'started', process: 'bgpd' };
  if (TERMINATING.test(message)) return { kind: 'process-restart', toState: 'stopping' };
  return undefined;
};
