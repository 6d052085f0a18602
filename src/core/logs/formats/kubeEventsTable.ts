/**
 * `kubectl get events` as a table (the default output; `-A` adds a NAMESPACE column):
 *   LAST SEEN   TYPE      REASON      OBJECT                    MESSAGE
 *   2m          Warning   Unhealthy   pod/kube-router-x7k2p     Liveness probe failed: ...
 * Columns are found from the header's positions (kubectl pads with spaces). LAST SEEN is an age, made absolute
 * against the reference time like kubectl describe's; "(x3 over 10m)" gives the count and the first occurrence.
 */
import type { FormatContext, LineFormat, LogRecord } from '../types';
import { parseAge } from '../timestamps';
import { kindFromReason } from './kubernetes';

const HEADER = /^(?:NAMESPACE\s+)?LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\s*$/;
const AGE = /^(\S+)(?: \(x(\d+) over (\S+)\))?$/;

interface Columns {
  namespace: number;
  lastSeen: number;
  type: number;
  reason: number;
  object: number;
  message: number;
}

export function createEventsTableFormat(): LineFormat {
  let cols: Columns | undefined;
  return {
    name: 'kubectl-events-table',
    parse(line: string, ctx: FormatContext): LogRecord | 'consumed' | undefined {
      if (HEADER.test(line)) {
        cols = {
          namespace: line.startsWith('NAMESPACE') ? 0 : -1, lastSeen: line.indexOf('LAST SEEN'), type: line.indexOf('TYPE'),
          reason: line.indexOf('REASON'), object: line.indexOf('OBJECT'), message: line.indexOf('MESSAGE'),
        };
        return 'consumed';
      }
      if (!cols || line.length <= cols.message) return undefined;
      const c = cols;
      const ageText = line.slice(c.lastSeen, c.type).trim();
      const type = line.slice(c.type, c.reason).trim();
      const reason = line.slice(c.reason, c.object).trim();
      const object = line.slice(c.object, c.message).trim();
      const message = line.slice(c.message).trim();
      if (type !== 'Normal' && type !== 'Warning') return undefined;
      const a = AGE.exec(ageText);
      const age = a ? parseAge(a[1]) : undefined;
      if (!a || age === undefined) {
        ctx.warn(`event row with an age that is not a duration ('${ageText}') at line ${ctx.line}`);
        return 'consumed';
      }
      const count = a[2] ? Number(a[2]) : 1;
      const firstAge = a[3] ? parseAge(a[3]) : undefined;
      const rec: LogRecord = {
        ageMs: firstAge ?? age, timeText: ageText, format: 'kubectl-events-table', final: true,
        severity: type === 'Warning' ? 'warning' : 'info', message: `${reason}: ${message}`,
        kind: kindFromReason(reason, message, count),
      };
      if (count > 1) {
        rec.count = count;
        rec.lastAgeMs = age;
      }
      const [kind, name] = object.split('/');
      if (kind === 'pod' && name) rec.pod = name;
      if (c.namespace === 0) rec.namespace = line.slice(0, c.lastSeen).trim();
      return rec;
    },
  };
}
