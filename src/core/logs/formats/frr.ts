/**
 * FRR daemons' log files: `2026/11/24 10:00:01[.123456] BGP: [M59KS-A3ZXZ][EC 33554499] message`.
 * The fraction follows `log timestamp precision` (0..6 digits); FRR 8+ adds a `[XXXXX-XXXXX]` message id, older
 * versions do not. Through syslog the same message arrives as `bgpd[123]: [XXXXX-XXXXX] %ADJCHANGE: ...`.
 */
import type { Classifier, ClassifierAnchors, LineFormat, LogRecord } from '../types';
import { digits2, nanosAt, stampOfNanos } from '../timestamps';

const FRR_LINE = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d{1,9})? [A-Z][A-Z0-9]*: (?:\[[A-Z0-9]{5}-[A-Z0-9]{5}\])?(?:\[EC \d+\])? ?.*$/;
/** The optional parts after `PROTOCOL: `, each taken when present (as the greedy pattern does). */
const MESSAGE_ID = /\[[A-Z0-9]{5}-[A-Z0-9]{5}\]/y;
const ERROR_CODE = /\[EC \d+\]/y;

/** FRR names its daemons by protocol in file logs; the process is what people grep for. */
const PROTOCOL_PROCESS: Record<string, string> = {
  BGP: 'bgpd', ZEBRA: 'zebra', OSPF: 'ospfd', OSPF6: 'ospf6d', STATIC: 'staticd', BFD: 'bfdd', WATCHFRR: 'watchfrr', ISIS: 'isisd',
};

export function createFrrFormat(): LineFormat {
  return {
    name: 'frr',
    parse(line: string): LogRecord | undefined {
      // The pattern checks the shape; the fields are then read where they are (no match array, no substring per
      // field: this runs on every line of a bgpd log). A '.' after the seconds is always the fraction's, which
      // runs to the space before the protocol.
      if (!FRR_LINE.test(line)) return undefined;
      let p = 19;
      let nanos = 0;
      if (line.charCodeAt(19) === 46 /* . */) {
        p = line.indexOf(' ', 20);
        nanos = nanosAt(line, 20, p);
      }
      const stamp = stampOfNanos(
        digits2(line, 0) * 100 + digits2(line, 2), digits2(line, 5), digits2(line, 8), digits2(line, 11), digits2(line, 14), digits2(line, 17), nanos,
      );
      if (!stamp) return undefined;
      const colon = line.indexOf(':', p + 1);
      const protocol = line.slice(p + 1, colon);
      let start = colon + 2;
      MESSAGE_ID.lastIndex = start;
      if (MESSAGE_ID.test(line)) start = MESSAGE_ID.lastIndex;
      ERROR_CODE.lastIndex = start;
      if (ERROR_CODE.test(line)) start = ERROR_CODE.lastIndex;
      if (line.charCodeAt(start) === 32) start++;
      return {
        stamp, timeText: line.slice(0, p), format: 'frr',
        process: PROTOCOL_PROCESS[protocol] ?? protocol.toLowerCase(), message: line.slice(start),
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
