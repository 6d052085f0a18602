/**
 * What the "Incident Lens" results tree shows, computed from the registry and each Report. No `vscode`
 * import: resultsTree.ts turns these nodes into TreeItems, and mocha tests them on real Reports.
 *
 * Shape: analysis -> groups (hypotheses, chains, patterns, loop episodes, events, problems, inputs) ->
 * items -> evidence. Node ids are stable paths ("analysis-1/chains/chain-2/step-0/ev-0") so VS Code keeps
 * expansion state across refreshes and end-to-end tests can find rows by label.
 */
import * as path from 'node:path';
import { isoFromMicros, type Evidence, type InputProblem, type Report } from '../core/model';
import type { AnalysisEntry } from './analysisRegistry';
import { analysisLabel } from './analysisRegistry';
import {
  eventKindLabel,
  formatClock,
  formatDuration,
  formatInstant,
  oneLine,
  plural,
  stepKindLabel,
  VERDICT_LABELS,
} from './format';

/** Where the timeline should centre when opened from a node. */
export type TimelineFocus =
  | { kind: 'loop'; loopId: string }
  | { kind: 'chain'; chainId: string }
  | { kind: 'event'; eventId: string }
  | { kind: 'frame'; capture: string; frame: number };

/** What a click on a node does. Files are absolute paths as the Report has them; lines are 1-based. */
export type NodeAction =
  | { kind: 'open-log'; file: string; line: number }
  | { kind: 'open-capture'; file: string; frame: number; loopId?: string }
  | { kind: 'open-file'; file: string; line?: number; byteOffset?: number }
  | { kind: 'show-timeline'; analysisId: string; focus?: TimelineFocus };

/** contextValue strings, used by package.json `view/item/context` menus. */
export const CONTEXT = {
  analysis: 'incidentLens.analysis',
  analysisRunning: 'incidentLens.analysis.running',
  group: 'incidentLens.group',
  chain: 'incidentLens.chain',
  step: 'incidentLens.step',
  loop: 'incidentLens.loop',
  event: 'incidentLens.event',
  evidence: 'incidentLens.evidence',
  problem: 'incidentLens.problem',
  info: 'incidentLens.info',
} as const;

export interface ResultNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id ("pulse", "warning", "sync~spin"...). */
  icon?: string;
  contextValue: string;
  action?: NodeAction;
  /** What "Copy as Text" puts on the clipboard. */
  copyText: string;
  /** Absent for leaves; computed when the row is expanded. */
  children?: () => ResultNode[];
  /** Expanded at first display. */
  expanded?: boolean;
  analysisId: string;
  /** Timeline focus for "Reveal in Timeline" on this row, when there is one. */
  focus?: TimelineFocus;
}

/** Rows per group before a "… N more" row: a tree of 100k events helps nobody; the timeline shows them all. */
export const MAX_CHILDREN = 500;

/** Stable labels of the group rows (end-to-end tests look for these). */
export const GROUP_LABELS = {
  hypotheses: 'Hypotheses',
  chains: 'Chains',
  patterns: 'Patterns',
  loops: 'Loop episodes',
  events: 'Events',
  problems: 'Problems',
  inputs: 'Inputs',
} as const;

export function rootNodes(entries: readonly AnalysisEntry[]): ResultNode[] {
  return entries.map(analysisNode);
}

function analysisNode(e: AnalysisEntry): ResultNode {
  const label = analysisLabel(e.paths);
  const base = { id: e.id, label, analysisId: e.id, tooltip: e.paths.join('\n') };
  switch (e.status) {
    case 'running':
      return { ...base, description: 'analysing…', icon: 'sync~spin', contextValue: CONTEXT.analysisRunning, copyText: `${label}: analysing` };
    case 'cancelled':
      return { ...base, description: 'cancelled', icon: 'circle-slash', contextValue: CONTEXT.analysis, copyText: `${label}: cancelled` };
    case 'failed':
      return {
        ...base,
        description: 'failed',
        icon: 'error',
        contextValue: CONTEXT.analysis,
        copyText: `${label}: failed: ${e.error ?? ''}`,
        expanded: true,
        children: () => [infoNode(e.id, `${e.id}/error`, e.error ?? 'unknown error', 'error')],
      };
    case 'done': {
      const r = e.report!;
      const description = [plural(r.loops.length, 'loop'), plural(r.chains.length, 'chain'), plural(r.events.length, 'event')].join(' · ');
      return {
        ...base,
        description,
        icon: 'pulse',
        contextValue: CONTEXT.analysis,
        copyText: `${label}: ${description}`,
        expanded: true,
        action: { kind: 'show-timeline', analysisId: e.id },
        children: () => reportGroups(e.id, e.selectionUs ? reportWithin(r, e.selectionUs) : r, e.selectionUs),
      };
    }
  }
}

function infoNode(analysisId: string, id: string, label: string, icon = 'info', description?: string): ResultNode {
  return {
    id,
    label,
    ...(description ? { description } : {}),
    icon,
    contextValue: CONTEXT.info,
    copyText: description ? `${label} ${description}` : label,
    analysisId,
  };
}

function group(analysisId: string, key: keyof typeof GROUP_LABELS, count: number, icon: string, children: () => ResultNode[], expanded = false): ResultNode {
  const label = GROUP_LABELS[key];
  return {
    id: `${analysisId}/${key}`,
    label,
    description: String(count),
    icon,
    contextValue: CONTEXT.group,
    copyText: `${label}: ${count}`,
    analysisId,
    expanded,
    children: () => capped(analysisId, `${analysisId}/${key}`, children()),
  };
}

function capped(analysisId: string, parentId: string, nodes: ResultNode[]): ResultNode[] {
  if (nodes.length <= MAX_CHILDREN) return nodes;
  const rest = nodes.length - MAX_CHILDREN;
  return [
    ...nodes.slice(0, MAX_CHILDREN),
    {
      ...infoNode(analysisId, `${parentId}/more`, `… ${rest} more`, 'ellipsis', 'open the timeline to see all'),
      action: { kind: 'show-timeline', analysisId },
    },
  ];
}

/**
 * The part of a Report that overlaps a time interval (the timeline's selection): loops, chains and stalls
 * that overlap it, events inside it. Inputs, problems and hypotheses stay whole: they are about the files.
 */
export function reportWithin(r: Report, [startUs, endUs]: [number, number]): Report {
  const chainSpan = (c: Report['chains'][number]) => {
    const t = c.steps.map((s) => s.timeUs);
    return [Math.min(...t), Math.max(...t)] as const;
  };
  const chains = r.chains.filter((c) => {
    const [a, b] = chainSpan(c);
    return c.steps.length > 0 && a <= endUs && b >= startUs;
  });
  const chainIds = new Set(chains.map((c) => c.id));
  return {
    ...r,
    loops: r.loops.filter((l) => l.startUs <= endUs && l.endUs >= startUs),
    events: r.events.filter((e) => e.timeUs >= startUs && e.timeUs <= endUs),
    chains,
    patterns: r.patterns
      .map((p) => ({ ...p, chainIds: p.chainIds.filter((id) => chainIds.has(id)) }))
      .filter((p) => p.chainIds.length > 0),
  };
}

/** The groups under a finished analysis; empty groups are left out, and a report with nothing says so once. */
export function reportGroups(analysisId: string, r: Report, selectionUs?: [number, number]): ResultNode[] {
  const out: ResultNode[] = [];
  if (selectionUs) {
    out.push({
      ...infoNode(analysisId, `${analysisId}/selection`, 'Showing the timeline selection', 'filter',
        `${formatClock(isoFromMicros(selectionUs[0]))} – ${formatClock(isoFromMicros(selectionUs[1]))}`),
      action: { kind: 'show-timeline', analysisId },
    });
  }
  const problems = allProblems(r);
  if (r.hypotheses.length) out.push(group(analysisId, 'hypotheses', r.hypotheses.length, 'lightbulb', () => hypothesisNodes(analysisId, r), true));
  if (r.chains.length) out.push(group(analysisId, 'chains', r.chains.length, 'link', () => chainNodes(analysisId, r), true));
  if (r.patterns.length) out.push(group(analysisId, 'patterns', r.patterns.length, 'symbol-event', () => patternNodes(analysisId, r)));
  if (r.loops.length) out.push(group(analysisId, 'loops', r.loops.length, 'sync', () => loopNodes(analysisId, r), r.chains.length === 0));
  if (r.events.length) out.push(group(analysisId, 'events', r.events.length, 'list-unordered', () => eventNodes(analysisId, r)));
  if (problems.length) out.push(group(analysisId, 'problems', problems.length, 'warning', () => problemNodes(analysisId, problems), true));
  out.push(group(analysisId, 'inputs', r.inputs.length, 'files', () => inputNodes(analysisId, r)));
  if (!r.loops.length && !r.chains.length && !r.events.length) {
    const text = selectionUs ? 'No loops, events or chains in the selected interval' : 'No loops, events or chains found in these files';
    out.splice(selectionUs ? 1 : 0, 0, infoNode(analysisId, `${analysisId}/nothing`, text));
  }
  return out;
}

function hypothesisNodes(analysisId: string, r: Report): ResultNode[] {
  const icons = { supported: 'pass', rejected: 'circle-slash', inconclusive: 'question' } as const;
  return r.hypotheses.map((h) => {
    const id = `${analysisId}/hypotheses/${h.id}`;
    const verdict = (VERDICT_LABELS as Record<string, string>)[h.verdict] ?? h.verdict;
    return {
      id,
      label: h.title,
      description: verdict,
      tooltip: h.reasoning,
      icon: (icons as Record<string, string>)[h.verdict] ?? 'question',
      contextValue: CONTEXT.info,
      copyText: `${h.title}: ${verdict}. ${h.reasoning}`,
      analysisId,
      ...(h.evidence.length ? { children: () => h.evidence.map((ev, i) => evidenceNode(analysisId, `${id}/ev-${i}`, ev)) } : {}),
    };
  });
}

function chainNodes(analysisId: string, r: Report): ResultNode[] {
  return r.chains.map((c) => {
    const id = `${analysisId}/chains/${c.id}`;
    const focus: TimelineFocus = { kind: 'chain', chainId: c.id };
    return {
      id,
      label: c.subject,
      description: `${formatClock(c.start)} · ${c.steps.map((s) => stepKindLabel(s.kind)).join(' → ')}`,
      tooltip: c.summary,
      icon: 'link',
      contextValue: CONTEXT.chain,
      copyText: c.summary,
      analysisId,
      focus,
      action: { kind: 'show-timeline', analysisId, focus },
      children: () =>
        c.steps.map((s, i) => {
          const sid = `${id}/step-${i}`;
          const lag = i === 0 ? formatClock(s.time) : `+${formatDuration(s.lagMs)}`;
          const first = s.evidence[0];
          return {
            id: sid,
            label: `${stepKindLabel(s.kind)}: ${oneLine(s.summary, 90)}`,
            description: lag,
            tooltip: `${formatInstant(s.time)}\n${s.summary}`,
            icon: 'debug-stackframe-dot',
            contextValue: CONTEXT.step,
            copyText: `${formatInstant(s.time)} ${stepKindLabel(s.kind)}: ${s.summary}`,
            analysisId,
            focus,
            ...(first ? { action: evidenceAction(first) } : {}),
            ...(s.evidence.length ? { children: () => s.evidence.map((ev, j) => evidenceNode(analysisId, `${sid}/ev-${j}`, ev)) } : {}),
          };
        }),
    };
  });
}

function patternNodes(analysisId: string, r: Report): ResultNode[] {
  const chainsById = new Map(r.chains.map((c) => [c.id, c]));
  return r.patterns.map((p) => {
    const id = `${analysisId}/patterns/${p.id}`;
    const pText = p.pValue === null ? 'too few to test' : `p = ${p.pValue.toPrecision(2)}${p.significant ? '' : ' (not significant)'}`;
    return {
      id,
      label: p.shape.map(stepKindLabel).join(' → '),
      description: `${p.occurrences}× · ${pText}`,
      tooltip: p.summary,
      icon: p.significant ? 'symbol-event' : 'circle-outline',
      contextValue: CONTEXT.info,
      copyText: p.summary,
      analysisId,
      children: () => [
        ...p.lags.map((l, i) =>
          infoNode(analysisId, `${id}/lag-${i}`, `${stepKindLabel(l.from)} → ${stepKindLabel(l.to)}`, 'watch',
            `median ${formatDuration(l.medianMs)} (${formatDuration(l.minMs)} – ${formatDuration(l.maxMs)})`),
        ),
        ...p.chainIds.map((cid) => {
          const c = chainsById.get(cid);
          const focus: TimelineFocus = { kind: 'chain', chainId: cid };
          return {
            ...infoNode(analysisId, `${id}/${cid}`, c ? c.subject : cid, 'link', c ? formatClock(c.start) : undefined),
            focus,
            action: { kind: 'show-timeline', analysisId, focus } as NodeAction,
          };
        }),
      ],
    };
  });
}

function loopNodes(analysisId: string, r: Report): ResultNode[] {
  return r.loops.map((l) => {
    const id = `${analysisId}/loops/${l.id}`;
    const focus: TimelineFocus = { kind: 'loop', loopId: l.id };
    const label = `${l.id} · ${formatDuration(l.durationMs)} · TTL step ${l.ttlStep}`;
    const description = `${formatClock(l.start)} · ${plural(l.loopedPackets, 'packet')} · ${l.destinationPrefixes.join(', ')}`;
    const details: ResultNode[] = [
      infoNode(analysisId, `${id}/time`, 'Time', 'clock', `${formatInstant(l.start)} – ${formatClock(l.end)}`),
      infoNode(analysisId, `${id}/dest`, 'Destinations', 'target', `${l.destinationPrefixes.join(', ') || '-'} (${l.destinations} addresses, ${l.sources} sources)`),
      infoNode(analysisId, `${id}/replicas`, 'Replicas', 'copy', `${l.sightings} sightings of ${l.loopedPackets} packets, up to ${l.maxReplicas} each`),
      ...l.macPairs.map((m, i) => infoNode(analysisId, `${id}/mac-${i}`, 'Direction', 'arrow-right', `${m.srcMac} → ${m.dstMac} (${m.sightings})`)),
      ...(l.routers.length ? [infoNode(analysisId, `${id}/routers`, 'Routers', 'server', l.routers.join(', '))] : []),
      infoNode(analysisId, `${id}/impact`, 'Impact', 'flame',
        `${l.impact.flowsHurt} flows, ${l.impact.clientsHurt} clients, ${l.impact.packetsLost} lost, ${l.impact.retransmissions} retransmissions, longest stall ${formatDuration(l.impact.longestStallMs)}`),
      evidenceNode(analysisId, `${id}/frames`, {
        kind: 'capture',
        file: l.capture,
        firstFrame: l.firstFrame,
        lastFrame: l.lastFrame,
        loopId: l.id,
        text: `${label} in ${path.basename(l.capture)}`,
      }),
    ];
    return {
      id,
      label,
      description,
      tooltip: `${formatInstant(l.start)}\n${path.basename(l.capture)} frames ${l.firstFrame}–${l.lastFrame}`,
      icon: 'sync',
      contextValue: CONTEXT.loop,
      copyText: `${label}, ${description}, ${l.capture} frames ${l.firstFrame}-${l.lastFrame}`,
      analysisId,
      focus,
      action: { kind: 'show-timeline', analysisId, focus },
      children: () => details,
    };
  });
}

function eventNodes(analysisId: string, r: Report): ResultNode[] {
  // Grouped by kind: a restart storm of 10k lines stays one row until opened.
  const byKind = new Map<string, Report['events']>();
  for (const ev of r.events) {
    const list = byKind.get(ev.kind) ?? [];
    list.push(ev);
    byKind.set(ev.kind, list);
  }
  return [...byKind.entries()].map(([kind, events]) => {
    const id = `${analysisId}/events/${kind}`;
    return {
      id,
      label: eventKindLabel(kind),
      description: String(events.length),
      icon: 'symbol-event',
      contextValue: CONTEXT.group,
      copyText: `${eventKindLabel(kind)}: ${events.length}`,
      analysisId,
      children: () =>
        capped(analysisId, id, events.map((ev) => {
          const focus: TimelineFocus = { kind: 'event', eventId: ev.id };
          return {
            id: `${id}/${ev.id}`,
            label: oneLine(ev.message, 100),
            description: `${formatClock(ev.time)} · ${path.basename(ev.source.file)}:${ev.source.line}`,
            tooltip: `${formatInstant(ev.time)} (written "${ev.timeText}"${ev.timeNote ? `; ${ev.timeNote}` : ''})\n${ev.source.file}:${ev.source.line} [${ev.source.format}]\n${ev.message}`,
            icon: 'note',
            contextValue: CONTEXT.event,
            copyText: `${ev.time} ${ev.source.file}:${ev.source.line} ${ev.message}`,
            analysisId,
            focus,
            action: { kind: 'open-log', file: ev.source.file, line: ev.source.line },
          };
        })),
    };
  });
}

export interface PlacedProblem extends InputProblem {
  file: string;
}

export function allProblems(r: Report): PlacedProblem[] {
  return r.inputs.flatMap((i) => i.problems.map((p) => ({ ...p, file: i.path })));
}

/** "byte 1,234" / "line 12" / "" — the place of a problem, as the user reads it. */
export function problemPlace(p: InputProblem): string {
  if (p.line !== undefined) return `line ${p.line}`;
  if (p.byteOffset !== undefined) return `byte ${p.byteOffset.toLocaleString('en-US')}`;
  return '';
}

function problemNodes(analysisId: string, problems: PlacedProblem[]): ResultNode[] {
  return problems.map((p, i) => {
    const place = problemPlace(p);
    const where = `${path.basename(p.file)}${place ? `, ${place}` : ''}`;
    return {
      id: `${analysisId}/problems/${i}`,
      label: oneLine(p.message, 100),
      description: `${where}${p.fatal ? ' · reading stopped here' : ''}`,
      tooltip: `${p.file}${place ? ` at ${place}` : ''}\n${p.message}${p.fatal ? '\nReading stopped here; everything before was kept.' : ''}`,
      icon: p.severity === 'error' ? 'error' : 'warning',
      contextValue: CONTEXT.problem,
      copyText: `${p.file}${place ? ` (${place})` : ''}: ${p.message}`,
      analysisId,
      action: {
        kind: 'open-file',
        file: p.file,
        ...(p.line !== undefined ? { line: p.line } : {}),
        ...(p.byteOffset !== undefined ? { byteOffset: p.byteOffset } : {}),
      },
    };
  });
}

function inputNodes(analysisId: string, r: Report): ResultNode[] {
  return r.inputs.map((inp, i) => {
    const description =
      inp.kind === 'capture'
        ? `${inp.format} · ${plural(inp.packets, 'packet')}${inp.firstTime ? ` · ${formatClock(inp.firstTime)}–${formatClock(inp.lastTime ?? inp.firstTime)}` : ''}`
        : `${inp.format} · ${plural(inp.events, 'event')} of ${plural(inp.lines, 'line')} · ${inp.timeZone}${inp.clockOffsetMs ? ` ${inp.clockOffsetMs > 0 ? '+' : ''}${formatDuration(inp.clockOffsetMs)}` : ''}`;
    return {
      id: `${analysisId}/inputs/${i}`,
      label: path.basename(inp.path),
      description: `${description}${inp.problems.length ? ` · ${plural(inp.problems.length, 'problem')}` : ''}`,
      tooltip: inp.path,
      icon: inp.kind === 'capture' ? 'file-binary' : 'file-text',
      contextValue: CONTEXT.info,
      copyText: `${inp.path}: ${description}`,
      analysisId,
      action: inp.kind === 'capture' ? { kind: 'open-capture', file: inp.path, frame: 1 } : { kind: 'open-log', file: inp.path, line: 1 },
    };
  });
}

export function evidenceAction(ev: Evidence): NodeAction {
  return ev.kind === 'log'
    ? { kind: 'open-log', file: ev.file, line: ev.line }
    : { kind: 'open-capture', file: ev.file, frame: ev.firstFrame, ...(ev.loopId ? { loopId: ev.loopId } : {}) };
}

function evidenceNode(analysisId: string, id: string, ev: Evidence): ResultNode {
  const where =
    ev.kind === 'log'
      ? `${path.basename(ev.file)}:${ev.line}`
      : `${path.basename(ev.file)} frames ${ev.firstFrame}–${ev.lastFrame}`;
  return {
    id,
    label: oneLine(ev.text, 100),
    description: where,
    tooltip: `${ev.kind === 'log' ? `${ev.file}:${ev.line}` : `${ev.file}, frames ${ev.firstFrame}–${ev.lastFrame}`}\n${ev.text}`,
    icon: ev.kind === 'log' ? 'go-to-file' : 'file-binary',
    contextValue: CONTEXT.evidence,
    copyText: `${where} ${ev.text}`,
    analysisId,
    ...(ev.kind === 'log'
      ? { focus: { kind: 'event', eventId: ev.eventId } as TimelineFocus }
      : { focus: { kind: 'frame', capture: ev.file, frame: ev.firstFrame } as TimelineFocus }),
    action: evidenceAction(ev),
  };
}
