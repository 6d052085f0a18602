/**
 * User-defined formats, for logs this tool does not know: a regular expression (RE2 syntax) with named groups
 * (`time` required; `level`, `msg`, `host`, `process`, `pod`, `namespace`, `container`, `peer`, `latency` (ms),
 * `kind` optional) and how `time` is written: tokens YYYY YY MMM MM M DD D HH H mm ss S...(fraction) Z (offset),
 * or `epoch-s` / `epoch-ms` / `epoch-us` / `epoch-ns`; absent = ISO-8601, syslog `Mmm dd hh:mm:ss`, or epoch digits.
 * Lines that match are events: of the `kind` group's kind when it names one, else slow-response when `latency`
 * reaches the slow-response threshold, else of the kind a classifier finds in `msg`, else 'other'.
 */
import { RE2JS } from 're2js';
import { EVENT_KINDS } from '../../model/events';
import type { EventKind } from '../../model/events';
import type { CustomLogFormat } from '../../model/analysis';
import type { LineFormat, LogRecord } from '../types';
import type { Stamp } from '../timestamps';
import { monthFromName, parseIsoStamp, stampFromEpochDigits, stampOf } from '../timestamps';
import { escapeRegExp, severityFromWord } from './common';
import { DEFAULT_SLOW_RESPONSE_MS } from './app';

type TimeParser = (text: string) => Stamp | undefined;

const TOKENS: [string, string, string][] = [
  ['YYYY', '(?<Y>\\d{4})', 'Y'], ['YY', '(?<y>\\d\\d)', 'y'], ['MMMM', '(?<N>[A-Za-z]+)', 'N'], ['MMM', '(?<N>[A-Za-z]{3})', 'N'],
  ['MM', '(?<M>\\d\\d)', 'M'], ['M', '(?<M>\\d{1,2})', 'M'], ['DD', '(?<D>\\d\\d)', 'D'], ['D', '(?<D>\\s?\\d{1,2})', 'D'],
  ['HH', '(?<h>\\d\\d)', 'h'], ['H', '(?<h>\\d{1,2})', 'h'], ['mm', '(?<m>\\d\\d)', 'm'], ['ss', '(?<s>\\d\\d)', 's'],
  ['ZZ', '(?<z>Z|[+-]\\d\\d:?\\d\\d)', 'z'], ['Z', '(?<z>Z|[+-]\\d\\d:?\\d\\d)', 'z'],
];

/** Compiles a timeFormat such as "YYYY-MM-DD HH:mm:ss.SSS" into a parser. Throws on a pattern it cannot use. */
export function compileTimeFormat(fmt: string | undefined): TimeParser {
  if (!fmt) return autoTime;
  const epoch = /^epoch-(s|ms|us|ns)$/.exec(fmt);
  if (epoch) return (t) => stampFromEpochDigits(t.trim(), epoch[1] as 's' | 'ms' | 'us' | 'ns');
  let src = '';
  const seen = new Set<string>();
  for (let i = 0; i < fmt.length;) {
    if (fmt[i] === 'S') {
      let j = i;
      while (fmt[j] === 'S') j++;
      src += '(?<f>\\d{1,9})';
      seen.add('f');
      i = j;
      continue;
    }
    const tok = TOKENS.find(([t]) => fmt.startsWith(t, i));
    if (tok && !seen.has(tok[2])) {
      src += tok[1];
      seen.add(tok[2]);
      i += tok[0].length;
      continue;
    }
    src += escapeRegExp(fmt[i]);
    i++;
  }
  if (!seen.has('h') || (!seen.has('M') && !seen.has('N')) || !seen.has('D')) {
    throw new Error(`time format '${fmt}' needs at least a month (MM or MMM), a day (DD) and an hour (HH)`);
  }
  const re = new RegExp(`^${src}$`);
  return (text) => {
    const g = re.exec(text.trim())?.groups;
    if (!g) return undefined;
    const year = g.Y ? Number(g.Y) : g.y ? 2000 + Number(g.y) : undefined;
    const month = g.N ? monthFromName(g.N) : Number(g.M);
    return stampOf(year, month, Number(g.D), Number(g.h), Number(g.m ?? 0), Number(g.s ?? 0), g.f, g.z);
  };
}

const BSD = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?$/;

function autoTime(text: string): Stamp | undefined {
  const t = text.trim();
  const iso = parseIsoStamp(t.replace(/^(\d{4})\/(\d\d)\/(\d\d)/, '$1-$2-$3'));
  if (iso) return iso;
  const b = BSD.exec(t);
  if (b) return stampOf(undefined, monthFromName(b[1]), Number(b[2]), Number(b[3]), Number(b[4]), Number(b[5]), b[6]);
  const e = /^(\d{10})(\d{3})?(\d{3})?(\d{3})?$/.exec(t);
  if (e) return stampFromEpochDigits(t, (['s', 'ms', 'us', 'ns'] as const)[[e[2], e[3], e[4]].filter(Boolean).length]);
  return undefined;
}

/**
 * A user's pattern on RE2's linear-time engine (re2js, a pure-JavaScript port: no native build). V8's backtracking
 * engine can take exponential time on patterns like `^(a+)+$`, and a pattern from settings must never hang the worker.
 * RE2 accepts the usual syntax, named groups included, but not lookaround or backreferences; it says so on compile.
 */
function compileUserPattern(f: CustomLogFormat): { exec(line: string): Record<string, string> | undefined } {
  let re: RE2JS;
  try {
    re = RE2JS.compile(f.pattern);
  } catch (e) {
    throw new Error(`custom log format '${f.name}': invalid regular expression for the linear-time (RE2) engine, which has no lookaround or backreferences: ${(e as Error).message}`);
  }
  const names = Object.entries(re.namedGroups() as Record<string, number>);
  return {
    exec(line) {
      const m = re.matcher(line);
      if (!m.find()) return undefined;
      const groups: Record<string, string> = {};
      for (const [name, index] of names) {
        const v = m.group(index);
        if (v !== null && v !== undefined) groups[name] = v;
      }
      return groups;
    },
  };
}

/** Validates and compiles user formats; throws an Error naming the format and the problem. */
export function createCustomFormats(formats: CustomLogFormat[], slowResponseMs = DEFAULT_SLOW_RESPONSE_MS): LineFormat[] {
  return formats.map((f) => {
    if (!f.pattern.includes('(?<time>') && !f.pattern.includes('(?P<time>')) throw new Error(`custom log format '${f.name}': the pattern needs a named group (?<time>...)`);
    const re = compileUserPattern(f);
    const parseTime = compileTimeFormat(f.timeFormat);
    return {
      name: f.name,
      parse(line: string): LogRecord | undefined {
        const g = re.exec(line);
        if (!g || g.time === undefined) return undefined;
        const stamp = parseTime(g.time);
        if (!stamp) return undefined;
        const rec: LogRecord = { stamp, timeText: g.time, format: f.name, severity: severityFromWord(g.level), message: g.msg ?? line };
        for (const k of ['host', 'process', 'pod', 'namespace', 'container', 'peer'] as const) if (g[k]) rec[k] = g[k];
        if (g.latency && Number.isFinite(Number(g.latency))) rec.latencyMs = Number(g.latency);
        if (g.kind && (EVENT_KINDS as readonly string[]).includes(g.kind)) rec.kind = g.kind as EventKind;
        else if (rec.latencyMs !== undefined && rec.latencyMs >= slowResponseMs) rec.kind = 'slow-response';
        return rec;
      },
    };
  });
}
