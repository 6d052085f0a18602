/**
 * Options about reading logs that `events` and `analyze` share: one definition of their syntax, checks and messages,
 * so both commands accept and refuse exactly the same things.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { RE2JS } from 're2js';
import { UsageError } from './command';
import type { CustomLogFormat } from '../core/model/analysis';
import { zoneFor } from '../core/logs/timestamps';
import { compileTimeFormat } from '../core/logs/formats/custom';

/** node:util parseArgs with its errors turned into usage errors (shown with the command's usage, exit 1). */
export function parseCliArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, allowPositionals: true, options, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

export const LOG_OPTION_SPEC = {
  year: { type: 'string' },
  tz: { type: 'string' },
  'clock-offset': { type: 'string', multiple: true },
  'format-regex': { type: 'string', multiple: true },
  'time-format': { type: 'string' },
} as const;

export const LOG_OPTIONS_USAGE = `  --year <Y>              year of the first line of files whose timestamps have none (default: inferred
                          from the file's other lines, else from its modification time)
  --tz <zone>             zone of timestamps written without one: IANA name (Europe/Berlin) or +02:00; default UTC
  --clock-offset [<file>=]<ms>
                          add ms to the times of <file> (or of every file): fixes a skewed clock; repeatable
  --format-regex <re>     a format of your own: a regular expression with named groups, (?<time>...) required,
                          (?<level>) (?<msg>) (?<host>) (?<peer>) (?<latency>) (?<kind>) optional; repeatable
  --time-format <fmt>     how (?<time>) is written, e.g. "YYYY-MM-DD HH:mm:ss.SSS", "MMM D HH:mm:ss", epoch-ms`;

export interface LogOptionValues {
  year?: string;
  tz?: string;
  'clock-offset'?: string[];
  'format-regex'?: string[];
  'time-format'?: string;
}

export interface LogOptions {
  year?: number;
  timeZone?: string;
  /** Clock offsets in ms by file path as given; '*' applies to every file without its own. */
  offsets: Map<string, number>;
  customFormats: CustomLogFormat[];
}

export function parseLogOptions(values: LogOptionValues): LogOptions {
  const out: LogOptions = { offsets: new Map(), customFormats: [] };
  if (values.year !== undefined) {
    if (!/^\d{4}$/.test(values.year)) throw new UsageError(`--year wants a four-digit year, not '${values.year}'`);
    out.year = Number(values.year);
  }
  if (values.tz !== undefined) {
    try {
      zoneFor(values.tz);
    } catch (e) {
      throw new UsageError(`--tz: ${(e as Error).message}`);
    }
    out.timeZone = values.tz;
  }
  for (const o of values['clock-offset'] ?? []) {
    const m = /^(?:(.+)=)?(-?\d+(?:\.\d+)?)$/.exec(o);
    if (!m) throw new UsageError(`--clock-offset wants [<file>=]<ms>, not '${o}'`);
    out.offsets.set(m[1] ?? '*', Number(m[2]));
  }
  if (values['time-format'] !== undefined && !values['format-regex']) throw new UsageError('--time-format only applies to --format-regex');
  out.customFormats = (values['format-regex'] ?? []).map((pattern, i) => {
    const f: CustomLogFormat = { name: `custom-${i + 1}`, pattern };
    if (values['time-format'] !== undefined) f.timeFormat = values['time-format'];
    return f;
  });
  for (const f of out.customFormats) {
    try {
      // The same linear-time engine the log reader runs user patterns on (no lookaround, no backreferences).
      RE2JS.compile(f.pattern);
    } catch (e) {
      throw new UsageError(`--format-regex: not a regular expression RE2 accepts (no lookaround or backreferences): ${(e as Error).message}`);
    }
    if (!f.pattern.includes('(?<time>')) throw new UsageError('--format-regex needs a named group (?<time>...)');
    try {
      compileTimeFormat(f.timeFormat);
    } catch (e) {
      throw new UsageError(`--time-format: ${(e as Error).message}`);
    }
  }
  return out;
}
