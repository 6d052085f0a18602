/**
 * `kubectl describe pod` output. Two kinds of evidence:
 * - the Events table (`Type Reason Age From Message`), whose ages are relative ("2m", "5m (x3 over 10m)"):
 *   they become instants against the time describe ran (the caller's reference time, e.g. the file's mtime);
 * - each container's `Last State: Terminated` block with absolute `Started:` / `Finished:` times
 *   (`Mon, 24 Nov 2026 10:00:01 +0000`): a container-restart at Finished.
 */
import type { FormatContext, LineFormat, LogRecord } from '../types';
import { monthFromName, parseAge, stampOf } from '../timestamps';
import { kindFromReason } from './kubernetes';

const RFC1123 = /^[A-Z][a-z]{2}, (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d) ([+-]\d{4}|[A-Z]{3})$/;
const AGE = /^(\S+)(?: \(x(\d+) over (\S+)\))?$/;

interface Columns {
  reason: number;
  age: number;
  from: number;
  message: number;
}

export function createDescribeFormat(): LineFormat {
  let pod: string | undefined;
  let namespace: string | undefined;
  let columns: Columns | undefined;
  let inEvents = false;
  let container: string | undefined;
  let inLastState = false;
  let lastState: { reason?: string; exitCode?: string } = {};

  function base(): Partial<LogRecord> {
    const o: Partial<LogRecord> = {};
    if (pod) o.pod = pod;
    if (namespace) o.namespace = namespace;
    return o;
  }

  function eventRow(line: string, ctx: FormatContext): LogRecord | 'consumed' | undefined {
    if (!columns) return undefined;
    const c = columns;
    const type = line.slice(0, c.reason).trim();
    const reason = line.slice(c.reason, c.age).trim();
    const ageText = line.slice(c.age, c.from).trim();
    const from = line.slice(c.from, c.message).trim();
    const message = line.slice(c.message).trim();
    const a = AGE.exec(ageText);
    const age = a ? parseAge(a[1]) : undefined;
    if (age === undefined || !a) {
      ctx.warn(`event row with an age that is not a duration ('${ageText}') at line ${ctx.line}`);
      return 'consumed';
    }
    const count = a[2] ? Number(a[2]) : 1;
    const firstAge = a[3] ? parseAge(a[3]) : undefined;
    const rec: LogRecord = {
      ...base(), ageMs: firstAge ?? age, timeText: ageText, format: 'kubectl-describe', process: from || undefined,
      severity: type === 'Warning' ? 'warning' : 'info', message: `${reason}: ${message}`, kind: kindFromReason(reason, message, count), final: true,
    };
    if (count > 1) {
      rec.count = count;
      rec.lastAgeMs = age;
    }
    return rec;
  }

  return {
    name: 'kubectl-describe',
    parse(line: string, ctx: FormatContext) {
      if (/^\S/.test(line)) {
        inEvents = false;
        const kv = /^(Name|Namespace|Events):\s*(.*)$/.exec(line);
        if (!kv) return pod ? 'consumed' : undefined;
        // describe output starts with "Name:"; elsewhere a "Name:" line is just text.
        if (!pod && (kv[1] !== 'Name' || ctx.line > 3)) return undefined;
        if (kv[1] === 'Name') pod = kv[2];
        else if (kv[1] === 'Namespace') namespace = kv[2];
        else {
          inEvents = kv[2] === '';
          columns = undefined;
        }
        return 'consumed';
      }
      if (!pod) return undefined;
      if (inEvents) {
        if (!columns) {
          const h = /^(\s+)Type(\s+)Reason(\s+)Age(\s+)From(\s+)Message\s*$/.exec(line);
          if (h) {
            const reason = line.indexOf('Reason');
            columns = { reason, age: line.indexOf('Age', reason), from: line.indexOf('From', reason), message: line.indexOf('Message', reason) };
          }
          return 'consumed';
        }
        if (/^\s+-{4}/.test(line)) return 'consumed';
        if (line.trim() === '') return 'consumed';
        return eventRow(line, ctx);
      }
      // Containers: two-space indented "name:" opens a container block.
      const cn = /^ {2}([a-z0-9][-a-z0-9.]*):\s*$/.exec(line);
      if (cn) {
        container = cn[1];
        inLastState = false;
        return 'consumed';
      }
      const ls = /^\s+Last State:\s+(\w+)/.exec(line);
      if (ls) {
        inLastState = ls[1] === 'Terminated';
        lastState = {};
        return 'consumed';
      }
      if (inLastState) {
        const f = /^\s+(Reason|Exit Code|Started|Finished):\s+(.*)$/.exec(line);
        if (!f) {
          inLastState = /^\s{6,}/.test(line);
          return 'consumed';
        }
        if (f[1] === 'Reason') lastState.reason = f[2];
        else if (f[1] === 'Exit Code') lastState.exitCode = f[2];
        else if (f[1] === 'Finished') {
          inLastState = false;
          const t = RFC1123.exec(f[2].trim());
          const stamp = t ? stampOf(Number(t[3]), monthFromName(t[2]), Number(t[1]), Number(t[4]), Number(t[5]), Number(t[6]), undefined, t[7]) : undefined;
          if (!stamp) {
            ctx.warn(`unreadable Finished time '${f[2].trim()}' at line ${ctx.line}`);
            return 'consumed';
          }
          const rec: LogRecord = {
            ...base(), stamp, timeText: f[2].trim(), format: 'kubectl-describe', kind: 'container-restart', final: true,
            severity: 'warning', toState: 'exited',
            message: `container ${container ?? '?'} last terminated: ${lastState.reason ?? 'unknown reason'}${lastState.exitCode ? ` (exit code ${lastState.exitCode})` : ''}`,
          };
          if (container) rec.container = container;
          return rec;
        }
      }
      return 'consumed';
    },
  };
}
