/**
 * BIRD 1.x / 2.x log files: `2026-11-24 10:00:01.123 <INFO> node_a: State changed to up` (BIRD 2 default) or
 * `24-11-2026 10:00:01 <INFO> ...` (BIRD 1 default). Protocol state changes are logged with
 * `debug protocols { states }`; a BGP protocol goes up -> stop -> flush -> down -> start.
 * BIRD names sessions by protocol name, not address: the address comes from its "Connecting to" line when present.
 * Without that debug option BIRD writes no state lines at all: then a NOTIFICATION line is the peer-down.
 */
import type { Classification, Classifier, ClassifierAnchors, LineFormat, LogRecord } from '../types';
import { stampOf } from '../timestamps';
import { severityFromWord } from './common';

const BIRD_LINE = /^(?:(\d{4})-(\d\d)-(\d\d)|(\d\d)-(\d\d)-(\d{4})) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? <([A-Z]+)> (.*)$/;
const STATE = /^([\w.-]+): State changed to (\w+)$/;
const CONNECTING = /^([\w-]+): Connecting to (\S+)/;
/** A BGP NOTIFICATION received from the peer or sent to it; either closes the session. */
const NOTIFICATION = /^([\w-]+): (?:Received|Error): (.+)$/;
/** Lines that only BGP protocols write; device/kernel/static protocols also log state changes. */
const BGP_HINT = /^([\w-]+): (?:BGP session|Connect delayed|Connecting to|Received: |Sending |Incoming connection)/;

/** Stateless rule for BIRD lines that arrive through syslog: up is up, stop means leaving up. */
export function birdState(proto: string, to: string): Classification {
  const kind = to === 'up' ? 'bgp-peer-up' : to === 'stop' ? 'bgp-peer-down' : 'bgp-state-change';
  return { kind, toState: to, peerName: proto, format: 'bird' };
}

/** Results come from STATE (which holds 'State changed to') or from the 'BIRD ... ready.' / 'Started' lines. */
export const birdAnchors: ClassifierAnchors = { anywhere: ['State changed to'], atStart: ['BIRD ', 'Started$'] };

export const birdClassifier: Classifier = (message, rec) => {
  if (rec.process !== 'bird' && rec.process !== 'bird6') return undefined;
  const m = STATE.exec(message);
  if (m && !m[1].includes('.')) return birdState(m[1], m[2]);
  if (/^BIRD [\d.]+ ready\.$|^Started$/.test(message)) return { kind: 'process-restart', toState: 'started' };
  return undefined;
};

/** Per file: each protocol's last state and peer address, so that only a stop from up is a peer-down. */
export function createBirdFormat(): LineFormat {
  const last = new Map<string, string>();
  const address = new Map<string, string>();
  const bgp = new Set<string>();
  return {
    name: 'bird',
    parse(line: string): LogRecord | undefined {
      const m = BIRD_LINE.exec(line);
      if (!m) return undefined;
      const year = Number(m[1] ?? m[6]);
      const stamp = stampOf(year, Number(m[2] ?? m[5]), Number(m[3] ?? m[4]), Number(m[7]), Number(m[8]), Number(m[9]), m[10]);
      if (!stamp) return undefined;
      const message = m[12];
      const rec: LogRecord = {
        stamp, timeText: line.slice(0, 19 + (m[10] ? m[10].length + 1 : 0)), format: 'bird', process: 'bird',
        severity: severityFromWord(m[11]) ?? 'debug', message, final: true,
      };
      const hint = BGP_HINT.exec(message);
      if (hint) bgp.add(hint[1]);
      const conn = CONNECTING.exec(message);
      if (conn) address.set(conn[1], conn[2]);
      const st = STATE.exec(message);
      if (st && !st[1].includes('.')) {
        const [, proto, to] = st;
        const from = last.get(proto);
        last.set(proto, to);
        if (!bgp.has(proto) && /^(?:device|kernel|direct|static|bfd|rpki)/i.test(proto)) return rec;
        const c = birdState(proto, to);
        if (to === 'stop' && from !== undefined && from !== 'up') c.kind = 'bgp-state-change';
        if (from !== undefined) c.fromState = from;
        Object.assign(rec, c);
        const peer = address.get(proto);
        if (peer) rec.peer = peer;
        rec.severity = c.kind === 'bgp-state-change' ? 'info' : c.kind === 'bgp-peer-down' ? 'warning' : 'notice';
      } else if (last.size === 0 && NOTIFICATION.test(message)) {
        // Without `debug protocols { states }` BIRD writes no state lines; a NOTIFICATION received from the peer
        // ("Received: ...") or sent to it ("Error: ...") is then the only sign that the session closed.
        const n = NOTIFICATION.exec(message);
        if (n) {
          Object.assign(rec, { kind: 'bgp-peer-down', toState: 'down', peerName: n[1], severity: 'warning' });
          const peer = address.get(n[1]);
          if (peer) rec.peer = peer;
        }
      } else if (message === 'Started' || /^BIRD [\d.]+ ready\.$/.test(message)) {
        rec.kind = 'process-restart';
        rec.toState = 'started';
      } else if (message === 'Shutting down') {
        rec.kind = 'process-restart';
        rec.toState = 'stopping';
      }
      return rec;
    },
  };
}
