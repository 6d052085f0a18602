/** Where the timeline should look for a tree row or a hover link: a time interval of the Report. No `vscode` import. */
import type { Report } from '../core/model';
import type { TimelineFocus } from './resultsTreeModel';

/** Context shown around a single instant, µs: enough to see what came just before and after. */
export const INSTANT_CONTEXT_US = 2_000_000;

export interface FocusInterval {
  startUs: number;
  endUs: number;
  /** The loop episode to show in the ladder, when the focus names or contains one. */
  episodeId?: string;
}

function around(us: number): FocusInterval {
  return { startUs: us - INSTANT_CONTEXT_US, endUs: us + INSTANT_CONTEXT_US };
}

/** The interval to select for `focus`, or undefined when the Report does not contain what it names. */
export function focusInterval(report: Report, focus: TimelineFocus): FocusInterval | undefined {
  switch (focus.kind) {
    case 'loop': {
      const l = report.loops.find((x) => x.id === focus.loopId);
      return l ? { startUs: l.startUs, endUs: Math.max(l.endUs, l.startUs + 1), episodeId: l.id } : undefined;
    }
    case 'chain': {
      const c = report.chains.find((x) => x.id === focus.chainId);
      if (!c || c.steps.length === 0) return undefined;
      const times = c.steps.map((s) => s.timeUs);
      const start = Math.min(...times);
      const end = Math.max(...times);
      const loopStep = c.steps.flatMap((s) => s.evidence).find((e) => e.kind === 'capture' && e.loopId);
      const episodeId = loopStep && loopStep.kind === 'capture' ? loopStep.loopId : undefined;
      // Pad by a tenth of the chain's length (at least a second) so the first and last steps are not on the edge.
      const pad = Math.max(1_000_000, (end - start) / 10);
      return { startUs: start - pad, endUs: end + pad, ...(episodeId ? { episodeId } : {}) };
    }
    case 'event': {
      const e = report.events.find((x) => x.id === focus.eventId);
      return e ? around(e.timeUs) : undefined;
    }
    case 'frame': {
      const l = report.loops.find((x) => x.capture === focus.capture && x.firstFrame <= focus.frame && focus.frame <= x.lastFrame);
      return l ? { startUs: l.startUs, endUs: Math.max(l.endUs, l.startUs + 1), episodeId: l.id } : undefined;
    }
  }
}

