/** Evidence records: where a person can check a link (log file + line, or capture + frames). */
import type { Evidence } from '../model/correlation';
import type { LogEvent } from '../model/events';
import type { LoopEpisode, TcpStall } from '../model/loops';
import { MAX_EVIDENCE_PER_STEP } from './options';

export function eventEvidence(e: LogEvent): Evidence {
  return { kind: 'log', file: e.source.file, line: e.source.line, eventId: e.id, text: e.message };
}

export function loopEvidence(l: LoopEpisode): Evidence {
  const prefixes = l.destinationPrefixes.length ? ` for ${l.destinationPrefixes.join(', ')}` : '';
  return {
    kind: 'capture',
    file: l.capture,
    firstFrame: l.firstFrame,
    lastFrame: l.lastFrame,
    loopId: l.id,
    text: `${l.id}: ${l.ttlStep}-hop loop${prefixes}, ${l.loopedPackets} packets looped, ${Math.round(l.durationMs)} ms`,
  };
}

export function stallEvidence(s: TcpStall): Evidence {
  return {
    kind: 'capture',
    file: s.capture,
    firstFrame: s.firstFrame,
    lastFrame: s.firstFrame,
    text: s.unanswered ? `TCP flow never answered (${Math.round(s.durationMs)} ms seen) on ${s.flow}` : `TCP stall of ${Math.round(s.durationMs)} ms on ${s.flow}`,
  };
}

/** Keeps evidence lists readable; counts in the step's facts keep the whole number. */
export function capEvidence(list: Evidence[]): Evidence[] {
  return list.length > MAX_EVIDENCE_PER_STEP ? list.slice(0, MAX_EVIDENCE_PER_STEP) : list;
}
