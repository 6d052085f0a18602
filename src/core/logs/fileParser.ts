/**
 * One log file's lines -> events. Fed line by line (from a stream or an array alike), it keeps only the events
 * and a few counters: memory grows with events, not with the file.
 *
 * Per line: the formats are tried (the one that matched the previous line first); a line no format knows is
 * folded into the entry above it when it looks like a continuation (stack trace, indented text), else counted as
 * unknown. When an entry is complete its message is classified; events wait for the end of the file, where
 * settle.ts gives them their UTC instants.
 */
import type { LogEvent } from '../model/events';
import type { InputProblem, LogInputSummary } from '../model/report';
import type { LogReadOptions } from './read';
import type { FormatContext, LineFormat, LogRecord } from './types';
import { classify } from './classify';
import { DEFAULT_SLOW_RESPONSE_MS, latencyOf, mayStateLatency } from './formats/app';
import { createFormats } from './formats/index';
import type { FormatSet } from './formats/index';
import { looksLikeKubeDocument, parseEventsDocument } from './formats/kubeEvents';
import { DayInference, YearInference, zoneFor } from './timestamps';
import type { Zone } from './timestamps';
import { settleEvents } from './settle';
import type { Candidate } from './settle';

/** Continuation lines of a multi-line entry: Java stack frames, "Caused by", indented text, Go goroutine dumps. */
const CONTINUATION = /^(?:\s|at\s|Caused by:|\.\.\. \d+ (?:more|common frames omitted)|[\w$.]+(?:Exception|Error|Throwable)\b(?::|$)|goroutine \d+ \[)/;
const MAX_CONTINUATION_LINES = 200;
/** Characters of an entry the classifiers see (a stack trace's first frames; no rule needs more). */
const CLASSIFY_CHARS = 8192;
/** Lines about one request or response (access and client logs). */
const REQUEST_LINE = /\b(?:request|response|GET|POST|PUT|DELETE|PATCH|HTTP\/\d)\b/i;
const MAX_PROBLEMS = 50;
/** A kubectl events document is parsed whole; beyond this it is read as lines instead. */
const MAX_DOCUMENT_CHARS = 64 << 20;


export class LogFileParser {
  private readonly set: FormatSet;
  private readonly inner: FormatSet;
  private readonly zone: Zone;
  private readonly years = new YearInference();
  private readonly days = new DayInference();
  private readonly problems: InputProblem[] = [];
  private readonly formatCounts = new Map<string, number>();
  /** Consecutive entries of one format, counted here and added to formatCounts when the format changes. */
  private runFormat: string | undefined;
  private runCount = 0;
  private readonly candidates: Candidate[] = [];
  private droppedProblems = 0;
  private lines = 0;
  private eventLines = 0;
  private last: LineFormat | undefined;
  // The entry waiting for its continuation lines (a stack trace) before it is complete; plain fields, and the
  // continuation array only once there is one, since every line passes through here.
  private pendingRec: LogRecord | undefined;
  private pendingLine = 0;
  private pendingOffset = 0;
  private pendingExtra: string[] | undefined;
  private mode: 'undecided' | 'lines' | 'document' = 'undecided';
  private document: string[] = [];
  private documentChars = 0;
  private documentStart = { line: 1, byteOffset: 0 };
  private readonly ctx: FormatContext;
  private readonly innerCtx: FormatContext;

  constructor(private readonly name: string, private readonly opts: LogReadOptions = {}) {
    let custom = opts.customFormats;
    try {
      createFormats(custom, opts.slowResponseMs);
    } catch (e) {
      // A broken user format must not cost the file: report it and read with the built-in formats.
      this.problem('error', `${(e as Error).message}; read without custom formats`);
      custom = undefined;
    }
    this.set = createFormats(custom, opts.slowResponseMs);
    this.inner = createFormats(custom, opts.slowResponseMs, true);
    let zone: Zone;
    try {
      zone = zoneFor(opts.timeZone);
    } catch (e) {
      this.problem('error', `${(e as Error).message}; UTC used`);
      zone = zoneFor('UTC');
    }
    this.zone = zone;
    const self = this;
    this.innerCtx = {
      file: name, line: 0, byteOffset: 0,
      warn: (m) => self.problem('warning', m, self.ctx.line),
      parseInner: () => undefined,
    };
    this.ctx = {
      file: name, line: 0, byteOffset: 0,
      warn: (m) => self.problem('warning', m, self.ctx.line),
      parseInner: (text) => self.parseInner(text),
    };
  }

  problem(severity: 'error' | 'warning', message: string, line?: number, fatal = false): void {
    if (this.problems.length >= MAX_PROBLEMS && !fatal) {
      this.droppedProblems++;
      return;
    }
    const p: InputProblem = { severity, message, fatal };
    if (line !== undefined) p.line = line;
    this.problems.push(p);
  }

  /** A line that was too long or undecodable: counted, never parsed. */
  skipLine(line: number, reason: string): void {
    this.lines++;
    this.flushPending();
    this.problem('warning', `line ${line}: ${reason}; skipped`, line);
  }

  push(text: string, line: number, byteOffset: number): void {
    if (this.mode === 'undecided') {
      if (text.trim() === '') {
        this.lines++;
        return;
      }
      this.mode = looksLikeKubeDocument(text) ? 'document' : 'lines';
      this.documentStart = { line, byteOffset };
    }
    if (this.mode === 'document') {
      this.documentChars += text.length + 1;
      this.document.push(text);
      if (this.documentChars > MAX_DOCUMENT_CHARS) this.abandonDocument(`document larger than ${MAX_DOCUMENT_CHARS >> 20} MiB: read as lines`);
      return;
    }
    this.pushLine(text, line, byteOffset);
  }

  private abandonDocument(reason?: string): void {
    if (reason) this.problem('warning', reason);
    const lines = this.document;
    this.document = [];
    this.mode = 'lines';
    let off = this.documentStart.byteOffset;
    lines.forEach((l, i) => {
      this.pushLine(l, this.documentStart.line + i, off);
      off += Buffer.byteLength(l, 'utf8') + 1;
    });
  }

  private pushLine(text: string, line: number, byteOffset: number): void {
    this.lines++;
    if (text.charCodeAt(text.length - 1) === 13 /* \r */) text = text.slice(0, -1);
    this.ctx.line = line;
    this.ctx.byteOffset = byteOffset;
    let result: ReturnType<LineFormat['parse']>;
    let by: LineFormat | undefined;
    // The user's own formats come first on every line: the format of the previous line is tried before the others
    // only when it is one of theirs (else a built-in format that read one odd line would take over the lines the
    // user described too).
    const users = this.set.userFormats;
    let usersTried = false;
    if (users > 0 && this.last !== undefined && this.set.formats.indexOf(this.last) >= users) {
      usersTried = true;
      for (let i = 0; i < users; i++) {
        const f = this.set.formats[i]!;
        result = f.parse(text, this.ctx);
        if (result !== undefined) {
          by = f;
          break;
        }
      }
    }
    if (by === undefined && this.last) {
      result = this.last.parse(text, this.ctx);
      if (result !== undefined) by = this.last;
    }
    if (by === undefined) {
      for (let i = usersTried ? users : 0; i < this.set.formats.length; i++) {
        const f = this.set.formats[i]!;
        if (f === this.last) continue;
        result = f.parse(text, this.ctx);
        if (result !== undefined) {
          by = f;
          break;
        }
      }
    }
    if (by === undefined || result === undefined) {
      if (this.pendingRec && (this.pendingExtra?.length ?? 0) < MAX_CONTINUATION_LINES && CONTINUATION.test(text)) {
        (this.pendingExtra ??= []).push(text);
        return;
      }
      this.flushPending();
      return;
    }
    this.last = by;
    this.flushPending();
    if (result === 'consumed') return;
    if (Array.isArray(result)) for (const r of result) this.take(r, line, byteOffset);
    else this.take(result, line, byteOffset);
  }

  /** A record of the current line waits for continuation lines; one that started earlier is complete. */
  private take(r: LogRecord, line: number, byteOffset: number): void {
    if (r.line !== undefined && r.line !== line) {
      this.complete(r, r.line, r.byteOffset ?? byteOffset);
    } else {
      this.pendingRec = r;
      this.pendingLine = line;
      this.pendingOffset = byteOffset;
      this.pendingExtra = undefined;
    }
  }

  private parseInner(text: string): LogRecord | undefined {
    this.innerCtx.line = this.ctx.line;
    for (const f of this.inner.formats) {
      const r = f.parse(text, this.innerCtx);
      if (r && r !== 'consumed' && !Array.isArray(r)) return r;
    }
    return undefined;
  }

  private flushPending(): void {
    const rec = this.pendingRec;
    if (!rec) return;
    const extra = this.pendingExtra;
    this.pendingRec = undefined;
    this.pendingExtra = undefined;
    this.complete(rec, this.pendingLine, this.pendingOffset, extra);
  }

  private countFormat(format: string): void {
    if (format === this.runFormat) {
      this.runCount++;
      return;
    }
    this.flushFormatRun();
    this.runFormat = format;
    this.runCount = 1;
    // First seen now: the map keeps formats in the order they were first seen (ties in finish() go to the first).
    if (!this.formatCounts.has(format)) this.formatCounts.set(format, 0);
  }

  private flushFormatRun(): void {
    if (this.runFormat !== undefined) this.formatCounts.set(this.runFormat, (this.formatCounts.get(this.runFormat) ?? 0) + this.runCount);
    this.runFormat = undefined;
    this.runCount = 0;
  }

  /** An entry is whole: classify it, observe its time for year inference, keep it if it is an event. */
  private complete(rec: LogRecord, line: number, byteOffset: number, extra?: string[]): void {
    this.countFormat(rec.format);
    const message = extra ? `${rec.message}\n${extra.join('\n')}` : rec.message;
    const rel = rec.stamp ? this.years.observe(rec.stamp) : undefined;
    const dayRel = rec.stamp ? this.days.observe(rec.stamp) : undefined;
    if (!rec.kind && !rec.final) {
      // Rules look at the head of an entry: bounded work per line whatever its length.
      const head = message.length > CLASSIFY_CHARS ? message.slice(0, CLASSIFY_CHARS) : message;
      const c = classify(head, rec);
      if (c) {
        Object.assign(rec, c);
      } else if (this.set.customNames.size && this.set.customNames.has(rec.format)) {
        rec.kind = 'other';
      } else if (mayStateLatency(head) && REQUEST_LINE.test(head)) {
        // A completed request that says how long it took: slow at or above the threshold. (Most request lines
        // state no time: asking for a latency word first settles them in one scan.)
        const latency = latencyOf(head);
        if (latency !== undefined && latency >= (this.opts.slowResponseMs ?? DEFAULT_SLOW_RESPONSE_MS)) {
          rec.kind = 'slow-response';
          rec.latencyMs = latency;
        }
      }
    }
    if (!rec.kind) return;
    const cand: Candidate = { rec, message, line, byteOffset, lines: 1 + (extra?.length ?? 0) };
    if (rel !== undefined) cand.rel = rel;
    if (dayRel !== undefined) cand.dayRel = dayRel;
    if (rec.lastStamp && rec.lastStamp.year === undefined) cand.lastRel = this.years.observe(rec.lastStamp);
    this.eventLines += cand.lines;
    this.candidates.push(cand);
  }

  private flushFormats(): void {
    this.ctx.line = this.lines;
    for (const f of this.set.formats) {
      if (!f.finish) continue;
      for (const r of f.finish(this.ctx)) this.complete(r, r.line ?? this.lines, r.byteOffset ?? 0);
    }
  }

  finish(sizeBytes: number): { summary: LogInputSummary; events: LogEvent[] } {
    if (this.mode === 'document') {
      const doc = parseEventsDocument(this.document.join('\n'));
      if (doc) {
        for (const pr of doc.problems) this.problem('warning', pr.message, pr.line + this.documentStart.line - 1);
        for (const r of doc.records) {
          const line = (r.line ?? 1) + this.documentStart.line - 1;
          this.complete(r, line, (r.byteOffset ?? 0) + this.documentStart.byteOffset);
        }
        this.lines += this.document.length;
        this.document = [];
      } else {
        this.abandonDocument();
      }
    }
    this.flushPending();
    this.flushFormats();
    this.flushFormatRun();
    const events = settleEvents(this.candidates, this.name, this.zone, this.opts, this.years, this.days);
    let format = 'unknown';
    let best = 0;
    for (const [f, n] of this.formatCounts) if (n > best) [format, best] = [f, n];
    const summary: LogInputSummary = {
      kind: 'log', path: this.name, format, sizeBytes, lines: this.lines, events: events.length,
      // A document's lines are all part of its events: none is "ignored".
      ignoredLines: this.mode === 'document' ? 0 : Math.max(0, this.lines - this.eventLines),
      timeZone: this.zone.name, clockOffsetMs: this.opts.clockOffsetMs ?? 0, problems: this.problems,
    };
    if (this.droppedProblems) {
      this.problems.push({ severity: 'warning', message: `${this.droppedProblems} more problems not listed`, fatal: false });
    }
    return { summary, events };
  }
}
