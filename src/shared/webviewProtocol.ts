/**
 * Messages between the extension host and the Report webview, and the checks the host runs on what the
 * webview sends. The webview renders untrusted log and packet text, so the host treats every message from it
 * as untrusted too: it is parsed here into a typed value or rejected with a reason, never acted on raw.
 * No `vscode` import: the same module is bundled into the webview and unit-tested under Node.
 */
import type { Report } from '../core/model';

/** What survives hiding the panel and restarting VS Code (webview `setState`, the panel serializer). */
export interface WebviewViewState {
  version: 1;
  /** Which Report the panel showed (the host's key, e.g. an analysis id), so a restored panel can ask for it again. */
  reportKey?: string;
  /** Visible time window of the timeline, epoch µs; absent = the whole Report. */
  viewUs?: [number, number];
  /** Selected interval (filters the ladder and the results tree), epoch µs. */
  selectionUs?: [number, number];
  /** LoopEpisode.id shown in the big ladder. */
  episodeId?: string;
  /** Timeline source groups folded into one lane. */
  collapsedGroups?: string[];
}

/** host -> webview */
export type HostToWebview =
  | { type: 'report'; report: Report; state?: WebviewViewState }
  | { type: 'select-interval'; startUs: number; endUs: number }
  /** A restored panel whose Report is gone (e.g. VS Code restarted before re-analysis). */
  | { type: 'unavailable'; message: string };

export type ExportFormat = 'png' | 'json' | 'html';

/** webview -> host */
export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'open-location'; file: string; line: number }
  | { type: 'selection'; startUs: number; endUs: number }
  | { type: 'selection-cleared' }
  | { type: 'export'; format: 'png'; dataUrl: string }
  | { type: 'export'; format: 'json' | 'html' };

export type ParsedMessage = { ok: true; message: WebviewToHost } | { ok: false; reason: string };

/**
 * The Report as the panel posts it: the same object, except that each episode's ladder columns are typed arrays.
 * VS Code (>= 1.57) and the browser copy typed arrays in postMessage as raw memory, while a million plain numbers
 * are serialised one by one (seconds for a 1,000,000-sighting Report). The page reads them only by index, length
 * and slice, which typed arrays share with number[]; hence the cast, confined to this function.
 */
export function reportForWebview(report: Report): Report {
  const typed = <T>(a: number[], make: (a: number[]) => T): number[] => make(a) as unknown as number[];
  return {
    ...report,
    loops: report.loops.map((l) => ({
      ...l,
      ladder: {
        truncated: l.ladder.truncated,
        timeUs: typed(l.ladder.timeUs, (a) => Float64Array.from(a)),
        ttl: typed(l.ladder.ttl, (a) => Uint8Array.from(a)),
        frame: typed(l.ladder.frame, (a) => Float64Array.from(a)),
        stream: typed(l.ladder.stream, (a) => Int32Array.from(a)),
        direction: typed(l.ladder.direction, (a) => Uint8Array.from(a)),
      },
    })),
  };
}

/** A PNG of two large canvases is a few MB as base64; anything far beyond that is not ours. */
export const MAX_PNG_DATA_URL_CHARS = 64 * 1024 * 1024;
export const PNG_PREFIX = 'data:image/png;base64,';

/** Every file the Report names: the only files the webview may ask the host to open. */
export function reportFiles(report: Report): Set<string> {
  const files = new Set<string>();
  for (const input of report.inputs) files.add(input.path);
  for (const event of report.events) files.add(event.source.file);
  for (const chain of report.chains) for (const step of chain.steps) for (const ev of step.evidence) files.add(ev.file);
  for (const h of report.hypotheses) for (const ev of h.evidence) files.add(ev.file);
  return files;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Parses a message from the webview. `knownFiles` is `reportFiles(report)`; an "open" for any other path is
 * refused, so a hostile string rendered in the page cannot make the host open arbitrary files.
 */
export function parseWebviewMessage(raw: unknown, knownFiles: ReadonlySet<string>): ParsedMessage {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'message is not an object' };
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { ok: true, message: { type: 'ready' } };
    case 'selection-cleared':
      return { ok: true, message: { type: 'selection-cleared' } };
    case 'open-location': {
      if (typeof m.file !== 'string') return { ok: false, reason: 'open-location: file is not a string' };
      if (!knownFiles.has(m.file)) return { ok: false, reason: `open-location: ${JSON.stringify(m.file.slice(0, 200))} is not a file of this Report` };
      if (!Number.isSafeInteger(m.line) || (m.line as number) < 1) return { ok: false, reason: 'open-location: line is not a positive integer' };
      return { ok: true, message: { type: 'open-location', file: m.file, line: m.line as number } };
    }
    case 'selection': {
      if (!isFiniteNumber(m.startUs) || !isFiniteNumber(m.endUs) || m.endUs < m.startUs) {
        return { ok: false, reason: 'selection: startUs/endUs are not an ordered pair of numbers' };
      }
      return { ok: true, message: { type: 'selection', startUs: m.startUs, endUs: m.endUs } };
    }
    case 'export': {
      if (m.format === 'json' || m.format === 'html') return { ok: true, message: { type: 'export', format: m.format } };
      if (m.format !== 'png') return { ok: false, reason: 'export: format is not png, json or html' };
      if (typeof m.dataUrl !== 'string' || !m.dataUrl.startsWith(PNG_PREFIX)) return { ok: false, reason: 'export: dataUrl is not a PNG data URL' };
      if (m.dataUrl.length > MAX_PNG_DATA_URL_CHARS) return { ok: false, reason: 'export: PNG is larger than allowed' };
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(m.dataUrl.slice(PNG_PREFIX.length))) return { ok: false, reason: 'export: PNG data is not base64' };
      return { ok: true, message: { type: 'export', format: 'png', dataUrl: m.dataUrl } };
    }
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(String(m.type).slice(0, 40))}` };
  }
}

/** Reads a persisted view state defensively (it comes back from VS Code's storage, possibly from an older build). */
export function parseViewState(raw: unknown): WebviewViewState {
  const state: WebviewViewState = { version: 1 };
  if (typeof raw !== 'object' || raw === null) return state;
  const s = raw as Record<string, unknown>;
  const pair = (v: unknown): [number, number] | undefined =>
    Array.isArray(v) && v.length === 2 && isFiniteNumber(v[0]) && isFiniteNumber(v[1]) && v[0] < v[1] ? [v[0], v[1]] : undefined;
  const viewUs = pair(s.viewUs);
  if (viewUs) state.viewUs = viewUs;
  const selectionUs = pair(s.selectionUs);
  if (selectionUs) state.selectionUs = selectionUs;
  if (typeof s.episodeId === 'string') state.episodeId = s.episodeId;
  if (typeof s.reportKey === 'string') state.reportKey = s.reportKey;
  if (Array.isArray(s.collapsedGroups)) state.collapsedGroups = s.collapsedGroups.filter((g): g is string => typeof g === 'string');
  return state;
}
