/**
 * The shapes between the line reader, the format parsers and the classifier. Internal to core/logs.
 *
 * A format turns one line into a LogRecord (time as written + message + what the framing said: host, process,
 * severity...). The classifier then decides from the message whether the record is an event, and of which kind.
 * Formats that know more than the message (GoBGP's Key field, a Prometheus counter) set `fields` themselves.
 */
import type { EventKind, LogEvent, Severity } from '../model/events';
import type { Stamp } from './timestamps';

/** What a format or classifier may fill in beyond kind/time/message. */
export type EventFields = Partial<Pick<LogEvent,
  'host' | 'pod' | 'namespace' | 'container' | 'process' | 'peer' | 'peerAs' | 'peerName' | 'fromState' | 'toState' |
  'latencyMs' | 'throttledPeriods' | 'throttledMs' | 'periods' | 'intervalMs' | 'count' | 'httpStatus'>>;

export interface LogRecord extends EventFields {
  /** The time as written; `ageMs` instead for times relative to a reference (kubectl describe's "5m"). */
  stamp?: Stamp;
  ageMs?: number;
  lastAgeMs?: number;
  /** Repeated events: the last occurrence. */
  lastStamp?: Stamp;
  timeText: string;
  /** Parser that recognised the line ('klog', 'frr', ...); a classifier may name the vendor instead. */
  format: string;
  severity?: Severity;
  message: string;
  /** Decided by the format itself (structured sources); otherwise the classifier decides from the message. */
  kind?: EventKind;
  /** The format has decided: `kind` undefined then means "not an event", and the classifiers are not asked. */
  final?: boolean;
  /** Where the entry starts when not at the current line (records completed later, e.g. joined partial lines). */
  line?: number;
  byteOffset?: number;
}

/** Per-file state a format may keep between lines (partial lines, counters, table columns). */
export interface FormatContext {
  /** The file's name, for messages. */
  file: string;
  /** 1-based number and byte offset of the current line. */
  line: number;
  byteOffset: number;
  /** Report a problem with the current line without stopping. */
  warn(message: string): void;
  /** Parses text wrapped by this line (a container's own log line inside CRI / Docker / kubectl framing). */
  parseInner(text: string): LogRecord | undefined;
}

/**
 * A family's line parser. `parse` returns a record, several, 'consumed' (the line belongs to this format but
 * completes nothing yet, e.g. a CRI partial line) or undefined (not this format). `finish` flushes what is pending
 * at end of file. Instances are per file, so state never leaks between files.
 */
export interface LineFormat {
  readonly name: string;
  parse(line: string, ctx: FormatContext): LogRecord | LogRecord[] | 'consumed' | undefined;
  finish?(ctx: FormatContext): LogRecord[];
}

/** What a classifier decided about a record's message. */
export interface Classification extends EventFields {
  kind: EventKind;
  /** Vendor/format name more precise than the framing's ('junos' inside RFC 3164). */
  format?: string;
  severity?: Severity;
}

export type Classifier = (message: string, rec: LogRecord) => Classification | undefined;

/**
 * Text a message must hold for a classifier to recognise it (regular-expression sources): a necessary condition,
 * never a sufficient one. Every classifier's rules contain one of its anchors literally, so a message that holds
 * none of them is no event for that classifier, and classify.ts skips it with one scan (most lines are chatter).
 */
export interface ClassifierAnchors {
  /** Found anywhere in the message. */
  anywhere: string[];
  /** Found at the message's start. */
  atStart?: string[];
}
