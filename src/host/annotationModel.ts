/**
 * Inline annotations for log lines that took part in an analysis: the text shown after the line, the hover,
 * and where CodeLenses go. No `vscode` import: annotations.ts renders these, mocha tests them.
 *
 * Text from logs reaches the hover only through escapeMarkdown, so a log line can never inject links,
 * images or HTML into the editor's hover.
 */
import * as path from 'node:path';
import type { Chain, LogEvent, Report } from '../core/model';
import { eventKindLabel, formatClock, formatDuration, formatInstant, oneLine, stepKindLabel } from './format';
import type { TimelineFocus } from './resultsTreeModel';

export interface LineAnnotation {
  /** 1-based, as the Report counts lines. */
  line: number;
  /** "BGP peer down · 420 ms after restart · loop-2 started +100 ms" */
  afterText: string;
  /** Markdown; every piece of log text in it is escaped. */
  hoverMarkdown: string;
  /** 'chain' when the line is evidence of a chain step (a stronger colour), else 'event'. */
  kind: 'chain' | 'event';
  eventIds: string[];
  chainIds: string[];
  /** Chains whose first step is this line: a CodeLens "Show in timeline" goes above it. */
  chainStarts: string[];
}

/** Commands the hover links to; the hover is trusted for exactly these. */
export const HOVER_COMMANDS = ['incidentLens.showTimeline'] as const;

/** Escapes text so Markdown shows it literally (no emphasis, links, images, HTML or headings). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`));
}

/** A `command:` link, arguments JSON-encoded as VS Code expects. */
export function commandLink(title: string, command: (typeof HOVER_COMMANDS)[number], args: unknown[]): string {
  return `[${escapeMarkdown(title)}](command:${command}?${encodeURIComponent(JSON.stringify(args))} "${escapeMarkdown(title)}")`;
}

interface Draft {
  line: number;
  chainTexts: string[];
  eventTexts: string[];
  hover: string[];
  eventIds: Set<string>;
  chainIds: Set<string>;
  chainStarts: string[];
}

function fileKey(file: string): string {
  return path.resolve(file);
}

/**
 * Annotations of every log line in the Report, per file (keyed by resolved path) and sorted by line.
 * Computed once per Report; opening an editor is then a map lookup.
 */
export function buildAnnotations(report: Report, analysisId: string): Map<string, LineAnnotation[]> {
  const drafts = new Map<string, Map<number, Draft>>();
  const draftAt = (file: string, line: number): Draft => {
    const key = fileKey(file);
    let perFile = drafts.get(key);
    if (!perFile) drafts.set(key, (perFile = new Map()));
    let d = perFile.get(line);
    if (!d) {
      d = { line, chainTexts: [], eventTexts: [], hover: [], eventIds: new Set(), chainIds: new Set(), chainStarts: [] };
      perFile.set(line, d);
    }
    return d;
  };

  const eventsById = new Map(report.events.map((e) => [e.id, e]));
  for (const ev of report.events) {
    const d = draftAt(ev.source.file, ev.source.line);
    d.eventIds.add(ev.id);
    d.eventTexts.push(eventKindLabel(ev.kind));
    d.hover.push(eventHover(ev, analysisId));
  }
  for (const chain of report.chains) addChain(chain, analysisId, draftAt, eventsById);

  const out = new Map<string, LineAnnotation[]>();
  for (const [file, perFile] of drafts) {
    const list = [...perFile.values()]
      .sort((a, b) => a.line - b.line)
      .map<LineAnnotation>((d) => ({
        line: d.line,
        afterText: oneLine(d.chainTexts.length ? d.chainTexts.join(' | ') : [...new Set(d.eventTexts)].join(', '), 160),
        hoverMarkdown: d.hover.join('\n\n---\n\n'),
        kind: d.chainTexts.length ? 'chain' : 'event',
        eventIds: [...d.eventIds],
        chainIds: [...d.chainIds],
        chainStarts: d.chainStarts,
      }));
    out.set(file, list);
  }
  return out;
}

/** The annotations of one file (any spelling of its path), or none. */
export function annotationsFor(index: Map<string, LineAnnotation[]>, file: string): LineAnnotation[] {
  return index.get(fileKey(file)) ?? [];
}

function eventHover(ev: LogEvent, analysisId: string): string {
  const focus: TimelineFocus = { kind: 'event', eventId: ev.id };
  const lines = [
    `**Incident Lens: ${escapeMarkdown(eventKindLabel(ev.kind))}** at ${escapeMarkdown(formatInstant(ev.time))}`,
    `written \`${ev.timeText.replace(/`/g, "'")}\` · format ${escapeMarkdown(ev.source.format)}${ev.timeNote ? ` · ${escapeMarkdown(ev.timeNote)}` : ''}`,
  ];
  const who = [ev.process, ev.host, ev.pod && `pod ${ev.pod}`, ev.peer && `peer ${ev.peer}${ev.peerAs ? ` AS${ev.peerAs}` : ''}`].filter(Boolean);
  if (who.length) lines.push(escapeMarkdown(who.join(' · ')));
  lines.push(commandLink('Show in timeline', 'incidentLens.showTimeline', [{ analysisId, focus }]));
  return lines.join('\n\n');
}

/** What the step after this one says: "loop-2 started +100 ms", "BGP peer down +2 ms". */
function nextStepText(chain: Chain, i: number): string | undefined {
  const next = chain.steps[i + 1];
  if (!next) return undefined;
  const capture = next.evidence.find((e) => e.kind === 'capture' && e.loopId);
  const name = next.kind === 'loop' && capture?.kind === 'capture' && capture.loopId ? `${capture.loopId} started` : stepKindLabel(next.kind);
  return `${name} +${formatDuration(next.lagMs)}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function addChain(
  chain: Chain,
  analysisId: string,
  draftAt: (file: string, line: number) => Draft,
  eventsById: Map<string, LogEvent>,
): void {
  const focus: TimelineFocus = { kind: 'chain', chainId: chain.id };
  const stepsMd = chain.steps
    .map((s, i) => `${i + 1}. ${escapeMarkdown(formatClock(s.time))} ${escapeMarkdown(stepKindLabel(s.kind))}${i ? ` (+${escapeMarkdown(formatDuration(s.lagMs))})` : ''}: ${escapeMarkdown(oneLine(s.summary, 140))}`)
    .join('\n');
  const chainMd = [
    `**Chain: ${escapeMarkdown(chain.subject)}**`,
    escapeMarkdown(chain.summary),
    stepsMd,
    commandLink('Show chain in timeline', 'incidentLens.showTimeline', [{ analysisId, focus }]),
  ].join('\n\n');

  let firstLogSeen = false;
  chain.steps.forEach((step, i) => {
    const parts = [capitalized(stepKindLabel(step.kind))];
    if (i > 0) parts.push(`${formatDuration(step.lagMs)} after ${stepKindLabel(chain.steps[i - 1]!.kind)}`);
    const next = nextStepText(chain, i);
    if (next) parts.push(next);
    const text = parts.join(' · ');
    for (const ev of step.evidence) {
      if (ev.kind !== 'log') continue;
      // Evidence names its event; the event's own place wins if they disagree (it is what the reader saw).
      const event = eventsById.get(ev.eventId);
      const d = draftAt(event?.source.file ?? ev.file, event?.source.line ?? ev.line);
      if (!d.chainIds.has(chain.id)) {
        d.chainTexts.push(text);
        d.hover.push(chainMd);
        d.chainIds.add(chain.id);
      }
      if (!firstLogSeen) {
        firstLogSeen = true;
        d.chainStarts.push(chain.id);
      }
    }
  });
}
