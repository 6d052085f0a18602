/**
 * GoBGP (gobgpd) logs through logrus: JSON by default, `key=value` text with `--log-plain`:
 *   time="2026-11-25T08:28:30Z" level=info msg="Peer Down" Key=10.99.2.3 Reason=dying State=BGP_FSM_ESTABLISHED Topic=Peer
 *   {"Key":"10.99.2.3","State":"BGP_FSM_OPENCONFIRM","Topic":"Peer","level":"info","msg":"Peer Up","time":"..."}
 * `State` in Peer Up/Down is the state before the change. Other logrus/logfmt programs share the text framing.
 */
import type { Classification, Classifier, ClassifierAnchors, LineFormat, LogRecord } from '../types';
import { parseIsoStamp } from '../timestamps';
import { severityFromWord } from './common';
import { LogfmtFields } from './logfmt';
import type { LogFields } from './logfmt';

/** Turns logrus fields (text or JSON, values as strings) into a record; undefined if there is no usable time. */
export function logrusRecord(fields: LogFields, timeKey: string, textFormat: boolean): LogRecord | undefined {
  const timeText = fields.get(timeKey);
  const stamp = timeText ? parseIsoStamp(timeText) : undefined;
  if (!stamp || !timeText) return undefined;
  const msg = fields.get('msg') ?? fields.get('message') ?? '';
  const isGobgp = fields.has('Topic') || fields.has('Key') || /^gobgpd |gobgpd server$/.test(msg);
  const rec: LogRecord = {
    stamp, timeText, severity: severityFromWord(fields.get('level')),
    format: isGobgp ? (textFormat ? 'gobgp-text' : 'gobgp-json') : textFormat ? 'logfmt' : 'json',
    message: msg,
  };
  if (isGobgp) {
    rec.process = 'gobgpd';
    rec.final = true;
    const decision = gobgpDecision(msg, fields);
    if (decision) Object.assign(rec, decision);
    // GoBGP lines are decided here: the message with its fields only matters for events.
    if (!rec.kind) return rec;
  }
  const extras: string[] = [];
  for (const [k, v] of fields) if (k !== timeKey && k !== 'level' && k !== 'msg' && k !== 'message') extras.push(`${k}=${v}`);
  if (extras.length) rec.message = `${msg} ${extras.join(' ')}`;
  return rec;
}

/** What a GoBGP message says, for the few that are events (undefined for the rest: most lines). */
function gobgpDecision(msg: string, f: LogFields): Partial<LogRecord> | undefined {
  switch (msg) {
    case 'Peer Down': {
      const o: Partial<LogRecord> = { kind: 'bgp-peer-down', toState: 'down', severity: 'warning' };
      if (f.get('State')) o.fromState = f.get('State');
      return withPeer(o, f);
    }
    case 'Peer Up':
      return withPeer({ kind: 'bgp-peer-up', toState: 'established', severity: 'notice' }, f);
    case 'state changed':
    case 'State changed': {
      const to = f.get('new') ?? f.get('New');
      if (!to) return undefined;
      const o: Partial<LogRecord> = { kind: 'bgp-state-change', toState: to };
      const from = f.get('old') ?? f.get('Old');
      if (from) o.fromState = from;
      return withPeer(o, f);
    }
    case 'gobgpd started':
      return { kind: 'process-restart', toState: 'started' };
    case 'stopping gobgpd server':
      return { kind: 'process-restart', toState: 'stopping' };
    default:
      return undefined;
  }
}

/** The decision with the peer's address when the line names one (GoBGP's Key field). */
function withPeer(o: Partial<LogRecord>, f: LogFields): Partial<LogRecord> {
  const peer = f.get('Key');
  return peer ? { ...o, peer } : o;
}

export function createLogfmtFormat(): LineFormat {
  return {
    name: 'logfmt',
    parse(line: string) {
      if (!line.startsWith('time=') && !line.includes(' msg=')) return undefined;
      const fields = new LogfmtFields(line);
      if (!fields.has('msg') && !fields.has('message')) return undefined;
      const timeKey = fields.has('time') ? 'time' : fields.has('ts') ? 'ts' : undefined;
      return timeKey ? logrusRecord(fields, timeKey, true) : undefined;
    },
  };
}

// GoBGP embedded in another program (kube-router logs its messages through klog): "Peer Down" / "Peer Up" with Key=<address>.
const EMBEDDED = /\bPeer (Up|Down)\b/;

/** Every result needs EMBEDDED to match, and EMBEDDED holds 'Peer Up' or 'Peer Down'. */
export const gobgpMessageAnchors: ClassifierAnchors = { anywhere: ['Peer (?:Up|Down)'] };

export const gobgpMessageClassifier: Classifier = (message) => {
  const m = EMBEDDED.exec(message);
  if (!m) return undefined;
  const key = /\bKey[=:]"?([0-9A-Fa-f.:]+)/.exec(message);
  const c: Classification = { kind: m[1] === 'Up' ? 'bgp-peer-up' : 'bgp-peer-down', toState: m[1] === 'Up' ? 'established' : 'down' };
  if (key) c.peer = key[1];
  return c;
};
