/**
 * `kubectl get events -o json` / `-o yaml`: a whole document (a List of Events, or one Event), not lines; and
 * `kubectl get events --watch -o json`, which prints one Event object after the other with nothing between them.
 * Parsed with the `yaml` package (JSON is YAML 1.2), which also gives each item's position for line numbers.
 *
 * Time of an Event: eventTime (µs precision, events.k8s.io) or firstTimestamp, else lastTimestamp, else
 * metadata.creationTimestamp (any may be null); repeated events keep count and the last occurrence
 * (lastTimestamp / series.lastObservedTime).
 */
import { LineCounter, isMap, isSeq, parseAllDocuments } from 'yaml';
import type { Node } from 'yaml';
import type { LogRecord } from '../types';
import { parseIsoStamp } from '../timestamps';
import { capMessage } from './common';
import { kindFromReason } from './kubernetes';

export interface EventsDocument {
  records: LogRecord[];
  /** Problems with a 1-based line. */
  problems: { line: number; message: string }[];
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}
function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Whether a file's first non-blank line says "this is a Kubernetes object document". */
export function looksLikeKubeDocument(firstLine: string): boolean {
  const t = firstLine.trim();
  return t === '{' || t === '---' || /^(?:apiVersion|items|kind):/.test(t) || /^"(?:apiVersion|items|kind)":/.test(t);
}

/**
 * Where each object of a stream of JSON objects written one after the other (`--watch -o json`) starts and ends, or
 * undefined when the text is not two or more such objects (then it is one document, JSON or YAML). A scan of the
 * braces outside strings: YAML and JSON.parse both refuse objects side by side without a separator.
 */
export function jsonObjectStream(source: string): { start: number; end: number }[] | undefined {
  const out: { start: number; end: number }[] = [];
  let i = 0;
  const n = source.length;
  for (;;) {
    while (i < n && /\s/.test(source[i]!)) i++;
    if (i >= n) break;
    if (source[i] !== '{') return undefined;
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = source.charCodeAt(i);
      if (inString) {
        if (c === 0x5c) i++; // backslash: the next character is escaped
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
      else if (c === 0x7b) depth++;
      else if (c === 0x7d && --depth === 0) break;
    }
    if (i >= n) return undefined; // an object cut short: read as one document, which reports it
    out.push({ start, end: ++i });
  }
  return out.length >= 2 ? out : undefined;
}

/** Returns undefined when the text is not a document of Events (the caller then reads it as lines). */
export function parseEventsDocument(source: string): EventsDocument | undefined {
  const out: EventsDocument = { records: [], problems: [] };
  const byteOffsetOf = byteOffsets(source);
  const parts = jsonObjectStream(source) ?? [{ start: 0, end: source.length }];
  let sawEvents = false;
  // Line numbers of each part: lines before it, counted once as the parts go by.
  let linesBefore = 0;
  let counted = 0;
  for (const part of parts) {
    for (; counted < part.start; counted++) if (source.charCodeAt(counted) === 10) linesBefore++;
    const got = parsePart(source.slice(part.start, part.end), part.start, linesBefore, byteOffsetOf, out);
    if (got === undefined) return undefined;
    sawEvents ||= got;
  }
  return sawEvents || out.records.length ? out : undefined;
}

/**
 * One document (or one object of a stream) starting at character `start` of the file, after `linesBefore` lines:
 * its Events go to `out`. Returns whether it held Events, or undefined when it cannot be parsed at all.
 */
function parsePart(source: string, start: number, linesBefore: number, byteOffsetOf: (charOffset: number) => number, out: EventsDocument): boolean | undefined {
  const lineCounter = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(source, { lineCounter, uniqueKeys: false });
  } catch {
    return undefined;
  }
  if (!Array.isArray(docs)) return undefined;
  let sawEvents = false;
  for (const doc of docs) {
    for (const e of doc.errors) out.problems.push({ line: linesBefore + lineCounter.linePos(e.pos[0]).line, message: `YAML/JSON: ${e.message.split('\n')[0]}` });
    const root = doc.contents;
    if (!isMap(root)) continue;
    const items = root.get('items', true);
    const nodes: Node[] = isSeq(items) ? (items.items as Node[]) : [root as Node];
    for (const node of nodes) {
      const raw = obj(node?.toJSON?.());
      // `--watch --output-watch-events` wraps each Event: { "type": "ADDED", "object": { ...the Event... } }.
      const ev = raw && typeof raw.type === 'string' && obj(raw.object) ? obj(raw.object) : raw;
      if (!ev || (ev.kind !== 'Event' && !('involvedObject' in ev) && !('regarding' in ev))) continue;
      sawEvents = true;
      const pos = lineCounter.linePos(node.range?.[0] ?? 0);
      const line = linesBefore + pos.line;
      // The line's start, not the item's first character (a YAML item starts after "- ").
      const offset = start + (node.range?.[0] ?? 0) - (pos.col - 1);
      const rec = recordOf(ev);
      if (!rec) {
        out.problems.push({ line, message: 'Event without any usable time (eventTime, firstTimestamp, lastTimestamp, creationTimestamp all null)' });
        continue;
      }
      rec.line = line;
      rec.byteOffset = byteOffsetOf(offset);
      out.records.push(rec);
    }
  }
  return sawEvents;
}

function recordOf(ev: Obj): LogRecord | undefined {
  const meta = obj(ev.metadata) ?? {};
  const series = obj(ev.series) ?? {};
  const firstText = text(ev.eventTime) ?? text(ev.firstTimestamp) ?? text(ev.deprecatedFirstTimestamp) ??
    text(ev.lastTimestamp) ?? text(ev.deprecatedLastTimestamp) ?? text(meta.creationTimestamp);
  const stamp = firstText ? parseIsoStamp(firstText) : undefined;
  if (!stamp || !firstText) return undefined;
  const involved = obj(ev.involvedObject) ?? obj(ev.regarding) ?? {};
  const source = obj(ev.source) ?? obj(ev.deprecatedSource) ?? {};
  const reason = text(ev.reason) ?? '';
  const message = text(ev.message) ?? text(ev.note) ?? '';
  const countRaw = ev.count ?? series.count ?? ev.deprecatedCount;
  const count = typeof countRaw === 'number' && countRaw > 0 ? countRaw : 1;
  const rec: LogRecord = {
    stamp, timeText: firstText, format: 'kubectl-events', final: true,
    severity: ev.type === 'Warning' ? 'warning' : 'info',
    kind: kindFromReason(reason, message, count),
    message: capMessage(`${reason}: ${message}`),
  };
  if (count > 1) {
    rec.count = count;
    const lastText = text(ev.lastTimestamp) ?? text(series.lastObservedTime) ?? text(ev.deprecatedLastTimestamp);
    const last = lastText ? parseIsoStamp(lastText) : undefined;
    if (last && lastText !== firstText) rec.lastStamp = last;
  }
  if (involved.kind === 'Pod' && text(involved.name)) rec.pod = text(involved.name);
  const ns = text(involved.namespace) ?? text(meta.namespace);
  if (ns) rec.namespace = ns;
  const fieldPath = text(involved.fieldPath);
  const c = fieldPath ? /containers\{([^}]+)\}/.exec(fieldPath) : null;
  if (c) rec.container = c[1];
  const host = text(source.host) ?? text(ev.reportingInstance);
  if (host) rec.host = host;
  const comp = text(source.component) ?? text(ev.reportingComponent) ?? text(ev.reportingController);
  if (comp) rec.process = comp;
  return rec;
}

/** Maps character offsets (in increasing order) to UTF-8 byte offsets without re-encoding the prefix each time. */
function byteOffsets(source: string): (charOffset: number) => number {
  let lastChar = 0;
  let lastByte = 0;
  return (off) => {
    if (off < lastChar) {
      lastChar = 0;
      lastByte = 0;
    }
    lastByte += Buffer.byteLength(source.slice(lastChar, off), 'utf8');
    lastChar = off;
    return lastByte;
  };
}
